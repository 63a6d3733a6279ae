#!/bin/bash
# stories.sh - the four stories of ../shared/seeds as tests: each failure
# reproduced in a real container, `hako check` predicting it beforehand,
# and the fix that makes it work.
. "$(dirname "$0")/lib.sh"

# A finding of `hako check --format json` on bundle $1 whose check is $2 and
# whose "what" contains $3: prints its severity, or nothing.
finding() {
	"$HAKO" check --bundle "$1" --format json |
		jq -r --arg c "$2" --arg w "$3" '.findings[] | select(.check == $c and (.what | contains($w))) | .severity'
}

memlock_hard=$(($(ulimit -H -l) * 1024))
big=$((memlock_hard * 2)) # more than RLIMIT_MEMLOCK lets a process lock

# ---- seed 3: a non-root process must mlockall (Docker USER + --cap-add IPC_LOCK) ---------
b=$(bundle seed3 -- /usr/bin/hako-probe mlockall "$big")
cfg "$b" '.process.user = {uid: 1000, gid: 1000}
	| .process.capabilities = {bounding: ["CAP_IPC_LOCK"], effective: ["CAP_IPC_LOCK"], permitted: ["CAP_IPC_LOCK"]}'
is "seed 3: check warns that CAP_IPC_LOCK is lost at the uid switch" \
	"$(finding "$b" capabilities "process.user.uid is 1000 and CAP_IPC_LOCK is not in process.capabilities.ambient")" warning
is "seed 3: check notes what that means for mlockall, with the limit" \
	"$(finding "$b" memlock "mlockall of more than $memlock_hard bytes")" note
out=$(hk run --bundle "$b" "$(cid seed3-noamb)" 2>&1)
contains "seed 3: create prints the warning" "$out" "hako: warning: process.user.uid is 1000 and CAP_IPC_LOCK is not in process.capabilities.ambient"
is "seed 3: uid 1000 without ambient: mlockall of $big bytes fails with ENOMEM" "$(tail -n1 <<<"$out")" ENOMEM
cfg "$b" '.process.capabilities.inheritable = ["CAP_IPC_LOCK"] | .process.capabilities.ambient = ["CAP_IPC_LOCK"]'
is "seed 3: with CAP_IPC_LOCK ambient, check finds nothing about it" \
	"$(finding "$b" capabilities CAP_IPC_LOCK)$(finding "$b" memlock mlockall)" ""
is "seed 3: uid 1000 with CAP_IPC_LOCK ambient: mlockall of $big bytes works" \
	"$(hk run --bundle "$b" "$(cid seed3-amb)" 2>&1)" ok

# ---- seed 1: an allow-list without @memlock (systemd-nspawn 235, Elasticsearch) -----------
# Everything a small static program needs, but not @memlock: nspawn's list.
allow='["@default", "@basic-io", "@file-system", "@io-event", "@ipc", "@network-io", "@process",
	"@resources", "@setuid", "@signal", "@sync", "@timer", "@aio", "@chown", "@keyring",
	"capget", "capset", "ioctl", "madvise", "mremap", "prctl", "uname", "arch_prctl", "sysinfo"]'
