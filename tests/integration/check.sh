#!/bin/bash
# check.sh - `hako check`: findings with severity, config path, what, why
# and fix; the exit status; JSON for tools; and that it creates nothing.
. "$(dirname "$0")/lib.sh"

ck() { "$HAKO" check "$@"; }

b=$(bundle plain -- /usr/bin/hako-probe exit 0)

# ---- a good bundle --------------------------------------------------------------------
out=$(ck --bundle "$b" 2>&1)
is "a good bundle: exit 0" "$?" 0
contains "a good bundle: no errors" "$out" "hako check: 0 errors"
json=$(ck --bundle "$b" --format json)
is "--format json parses, with counts" "$(jq -c '[.errors, .warnings]' <<<"$json")" "[0,0]"
is "each finding has severity, check, config, what, why, fix" \
	"$(jq -c '[.findings[] | keys] | unique' <<<"$json")" '[["check","config","fix","severity","what","why"]]'
is "the memlock note names hako's RLIMIT_MEMLOCK" \
	"$(jq -r '.findings[] | select(.check == "memlock") | .severity' <<<"$json")" note
contains "... and the limit in bytes" "$(jq -r '.findings[] | select(.check == "memlock") | .what' <<<"$json")" \
	"mlockall of more than $(($(ulimit -l) * 1024)) bytes"
(cd "$b" && "$HAKO" check >/dev/null)
is "the bundle defaults to the current directory" "$?" 0
fails_with "an unknown format is a usage error" "--format must be text or json" ck --bundle "$b" --format yaml
is "--list names the checks, marking those create runs too" \
	"$(ck --list | awk '{print $1}' | tr '\n' ' ')$(ck --list | grep -c 'also at create')" \
	"rootfs kernel netdevices rlimits sysctl apparmor program capabilities memlock seccomp 6"

# ---- it creates nothing ---------------------------------------------------------------------
cfg "$b" '.linux.sysctl = {"net.core.rmem_max": "1"} | .process.rlimits += [{type: "RLIMIT_MEMLOCK", soft: 1, hard: 1}]'
before=$(ls -lR "$b" | md5sum; ls /run | md5sum; ip netns list 2>/dev/null | md5sum; wc -l </proc/self/mountinfo)
ck --bundle "$b" >/dev/null
after=$(ls -lR "$b" | md5sum; ls /run | md5sum; ip netns list 2>/dev/null | md5sum; wc -l </proc/self/mountinfo)
is "check creates nothing: bundle, /run, network namespaces and mounts are as before" "$after" "$before"
ok "no state root was made" test ! -e "$HAKO_TEST_ROOT"

# ---- errors: exit 1, every problem, not only the first ----------------------------------------
e=$(bundle errors -- /usr/bin/hako-probe exit 0)
cfg "$e" '.ociVersion = "2.0.0" | .linux.sysctl = {"vm.swappiness": "10", "kernel.shmmax": "1"}
	| .linux.namespaces |= map(select(.type != "ipc"))
	| .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1024, hard: 99999999999}]
	| .mounts += [{destination: "/data", type: "bind", source: "/nonexistent/hako-check", options: ["rbind"]}]
	| .process.user = {uid: 1000, gid: 1000}'
out=$(ck --bundle "$e" 2>&1)
is "errors: exit 1" "$?" 1
json=$(ck --bundle "$e" --format json)
is "errors: the JSON agrees" "$(jq .errors <<<"$json")" "$(jq '[.findings[] | select(.severity == "error")] | length' <<<"$json")"
has() { # name severity check config what-substring
	local n
	n=$(jq --arg s "$2" --arg c "$3" --arg p "$4" --arg w "$5" \
		'[.findings[] | select(.severity == $s and .check == $c and .config == $p and (.what | contains($w)))] | length' <<<"$json")
	is "$1" "$n" 1
}
has "the validator's error is a finding" error config ociVersion 'ociVersion: "2.0.0" is not a 1.x version'
has "a host-global sysctl" error sysctl 'linux.sysctl["vm.swappiness"]' "vm.swappiness is host-global"
has "an IPC sysctl without an ipc namespace" error sysctl 'linux.sysctl["kernel.shmmax"]' "belongs to the ipc namespace"
has "an rlimit above fs.nr_open" error rlimits 'process.rlimits[0]' "cannot set RLIMIT_NOFILE hard limit to 99999999999"
has "a missing bind mount source" error rootfs "mounts[$(jq '.mounts | length - 1' "$e/config.json")].source" "/nonexistent/hako-check"
has "capabilities lost at the uid switch" warning capabilities process.capabilities.ambient \
	"process.user.uid is 1000 and CAP_KILL CAP_NET_BIND_SERVICE CAP_AUDIT_WRITE are not in process.capabilities.ambient"
