#!/bin/bash
# apparmor.sh - process.apparmorProfile: the program runs in the profile
# from its first instruction (seen from inside: attr/current, a write and a
# read the profile denies with EACCES next to ones it allows), also with
# noNewPrivileges, in a user namespace, without a /proc mount, and through
# create + start; a container without the field runs unconfined; a profile
# that is not loaded fails create and leaves nothing behind.  On a host
# without AppArmor (the development machines) the profile is warned about
# and the container runs unconfined; the confinement checks run in the VM
# (tests/vm), whose Debian kernel enables AppArmor, and skip here with the
# reason.
. "$(dirname "$0")/lib.sh"

field() { sed -n "s/^$1 //p" <<<"$2" | head -1; }
# Nothing of container $2 is left: state directory, cgroup, process.
nothing_left() {
	local left=""
	[ -e "$HAKO_TEST_ROOT/$2" ] && left+=" state"
	[ -n "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$2" 2>/dev/null)" ] && left+=" cgroup"
	pgrep -f "hako .*$2\$" >/dev/null && left+=" process"
	is "$1: nothing left behind" "$left" ""
}
# The AppArmor attribute of a process: the per-LSM file (Linux 5.8), or the
# shared one before it.
attr() { # PID NAME
	cat "/proc/$1/attr/apparmor/$2" 2>/dev/null || cat "/proc/$1/attr/$2" 2>&1
}

is "hako features: AppArmor is supported" "$("$HAKO" features | jq -c .linux.apparmor)" '{"enabled":true}'

missing=hako-test-missing-$$
# What the container reports: its profile, then the file accesses the test
# profile denies (a write below /data/denied, a read of /etc/hako-secret)
# and the same kind of access it allows.
report='echo "current $(cat /proc/self/attr/apparmor/current 2>/dev/null || cat /proc/self/attr/current)"
	echo "write-allowed $(hako-probe open /data/allowed/f w)"
	echo "write-denied $(hako-probe open /data/denied/f w)"
	echo "read-denied $(hako-probe open /etc/hako-secret r)"
	echo "read-allowed $(hako-probe open /etc/hako-public r)"'
# A bundle whose rootfs has the files of the report, open to any uid so
# that only the profile can deny.
aa_bundle() { # NAME -- CMD...
	local b
	b=$(bundle "$@")
	mkdir -p "$b/rootfs/data/allowed" "$b/rootfs/data/denied"
	chmod 1777 "$b/rootfs/data/allowed" "$b/rootfs/data/denied"
	echo secret >"$b/rootfs/etc/hako-secret"
	echo public >"$b/rootfs/etc/hako-public"
	chmod 644 "$b/rootfs/etc/hako-secret" "$b/rootfs/etc/hako-public"
	cfg "$b" '.root.readonly = false'
	echo "$b"
}

if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
	# ---- a host without AppArmor: warned about, run unconfined ------------------------------
	b=$(bundle off -- /usr/bin/hako-probe exit 0)
	cfg "$b" ".process.apparmorProfile = \"$missing\""
	out=$(hk run --bundle "$b" "$(cid off)" 2>&1)
	is "AppArmor off: a container with a profile runs" "$?" 0
	contains "... and create warns that it runs unconfined" "$out" \
		"process.apparmorProfile \"$missing\" is not applied: AppArmor is not enabled on this host, so the container runs unconfined"
	json=$("$HAKO" check --bundle "$b" --format json)
	is "hako check: a warning of the apparmor row at process.apparmorProfile" \
		"$(jq -r '.findings[] | select(.check == "apparmor") | .severity + " " + .config' <<<"$json")" \
		"warning process.apparmorProfile"
	is "... and no error" "$(jq .errors <<<"$json")" 0
	why="AppArmor is not enabled on this host (/sys/module/apparmor/parameters/enabled is not Y); tests/vm runs these"
	for c in "a container without apparmorProfile is unconfined" \
		"apparmorProfile \"unconfined\" runs, unconfined, and check is silent" \
		"a profile that is not loaded fails create, and nothing is left" \
		"hako check: a profile that is not loaded is an error" \
		"the program runs in the profile: attr/current, denied and allowed accesses" \
		"with noNewPrivileges and a non-root user" "in a user namespace" "without a /proc mount" \
		"create + start: the init waits unconfined, the program and a startContainer hook run in the profile"; do
		skip "$c" "$why"
	done
	done_testing
