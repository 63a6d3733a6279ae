#!/bin/bash
# capabilities.sh - the five sets from inside, the uid switch and ambient
# capabilities, file capabilities, and the refusals before anything starts.
. "$(dirname "$0")/lib.sh"

# CapEff etc. of the container's process, as /proc/self/status shows them.
capline() { grep "^$1:" <<<"$2" | cut -f2; }
# The hex mask /proc shows for capability numbers.
mask() {
	local m=0 c
	for c in "$@"; do m=$((m | (1 << c))); done
	printf '%016x' "$m"
}
CAP_KILL=5 CAP_NET_BIND_SERVICE=10 CAP_IPC_LOCK=14 CAP_AUDIT_WRITE=29

b=$(bundle caps -- cat /proc/self/status)

# ---- names ----------------------------------------------------------------------
cfg "$b" '.process.capabilities.bounding += ["CAP_IPC_LOK"]'
fails_with "an unknown capability is an error naming it" \
	'process.capabilities.bounding[3]: unknown capability "CAP_IPC_LOK" (did you mean CAP_IPC_LOCK?)' \
	hk run --bundle "$b" "$(cid unknown)"
cfg "$b" '.process.capabilities.bounding -= ["CAP_IPC_LOK"]'

# ---- root ----------------------------------------------------------------------
out=$(hk run --bundle "$b" "$(cid root)" 2>&1)
want=$(mask $CAP_KILL $CAP_NET_BIND_SERVICE $CAP_AUDIT_WRITE)
is "root: CapEff is the configured set" "$(capline CapEff "$out")" "$want"
is "root: CapBnd is the configured set" "$(capline CapBnd "$out")" "$want"
is "root: CapAmb is empty" "$(capline CapAmb "$out")" "$(mask)"

# ---- a non-root user without ambient: warned at create, gone after execve ----------
cfg "$b" '.process.user = {uid: 1000, gid: 1000}
	| .process.capabilities.bounding += ["CAP_IPC_LOCK"]
	| .process.capabilities.effective += ["CAP_IPC_LOCK"]
	| .process.capabilities.permitted += ["CAP_IPC_LOCK"]'
out=$(hk run --bundle "$b" "$(cid noamb)" 2>&1)
contains "uid 1000 without ambient: create warns" "$out" \
	"hako: warning: process.user.uid is 1000 and CAP_KILL CAP_NET_BIND_SERVICE CAP_IPC_LOCK CAP_AUDIT_WRITE are not in process.capabilities.ambient: the process will not hold them after execve"
contains "the warning says how to fix it" "$out" \
	"fix: add CAP_KILL CAP_NET_BIND_SERVICE CAP_IPC_LOCK CAP_AUDIT_WRITE to process.capabilities.ambient and .inheritable"
is "uid 1000 without ambient: CapEff is empty after execve" "$(capline CapEff "$out")" "$(mask)"
is "uid 1000 without ambient: CapPrm is empty after execve" "$(capline CapPrm "$out")" "$(mask)"

# ---- ... and with ambient: kept, and no warning ---------------------------------------
cfg "$b" '.process.capabilities.inheritable = ["CAP_IPC_LOCK"] | .process.capabilities.ambient = ["CAP_IPC_LOCK"]
	| .process.capabilities.effective = ["CAP_IPC_LOCK"] | .process.capabilities.permitted = ["CAP_IPC_LOCK"]'
out=$(hk run --bundle "$b" "$(cid amb)" 2>&1)
is "uid 1000 with ambient: CapEff holds CAP_IPC_LOCK" "$(capline CapEff "$out")" "$(mask $CAP_IPC_LOCK)"
is "uid 1000 with ambient: CapAmb holds CAP_IPC_LOCK" "$(capline CapAmb "$out")" "$(mask $CAP_IPC_LOCK)"
is "uid 1000 with ambient: the process runs as 1000" "$(grep '^Uid:' <<<"$out" | cut -f2)" 1000
is "and create prints no warning" "$(grep -c 'warning' <<<"$out")" 0

# ---- refusals before anything starts ----------------------------------------------------
# runc spec's shape: ambient without inheritable - a warning, as runc gives
cfg "$b" '.process.capabilities.inheritable = []'
out=$(hk run --bundle "$b" "$(cid ambinh)" 2>&1)
contains "ambient without inheritable: a warning naming the missing set" "$out" \
	"process.capabilities.ambient: CAP_IPC_LOCK is left out: a capability is ambient only when it is also in process.capabilities.inheritable"
contains "ambient without inheritable: runs, with nothing ambient" "$out" "CapAmb:	0000000000000000"

cfg "$b" '.process.capabilities.inheritable = ["CAP_NET_RAW"] | .process.capabilities.ambient = []'
fails_with "inheritable outside the bounding set is refused before anything starts" \
	"process.capabilities.inheritable: CAP_NET_RAW: in the inheritable set but not in bounding, so capset(2) will fail with EPERM" \
	hk run --bundle "$b" "$(cid inhbnd)"

own=$((0x$(grep '^CapPrm:' /proc/self/status | cut -f2)))
if (((own >> 24 & 1) == 0)); then
	cfg "$b" '.process.user = {uid: 0, gid: 0} | .process.capabilities = {bounding: ["CAP_SYS_RESOURCE"], permitted: ["CAP_SYS_RESOURCE"], effective: ["CAP_SYS_RESOURCE"]}'
	fails_with "a capability hako itself lacks is refused before anything starts" \
		"process.capabilities.permitted: CAP_SYS_RESOURCE: hako itself does not hold it, so it cannot give it to the container" \
		hk run --bundle "$b" "$(cid notheld)"
else
	skip "a capability hako itself lacks is refused" "hako holds CAP_SYS_RESOURCE on this host"
fi

# ---- file capabilities (seed 3) ------------------------------------------------------------
f=$(bundle fcaps -- /usr/bin/capprobe mlockall 16777216)
cp "$f/rootfs/usr/bin/hako-probe" "$f/rootfs/usr/bin/capprobe"
if ! setcap cap_ipc_lock+ep "$f/rootfs/usr/bin/capprobe" 2>/dev/null; then
	for n in 1 2 3 4 5; do skip "file capabilities ($n)" "setcap is missing or the file system has no xattrs"; done
else
	cfg "$f" '.process.user = {uid: 1000, gid: 1000} | .process.capabilities = {bounding: []}'
	fails_with "a file capability outside the bounding set is refused at create (execve would be EPERM)" \
		"execve of '/usr/bin/capprobe' will fail with EPERM: its file capabilities (cap_ipc_lock+ep) include CAP_IPC_LOCK, which is not in process.capabilities.bounding" \
		hk run --bundle "$f" "$(cid fcap1)"
	cfg "$f" '.process.capabilities.bounding = ["CAP_IPC_LOCK"]'
	out=$(hk run --bundle "$f" "$(cid fcap2)" 2>&1)
	contains "with noNewPrivileges the file capability grants nothing: create warns" "$out" \
		"the file capabilities of '/usr/bin/capprobe' (cap_ipc_lock+ep) will not grant CAP_IPC_LOCK: process.noNewPrivileges is true"
	contains "... and mlockall beyond RLIMIT_MEMLOCK fails" "$out" ENOMEM
	cfg "$f" '.process.noNewPrivileges = false'
	out=$(hk run --bundle "$f" "$(cid fcap3)" 2>&1)
	is "without noNewPrivileges the file capability works for uid 1000 (seed 3's fix)" "$out" ok
	ok "hako check agrees: no error" hk check --bundle "$f"
fi

done_testing