contains "text: one block per finding with what, why and fix" "$out" "error: sysctl: linux.sysctl[\"vm.swappiness\"]
  what  linux.sysctl[\"vm.swappiness\"]: vm.swappiness is host-global"
contains "text: a why line" "$out" "  why   switching from uid 0 to 1000 clears the effective and permitted sets"
contains "text: a fix line" "$out" "  fix   add CAP_KILL CAP_NET_BIND_SERVICE CAP_AUDIT_WRITE to process.capabilities.ambient and .inheritable"
contains "text: the summary" "$out" "hako check: 5 errors, 1 warning"

# ---- create says the same as check ----------------------------------------------------------
cfg "$e" '.ociVersion = "1.3.0" | .linux.sysctl = {} | .mounts |= .[:-1] | .process.rlimits = []'
ok "with the errors fixed only the warning is left: exit 0" ck --bundle "$e"
cfg "$e" '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1024, hard: 99999999999}]'
check_what=$(ck --bundle "$e" --format json | jq -r '.findings[] | select(.check == "rlimits") | .what')
fails_with "create refuses with the text check printed" "$check_what" hk run --bundle "$e" "$(cid same)"

# ---- warnings of the validator become findings -------------------------------------------
w=$(bundle warn -- true)
cfg "$w" '.mounts += [{destination: "data", type: "tmpfs", source: "tmpfs"}]'
json=$(ck --bundle "$w" --format json)
has "a validator warning is a finding with its config path" warning config \
	"mounts[$(jq '.mounts | length - 1' "$w/config.json")].destination" 'is relative'
is "... and stderr stays quiet" "$(ck --bundle "$w" 2>&1 >/dev/null)" ""

# ---- the bundle itself ------------------------------------------------------------------------
fails_with "a missing bundle is an error" "cannot use bundle directory" ck --bundle "$WORK/nothere"
m=$(bundle norootfs -- true)
rm -rf "$m/rootfs"
json=$(ck --bundle "$m" --format json)
has "a missing rootfs" error rootfs root.path "cannot use '$m/rootfs' as the container's root"

# ---- rootfs out of reach of a mapped root (seed 2, step 4) --------------------------------------
u=$(bundle userns -- true)
chmod 0711 "$WORK" # mktemp made it 0700, which would stop the mapped root first
mkdir -p "$WORK/private"
mv "$u/rootfs" "$WORK/private/rootfs"
chmod 0770 "$WORK/private"
cfg "$u" ".root.path = \"$WORK/private/rootfs\" | .linux.namespaces += [{type: \"user\"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]"
json=$(ck --bundle "$u" --format json)
has "a 0770 parent of the rootfs stops the mapped root" error rootfs root.path \
	"rootfs '$WORK/private/rootfs' is not reachable by the container's root (host uid 100000): '$WORK/private' has mode 0770 and owner 0:0"
is "... and the fix says how" "$(jq -r '.findings[] | select(.check == "rootfs") | .fix' <<<"$json")" \
	"grant search permission on it (chmod o+x '$WORK/private'), or give it to the mapped root (chown 100000 '$WORK/private')"
chmod 0771 "$WORK/private"
is "o+x is enough" "$(ck --bundle "$u" --format json | jq '[.findings[] | select(.check == "rootfs")] | length')" 0

# ---- process.args[0] is looked at, never opened, by host root ---------------------------------
# A real open of an image's FIFO blocks for ever; one of an image's device
# node runs its driver as host root, outside any device cgroup.
f=$(bundle fifo -- /usr/bin/prog)
mkfifo "$f/rootfs/usr/bin/prog"
json=$(timeout 20 "$HAKO" check --bundle "$f" --format json)
is "a FIFO as args[0]: check returns (it does not open the FIFO)" "$?" 1
has "... and says it is not a regular file" error program 'process.args[0]' \
	"the program '/usr/bin/prog' is not a regular file: it is a FIFO"
fails_with "... and create returns, refusing to run it" "cannot run '/usr/bin/prog'" \
	timeout 20 "$HAKO" --root "$HAKO_TEST_ROOT" run --bundle "$f" "$(cid fifo)"
f=$(bundle cdev -- prog)
mknod "$f/rootfs/usr/bin/prog" c 1 3
json=$(ck --bundle "$f" --format json)
has "a device node found on PATH is not a regular file" error program 'process.args[0]' \
	"the program '/usr/bin/prog' is not a regular file: it is a character device"
if command -v strace >/dev/null; then
	strace -f -qq -o "$WORK/trace" -e trace=open,openat,openat2 "$HAKO" check --bundle "$f" >/dev/null 2>&1
	is "... and hako opens it only with O_PATH" \
		"$(grep '/prog"' "$WORK/trace" | grep -vc 'O_PATH')" 0
	contains "... (strace saw the O_PATH look)" "$(cat "$WORK/trace")" '/prog", {flags=O_RDONLY|O_CLOEXEC|O_PATH'
else
	skip "... and hako opens it only with O_PATH" "strace is not installed"
	skip "... (strace saw the O_PATH look)" "strace is not installed"
fi

# ---- kernel support ---------------------------------------------------------------------------
k=$(bundle kernel -- true)
cfg "$k" '.linux.namespaces += [{type: "time"}] | .linux.seccomp = {defaultAction: "SCMP_ACT_LOG"}'
json=$(ck --bundle "$k" --format json)
if [ -e /proc/self/ns/time ] && grep -qw log /proc/sys/kernel/seccomp/actions_avail; then
	is "a kernel with time namespaces and SCMP_ACT_LOG: no kernel finding" \
		"$(jq '[.findings[] | select(.check == "kernel")] | length' <<<"$json")" 0
else
	has "a kernel without time namespaces or SCMP_ACT_LOG says so" error kernel linux.namespaces "time namespace"
fi
if [ "$(cat /proc/sys/user/max_user_namespaces)" = 0 ]; then
	cfg "$k" '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 1}] | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 1}]'
	json=$(ck --bundle "$k" --format json)
	has "user namespaces switched off" error kernel linux.namespaces "user.max_user_namespaces is 0"
else
	skip "user namespaces switched off are an error" "user namespaces work on this host, and switching them off would disturb other tests"
fi

# ---- process.apparmorProfile (tests/integration/apparmor.sh runs the containers) ----------------
a=$(bundle apparmor -- true)
cfg "$a" '.process.apparmorProfile = "hako-check-missing"'
json=$(ck --bundle "$a" --format json)
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	skip "AppArmor off: the profile is a warning, the container runs unconfined" "AppArmor is enabled on this host"
	skip "... with why and fix" "AppArmor is enabled on this host"
	skip "... and no error: exit 0" "AppArmor is enabled on this host"
	if [ -r /sys/kernel/security/apparmor/profiles ]; then
		has "AppArmor on: a profile that is not loaded is an error" error apparmor process.apparmorProfile \
			'AppArmor profile "hako-check-missing" is not loaded'
	else
		skip "AppArmor on: a profile that is not loaded is an error" "securityfs is not mounted on /sys/kernel/security"
	fi
else
	has "AppArmor off: the profile is a warning, the container runs unconfined" warning apparmor process.apparmorProfile \
		'process.apparmorProfile "hako-check-missing" is not applied: AppArmor is not enabled on this host, so the container runs unconfined'
	is "... with why and fix" \
		"$(jq -r '.findings[] | select(.check == "apparmor") | (.why != "") and (.fix | contains("remove process.apparmorProfile"))' <<<"$json")" true
	ok "... and no error: exit 0" ck --bundle "$a"
	skip "AppArmor on: a profile that is not loaded is an error" \
		"AppArmor is not enabled on this host (apparmor.sh checks it in tests/vm)"
fi
cfg "$a" '.process.apparmorProfile = ""'
is "an empty apparmorProfile asks for nothing" \
	"$(ck --bundle "$a" --format json | jq '[.findings[] | select(.check == "apparmor")] | length')" 0

done_testing