s=$(bundle seed1 -- /usr/bin/hako-probe mlockall "$big")
cfg "$s" ".process.capabilities.bounding += [\"CAP_IPC_LOCK\"] | .process.capabilities.effective += [\"CAP_IPC_LOCK\"]
	| .process.capabilities.permitted += [\"CAP_IPC_LOCK\"]
	| .linux.seccomp = {defaultAction: \"SCMP_ACT_ERRNO\", syscalls: [{names: $allow, action: \"SCMP_ACT_ALLOW\"}]}
	| .annotations = {\"org.hako.seccomp.report\": \"true\"}"
compile_errors=$("$HAKO" check --bundle "$s" --format json | jq '[.findings[] | select(.check == "seccomp" and .severity == "error")] | length')
if [ "$compile_errors" != 0 ]; then
	for n in $(seq 11); do skip "seed 1 ($n)" "linux.seccomp does not compile here: $("$HAKO" check --bundle "$s" 2>&1 | head -3 | tr '\n' ' ')"; done
else
	is "seed 1: check warns that the profile denies @memlock although CAP_IPC_LOCK is granted" \
		"$(finding "$s" seccomp "CAP_IPC_LOCK is granted, but the seccomp profile denies mlock, mlock2, mlockall, munlock, munlockall (@memlock)")" warning
	out=$(hk run --bundle "$s" "$(cid seed1-deny)" 2>&1)
	is "seed 1: mlockall fails with EPERM (seccomp, not the rlimit)" "$(grep -x 'E[A-Z]*' <<<"$out")" EPERM
	contains "seed 1: create warned beforehand" "$out" "hako: warning: CAP_IPC_LOCK is granted, but the seccomp profile denies"
	contains "seed 1: the denial is reported by name" "$out" "denied mlockall"
	contains "... with the group to allow" "$out" "allow @memlock"
	# nspawn's default: no CAP_IPC_LOCK, no @memlock
	cfg "$s" '.process.capabilities.bounding -= ["CAP_IPC_LOCK"] | .process.capabilities.effective -= ["CAP_IPC_LOCK"]
		| .process.capabilities.permitted -= ["CAP_IPC_LOCK"] | .process.args[2] = "1048576"'
	is "seed 1: without CAP_IPC_LOCK check still warns that @memlock is denied" \
		"$(finding "$s" seccomp "the seccomp profile denies mlock, mlock2, mlockall, munlock, munlockall (@memlock)")" warning
	is "seed 1: even 1 MiB, within RLIMIT_MEMLOCK, fails with EPERM" "$(hk run --bundle "$s" "$(cid seed1-small)" 2>/dev/null)" EPERM
	cfg "$s" '.linux.seccomp.syscalls[0].names += ["@memlock"]'
	is "seed 1: SystemCallFilter=@memlock alone: 1 MiB works" "$(hk run --bundle "$s" "$(cid seed1-group)" 2>&1)" ok
	cfg "$s" ".process.args[2] = \"$big\""
	is "seed 1: ... but not more than RLIMIT_MEMLOCK" "$(hk run --bundle "$s" "$(cid seed1-groupbig)" 2>/dev/null)" ENOMEM
	cfg "$s" '.process.capabilities.bounding += ["CAP_IPC_LOCK"] | .process.capabilities.effective += ["CAP_IPC_LOCK"]
		| .process.capabilities.permitted += ["CAP_IPC_LOCK"]'
	is "seed 1: with @memlock allowed and CAP_IPC_LOCK check has nothing to say about it" "$(finding "$s" seccomp memlock)" ""
	is "seed 1: with @memlock allowed and CAP_IPC_LOCK mlockall of $big bytes works" "$(hk run --bundle "$s" "$(cid seed1-allow)" 2>&1)" ok
fi

# ---- seed 4: kernel parameters for containers (docker --sysctl) ----------------------------
host_icmp=$(cat /proc/sys/net/ipv4/icmp_echo_ignore_all)
k=$(bundle seed4 -- cat /proc/sys/net/ipv4/icmp_echo_ignore_all)
cfg "$k" '.linux.sysctl = {"net.ipv4.icmp_echo_ignore_all": "1"}'
ok "seed 4: check has no error for a namespaced key" "$HAKO" check --bundle "$k"
is "seed 4: net.ipv4.icmp_echo_ignore_all=1 in the container" "$(hk run --bundle "$k" "$(cid seed4-icmp)" 2>&1)" 1
is "seed 4: the host keeps its value" "$(cat /proc/sys/net/ipv4/icmp_echo_ignore_all)" "$host_icmp"

host_swappiness=$(cat /proc/sys/vm/swappiness)
cfg "$k" '.linux.sysctl = {"vm.swappiness": "0"}'
is "seed 4: check calls vm.swappiness an error" "$(finding "$k" sysctl "vm.swappiness is host-global")" error
id=$(cid seed4-swap)
fails_with "seed 4: vm.swappiness is refused: host-global, set it on the host" \
	'vm.swappiness is host-global (no namespace owns it); setting it from a container would change the host' \
	hk run --bundle "$k" "$id"
is "seed 4: the host keeps vm.swappiness" "$(cat /proc/sys/vm/swappiness)" "$host_swappiness"
fails_with "seed 4: nothing is left behind: no state" "does not exist" hk state "$id"
is "seed 4: nothing is left behind: no cgroup" "$(find /sys/fs/cgroup -maxdepth 6 -name "$id" 2>/dev/null | wc -l)" 0

# ---- seed 2, step 4: the mapped root cannot reach the rootfs (unprivileged LXC) -------------
u=$(bundle seed2 -- id -u)
chmod 0711 "$WORK" # mktemp's 0700 would be the first obstacle
mkdir "$WORK/lxc"
mv "$u/rootfs" "$WORK/lxc/rootfs"
chmod 0770 "$WORK/lxc" # as lxc-create left /usr/local/var/lib/lxc/centos7
cfg "$u" ".root.path = \"$WORK/lxc/rootfs\" | .linux.namespaces += [{type: \"user\"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]"
is "seed 2: check says the mapped root cannot reach the rootfs" \
	"$(finding "$u" rootfs "is not reachable by the container's root (host uid 100000): '$WORK/lxc' has mode 0770")" error
fails_with "seed 2: create fails with EACCES, explained" "(host uid 100000)" hk run --bundle "$u" "$(cid seed2-0770)"
chmod 0775 "$WORK/lxc" # the article's fix
is "seed 2: after chmod 775 check is content" "$(finding "$u" rootfs "not reachable")" ""
is "seed 2: and the container runs as root of its user namespace" "$(hk run --bundle "$u" "$(cid seed2-0775)" 2>&1)" 0
skip "seed 2, step 3: user namespaces disabled by the kernel" \
	"switching user namespaces off on this host would disturb other tests (unit test kernel_support covers the finding)"

done_testing