fi

# ---- AppArmor on, any profile -----------------------------------------------------------
b=$(bundle none -- sh -c 'cat /proc/self/attr/apparmor/current 2>/dev/null || cat /proc/self/attr/current')
out=$(hk run --bundle "$b" "$(cid none)" 2>&1)
is "a container without apparmorProfile is unconfined" "$out" unconfined
# Docker's --security-opt apparmor=unconfined: a name the kernel always
# knows, never in the list of loaded profiles
cfg "$b" '.process.apparmorProfile = "unconfined"'
out=$(hk run --bundle "$b" "$(cid unconfined)" 2>&1)
is "apparmorProfile \"unconfined\" runs, unconfined" "$out" unconfined
json=$("$HAKO" check --bundle "$b" --format json)
is "... and hako check finds nothing to say about it" \
	"$(jq '[.findings[] | select(.check == "apparmor")] | length' <<<"$json")" 0

b=$(bundle missing -- /usr/bin/hako-probe exit 0)
cfg "$b" ".process.apparmorProfile = \"$missing\""
id=$(cid missing)
out=$(hk run --bundle "$b" "$id" 2>&1)
is "run: a profile that is not loaded fails" "$?" 1
contains "... naming process.apparmorProfile and the profile" "$out" \
	"process.apparmorProfile: AppArmor profile \"$missing\" is not loaded: No such file or directory (ENOENT)"
contains "... with the fix" "$out" \
	"hint: load it with apparmor_parser -r FILE (see /sys/kernel/security/apparmor/profiles)"
nothing_left run "$id"
fails_with "create: the same, before create returns" \
	"AppArmor profile \"$missing\" is not loaded" hk create --bundle "$b" "$id"
nothing_left create "$id"
json=$("$HAKO" check --bundle "$b" --format json)
if [ -r /sys/kernel/security/apparmor/profiles ]; then
	is "hako check: a profile that is not loaded is an error" \
		"$(jq -r '.findings[] | select(.check == "apparmor") | .severity + " " + .what' <<<"$json")" \
		"error AppArmor profile \"$missing\" is not loaded"
else
	skip "hako check: a profile that is not loaded is an error" \
		"/sys/kernel/security/apparmor/profiles cannot be read (securityfs is not mounted)"
fi

# ---- confinement, with a profile of the test's own --------------------------------------
parser=$(PATH=$PATH:/usr/sbin:/sbin command -v apparmor_parser)
if [ -z "$parser" ] || [ ! -w /sys/kernel/security/apparmor/.replace ]; then
	why=${parser:+"securityfs is not mounted on /sys/kernel/security"}
	for c in "the program runs in the profile: attr/current, denied and allowed accesses" \
		"with noNewPrivileges and a non-root user" "in a user namespace" "without a /proc mount" \
		"create + start: the init waits unconfined, the program and a startContainer hook run in the profile"; do
		skip "$c" "${why:-apparmor_parser is not installed (package apparmor)}"
	done
	done_testing
fi

prof=hako-test-$$
cat >"$WORK/profile" <<EOF
profile $prof flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  signal,
  ptrace,
  unix,
  mount,
  umount,
  pivot_root,
  deny /data/denied/** w,
  deny /etc/hako-secret r,
}
EOF
unload() { "$parser" -K -R "$WORK/profile" >/dev/null 2>&1; }
trap 'unload; _cleanup' EXIT
ok "apparmor_parser loads the test profile $prof" "$parser" -K -r "$WORK/profile"

check_report() { # NAME: the report in $out shows the profile at work
	is "$1: attr/current names the profile" "$(field current "$out")" "$prof (enforce)"
	is "$1: a write the profile denies fails with EACCES" "$(field write-denied "$out")" EACCES
	is "$1: ... while one it allows works" "$(field write-allowed "$out")" ok
	is "$1: a read the profile denies fails with EACCES" "$(field read-denied "$out")" EACCES
	is "$1: ... while one it allows works" "$(field read-allowed "$out")" ok
}

b=$(aa_bundle confined -- sh -c "$report")
cfg "$b" ".process.apparmorProfile = \"$prof\""
out=$(hk run --bundle "$b" "$(cid confined)" 2>&1)
check_report "run"
json=$("$HAKO" check --bundle "$b" --format json)
is "hako check: a loaded profile is no finding" "$(jq '[.findings[] | select(.check == "apparmor")] | length' <<<"$json")" 0

b=$(aa_bundle nnp -- sh -c "$report
	echo \"uid \$(id -u)\"; echo \"nnp \$(grep ^NoNewPrivs: /proc/self/status | cut -f2)\"")
cfg "$b" ".process.apparmorProfile = \"$prof\" | .process.noNewPrivileges = true
	| .process.user = {uid: 1000, gid: 1000}"
out=$(hk run --bundle "$b" "$(cid nnp)" 2>&1)
is "noNewPrivileges: the process runs as uid 1000 with no_new_privs" \
	"$(field uid "$out") $(field nnp "$out")" "1000 1"
check_report "noNewPrivileges, uid 1000"

# A user namespace of its own: the init opens the attribute as the root of
# that namespace, its uid mapped away from the host's root (which must be
# able to enter the work directory).
chmod 755 "$WORK"
b=$(aa_bundle userns -- sh -c "$report")
cfg "$b" ".process.apparmorProfile = \"$prof\" | .linux.namespaces += [{type: \"user\"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .mounts |= map(select(.destination != \"/sys/fs/cgroup\"))
	| .mounts |= map(if .destination == \"/sys\" then {destination: \"/sys\", type: \"bind\",
	  source: \"/sys\", options: [\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"]} else . end)"
out=$(hk run --bundle "$b" "$(cid userns)" 2>&1)
check_report "user namespace"

# No /proc in the container: the attribute was opened in the host's /proc.
b=$(aa_bundle noproc -- sh -c 'echo "proc $(ls /proc | wc -l)"
	echo "write-allowed $(hako-probe open /data/allowed/f w)"
	echo "write-denied $(hako-probe open /data/denied/f w)"')
cfg "$b" ".process.apparmorProfile = \"$prof\" | .mounts |= map(select(.destination != \"/proc\"))"
out=$(hk run --bundle "$b" "$(cid noproc)" 2>&1)
is "without a /proc mount: the container's /proc is empty" "$(field proc "$out")" 0
is "without a /proc mount: a write the profile denies fails with EACCES" "$(field write-denied "$out")" EACCES
is "without a /proc mount: ... while one it allows works" "$(field write-allowed "$out")" ok

# create + start: hako's init waits for start unconfined; the program
# (writing its report to the rootfs) runs in the profile.
# A startContainer hook, forked by the init after it asked for the profile,
# runs in it too (as with runc).
b=$(aa_bundle split -- sh -c "{ $report; } >/result")
cfg "$b" ".process.apparmorProfile = \"$prof\" | .hooks.startContainer = [{path: \"/bin/sh\",
	args: [\"sh\", \"-c\", \"cat /proc/self/attr/apparmor/current >/hook-result\"]}]"
id=$(cid split)
ok "create with a profile" hk create --bundle "$b" "$id"
pid=$(hk state "$id" | jq -r .pid)
# (attr/exec cannot show the pending profile: AppArmor answers a read of
# it with the reader's own, security/apparmor/lsm.c.)
is "create: the waiting init is unconfined" "$(attr "$pid" current)" unconfined
ok "start" hk start "$id"
for _ in $(seq 100); do
	[ "$(hk state "$id" | jq -r .status)" = stopped ] && break
	sleep 0.1
done
out=$(cat "$b/rootfs/result" 2>&1)
check_report "create + start"
is "create + start: a startContainer hook runs in the profile" "$(cat "$b/rootfs/hook-result" 2>&1)" \
	"$prof (enforce)"
ok "delete" hk delete "$id"

ok "apparmor_parser unloads the test profile" "$parser" -K -R "$WORK/profile"
trap '_cleanup' EXIT
is "the test profile is gone" "$(grep -c "^$prof " /sys/kernel/security/apparmor/profiles)" 0
done_testing
