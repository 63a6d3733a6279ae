#!/bin/bash
# cgroups.sh - placement and linux.resources on cgroup v1 (and the hybrid
# layout: v1 controllers plus a cgroup2 "unified" tree), read back from the
# cgroup files on the host and from inside the container; the LXC traps
# (an empty cpuset parent, a stale cgroup from a crashed start); failures
# that leave nothing behind.  A controller this host lacks is said so and
# its checks skip; asking for it is then checked to fail with its name.
# (cgroups_cmds.sh: pause, update, ps, events, kill --all, delete --force;
# cgroups_v2.sh: the same on cgroup v2, in the VM of tests/vm.)
. "$(dirname "$0")/lib.sh"

CGROUP2_SUPER_MAGIC=63677270
if [ "$(stat -f -c %t /sys/fs/cgroup)" = "$CGROUP2_SUPER_MAGIC" ]; then
	echo "1..0 # SKIP /sys/fs/cgroup is cgroup2: cgroups_v2.sh tests this host"
	exit 0
fi

# The mount point of the v1 hierarchy that has controller $1, or "".
v1_mount() {
	awk -v c="$1" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++)
		if (o[i] == c) { print $2; exit } }' /proc/self/mounts
}
# The container's directory in the hierarchy of controller $1.
cgdir() { echo "$(v1_mount "$1")$2"; }
unified=/sys/fs/cgroup/unified
[ "$(stat -f -c %t $unified 2>/dev/null)" = "$CGROUP2_SUPER_MAGIC" ] || unified=""
# Why a controller is not here, for skips: /proc/cgroups knows it or not.
why_missing() {
	if grep -qw "^$1" /proc/cgroups; then
		echo "the $1 controller is not mounted on this host ($(awk -v c="$1" '$1 == c {
			print "hierarchy " $2 " in /proc/cgroups" }' /proc/cgroups))"
	else
		echo "this kernel has no $1 controller (not in /proc/cgroups)"
	fi
}

# ---- 1. placement -----------------------------------------------------------

b=$(bundle place -- sleep 100)
id=$(cid place)
ok "create" hk create --bundle "$b" --pid-file "$WORK/pid" "$id"
pid=$(cat "$WORK/pid")
# joined at create, before the user process runs
want=""
while IFS=: read -r _ ctrls _; do
	want+="${ctrls}:/hako/$id "
done </proc/self/cgroup
got=$(cut -d: -f2,3 "/proc/$pid/cgroup" | tr '\n' ' ')
is "the created init is in /hako/<id> of every hierarchy (cgroup2 \"unified\" too)" "$got" "$want"
for c in memory pids cpu cpuset devices freezer; do
	d=$(cgdir $c "/hako/$id")
	if [ -z "$(v1_mount $c)" ]; then
		skip "$c: cgroup.procs holds the init" "$(why_missing $c)"
	else
		is "$c: cgroup.procs holds the init" "$(val "$d/cgroup.procs")" "$pid"
	fi
done
ok "the init has a cgroup namespace of its own" \
	test "$(readlink "/proc/$pid/ns/cgroup")" != "$(readlink /proc/self/ns/cgroup)"
ok "delete of the created container" hk delete "$id"
left=$(ls -d /sys/fs/cgroup/*/hako/"$id" 2>/dev/null)
is "delete removed /hako/<id> from every hierarchy" "$left" ""

# what the container sees: the namespace root, and its own files at /sys/fs/cgroup
b=$(bundle inside -- sh -c 'cat /proc/self/cgroup; echo limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)')
cfg "$b" '.linux.resources.memory = {"limit": 67108864}'
inside=$(hk run --bundle "$b" "$(cid inside)" 2>&1)
is "/proc/self/cgroup inside: every hierarchy at the namespace root" \
	"$(grep -c ':/$' <<<"$inside")" "$(grep -c . /proc/self/cgroup)"
contains "the container's /sys/fs/cgroup/memory is its own cgroup (its limit)" "$inside" \
	"limit=67108864"

# relative: below hako's own cgroup in each hierarchy (memory is below
# /process_api/... on this kind of host)
b=$(bundle rel -- sleep 100)
id=$(cid rel)
cfg "$b" ".linux.cgroupsPath = \"$id\""
ok "create with a relative cgroupsPath" hk create --bundle "$b" --pid-file "$WORK/pid" "$id"
pid=$(cat "$WORK/pid")
want=""
while IFS=: read -r _ ctrls path; do
	[ "$path" = / ] && path=""
	want+="${ctrls}:$path/$id "
done </proc/self/cgroup
is "relative cgroupsPath: below hako's own cgroup in every hierarchy" \
	"$(cut -d: -f2,3 "/proc/$pid/cgroup" | tr '\n' ' ')" "$want"
ok "delete" hk delete "$id"
is "the relative cgroups are gone" "$(cut -d: -f2,3 /proc/self/cgroup | while IFS=: read -r c p; do
	[ "$p" = / ] && p=""; m=$(v1_mount "${c#name=}"); [ -n "$m" ] && [ -e "$m$p/$id" ] && echo "$m$p/$id"
done)" ""

# absolute, several levels: the levels hako made go on delete
b=$(bundle abs -- sleep 100)
id=$(cid abs)
top=$(cid abstop)
cfg "$b" ".linux.cgroupsPath = \"/$top/sub/$id\""
ok "create with an absolute cgroupsPath three levels deep" hk create --bundle "$b" \
	--pid-file "$WORK/pid" "$id"
is "the init is at the absolute path" "$(grep ':pids:' "/proc/$(cat "$WORK/pid")/cgroup")" \
	"$(grep ':pids:' /proc/self/cgroup | cut -d: -f1,2):/$top/sub/$id"
ok "delete" hk delete "$id"
ok "the parent levels hako made are gone too" test ! -e "$(v1_mount pids)/$top"

cfg "$b" '.linux.cgroupsPath = "/"'
fails_with "cgroupsPath \"/\" is refused" "is the root of the" hk create --bundle "$b" "$(cid root)"
ok "...and leaves no state" test ! -e "$HAKO_TEST_ROOT/$(cid root)"

# ---- 2. cgroup v1 resources ---------------------------------------------------

b=$(bundle res -- sleep 100)
id=$(cid res)
cfg "$b" '.linux.resources.memory = {"limit": 104857600, "reservation": 52428800,
	"swap": 209715200, "kernelTCP": 16777216, "swappiness": 10, "disableOOMKiller": true}
	| .linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000, "burst": 1000,
	"cpus": "0", "mems": "0", "realtimePeriod": 500000}
	| .linux.resources.pids = {"limit": 42}
	| .linux.resources.devices += [{"allow": true, "type": "c", "major": 10, "minor": 200, "access": "rw"},
	  {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]'
ok "create with memory, cpu, cpuset, pids and device resources" hk create --bundle "$b" "$id"
m=$(cgdir memory "/hako/$id")
is "memory.limit -> memory.limit_in_bytes" "$(val "$m/memory.limit_in_bytes")" 104857600
is "memory.reservation -> memory.soft_limit_in_bytes" "$(val "$m/memory.soft_limit_in_bytes")" 52428800
if [ -e "$m/memory.memsw.limit_in_bytes" ]; then
	is "memory.swap -> memory.memsw.limit_in_bytes" "$(val "$m/memory.memsw.limit_in_bytes")" 209715200
else
	skip "memory.swap -> memory.memsw.limit_in_bytes" "this kernel does not account swap (swapaccount=0)"
fi
is "memory.kernelTCP -> memory.kmem.tcp.limit_in_bytes" "$(val "$m/memory.kmem.tcp.limit_in_bytes")" 16777216
is "memory.swappiness -> memory.swappiness" "$(val "$m/memory.swappiness")" 10
contains "memory.disableOOMKiller -> memory.oom_control" "$(val "$m/memory.oom_control")" "oom_kill_disable 1"
c=$(cgdir cpu "/hako/$id")
is "cpu.shares -> cpu.shares" "$(val "$c/cpu.shares")" 512
is "cpu.quota -> cpu.cfs_quota_us" "$(val "$c/cpu.cfs_quota_us")" 20000
is "cpu.period -> cpu.cfs_period_us" "$(val "$c/cpu.cfs_period_us")" 100000
if [ -e "$c/cpu.cfs_burst_us" ]; then
	is "cpu.burst -> cpu.cfs_burst_us" "$(val "$c/cpu.cfs_burst_us")" 1000
else
	skip "cpu.burst -> cpu.cfs_burst_us" "this kernel has no CFS burst (Linux 5.14)"
fi
if [ -e "$c/cpu.rt_period_us" ]; then
	is "cpu.realtimePeriod -> cpu.rt_period_us" "$(val "$c/cpu.rt_period_us")" 500000
else
	skip "cpu.realtimePeriod -> cpu.rt_period_us" "this kernel has no CONFIG_RT_GROUP_SCHED"
fi
s=$(cgdir cpuset "/hako/$id")
is "cpu.cpus -> cpuset.cpus" "$(val "$s/cpuset.cpus")" 0
is "cpu.mems -> cpuset.mems" "$(val "$s/cpuset.mems")" 0
is "pids.limit -> pids.max" "$(val "$(cgdir pids "/hako/$id")/pids.max")" 42
list=$(val "$(cgdir devices "/hako/$id")/devices.list")
contains "devices.list has the config's rule c 10:200 rw" "$list" "c 10:200 rw"
contains "devices.list has the config's rule c 1:11 r" "$list" "c 1:11 r"
contains "devices.list has the default c 1:3 rwm (/dev/null)" "$list" "c 1:3 rwm"
contains "devices.list has the default c *:* m" "$list" "c *:* m"
contains "devices.list has the default c 136:* rwm (pts)" "$list" "c 136:* rwm"
ok "devices.list does not allow everything (the config's deny-all holds)" \
	sh -c "! grep -q '^a ' '$(cgdir devices "/hako/$id")/devices.list'"
ok "delete" hk delete "$id"

# the device rules at work, from inside
b=$(bundle dev -- sh -c 'mknod /dev/kmsg-test c 1 11 && echo mknod=ok
	cat /dev/kmsg-test >/dev/null 2>&1 & p=$!; sleep 0.3; kill $p 2>/dev/null; wait $p; echo read=$?
	echo x 2>/dev/null >/dev/kmsg-test; echo write=$?; echo null >/dev/null && echo null=ok')
cfg "$b" '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]
	| .process.capabilities.bounding += ["CAP_MKNOD", "CAP_SYSLOG"] | .process.capabilities.effective += ["CAP_MKNOD", "CAP_SYSLOG"]
	| .process.capabilities.permitted += ["CAP_MKNOD", "CAP_SYSLOG"]'
out=$(hk run --bundle "$b" "$(cid dev)" 2>&1)
contains "inside: /dev/null works (default allow-list)" "$out" "null=ok"
contains "inside: mknod c 1:11 works (default c *:* m)" "$out" "mknod=ok"
contains "inside: reading it is allowed (the config's rule r)" "$out" "read=143"
contains "inside: writing it is denied (no w in the rule)" "$out" "write=1"

# pids.limit: 0 is a real limit (runtime-spec 1.3), -1 is max
b=$(bundle pids0 -- sleep 100)
id=$(cid pids0)
cfg "$b" '.linux.resources.pids = {"limit": 0}'
ok "create with pids.limit 0" hk create --bundle "$b" "$id"
is "pids.limit 0 -> pids.max 0" "$(val "$(cgdir pids "/hako/$id")/pids.max")" 0
ok "delete" hk delete "$id"
cfg "$b" '.linux.resources.pids = {"limit": -1}'
ok "create with pids.limit -1" hk create --bundle "$b" "$id"
is "pids.limit -1 -> pids.max max" "$(val "$(cgdir pids "/hako/$id")/pids.max")" max
ok "delete" hk delete "$id"

# cpu.idle (Linux 5.15)
if [ -e "$(v1_mount cpu)/cpu.idle" ]; then
	b=$(bundle idle -- sleep 100)
	id=$(cid idle)
	cfg "$b" '.linux.resources.cpu = {"idle": 1}'
	ok "create with cpu.idle 1" hk create --bundle "$b" "$id"
	is "cpu.idle -> cpu.idle" "$(val "$(cgdir cpu "/hako/$id")/cpu.idle")" 1
	ok "delete" hk delete "$id"
else
	skip "cpu.idle -> cpu.idle" "this kernel has no cpu.idle (Linux 5.15)"
fi

# real-time runtime needs a budget in every parent: hako says so
if [ -e "$(v1_mount cpu)/cpu.rt_runtime_us" ]; then
	b=$(bundle rt -- sleep 100)
	cfg "$b" '.linux.resources.cpu = {"realtimeRuntime": 1000}'
	fails_with "cpu.realtimeRuntime without a parent budget: the error says why" \
		"every parent cgroup needs cpu.rt_runtime_us" hk create --bundle "$b" "$(cid rt)"
	ok "...and leaves no cgroup" test ! -e "$(cgdir cpu "/hako/$(cid rt)")"
else
	skip "cpu.realtimeRuntime" "this kernel has no CONFIG_RT_GROUP_SCHED"
fi

# blkio: weights need CFQ (gone since Linux 5.0) or BFQ; throttles need a disk
disk=""
for d in /sys/block/*; do
	case ${d##*/} in loop* | ram* | zram* | nbd*) continue ;; esac
	[ -e "$d/dev" ] && disk=$(cat "$d/dev") && break
done
if [ -z "$(v1_mount blkio)" ]; then
	skip "blockIO" "$(why_missing blkio)"
else
	b=$(bundle blkio -- sleep 100)
	id=$(cid blkio)
	cfg "$b" '.linux.resources.blockIO = {"weight": 300}'
	bl=$(cgdir blkio "/hako/$id")
	probe=$(cgdir blkio "/$(cid blkioprobe)")
	mkdir "$probe"
	if [ -e "$probe/blkio.weight" ]; then
		ok "create with blockIO.weight (CFQ)" hk create --bundle "$b" "$id"
		is "blockIO.weight -> blkio.weight" "$(val "$bl/blkio.weight")" 300
		ok "delete" hk delete "$id"
	elif [ -e "$probe/blkio.bfq.weight" ]; then
		ok "create with blockIO.weight (no CFQ: BFQ)" hk create --bundle "$b" "$id"
		is "blockIO.weight -> blkio.bfq.weight" "$(val "$bl/blkio.bfq.weight")" 300
		ok "delete" hk delete "$id"
		cfg "$b" '.linux.resources.blockIO = {"leafWeight": 300}'
		fails_with "blockIO.leafWeight without CFQ: the error says CFQ is gone" \
			"leaf weights existed only with the CFQ scheduler" hk create --bundle "$b" "$id"
	else
		fails_with "blockIO.weight with neither CFQ nor BFQ: the error says so" \
			"this kernel has no CFQ scheduler" hk create --bundle "$b" "$id"
	fi
	rmdir "$probe"
	if [ -n "$disk" ]; then
		cfg "$b" ".linux.resources.blockIO = {\"throttleReadBpsDevice\": [{\"major\": ${disk%:*}, \"minor\": ${disk#*:}, \"rate\": 1048576}],
			\"throttleWriteIOPSDevice\": [{\"major\": ${disk%:*}, \"minor\": ${disk#*:}, \"rate\": 100}]}"
		ok "create with blkio throttles on disk $disk" hk create --bundle "$b" "$id"
		is "throttleReadBpsDevice -> blkio.throttle.read_bps_device" \
			"$(val "$bl/blkio.throttle.read_bps_device")" "$disk 1048576"
		is "throttleWriteIOPSDevice -> blkio.throttle.write_iops_device" \
			"$(val "$bl/blkio.throttle.write_iops_device")" "$disk 100"
		ok "delete" hk delete "$id"
	else
		skip "blkio throttles" "this host has no block device"
	fi
	cfg "$b" '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": 4095, "minor": 4095, "rate": 1}]}'
	fails_with "a throttle on a device that does not exist names the element" \
		"linux.resources.blockIO.throttleReadBpsDevice[0]" hk create --bundle "$b" "$id"
fi

# hugetlb: a v1 hierarchy, or (this kind of hybrid host) the cgroup2 tree.
# A parent of its own, so the controller is enabled for no other cgroup
# than this test's and can be switched off again at the root afterwards.
b=$(bundle huge -- sleep 100)
id=$(cid huge)
hp=$(cid hugeparent)
cfg "$b" ".linux.cgroupsPath = \"/$hp/$id\" | .linux.resources.hugepageLimits = [{\"pageSize\": \"2MB\", \"limit\": 4194304}]"
if [ ! -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
	skip "hugepageLimits" "this host has no 2MB huge pages"
elif [ -n "$(v1_mount hugetlb)" ]; then
	ok "create with hugepageLimits (v1 hugetlb)" hk create --bundle "$b" "$id"
	is "hugepageLimits -> hugetlb.2MB.limit_in_bytes" \
		"$(val "$(cgdir hugetlb "/$hp/$id")/hugetlb.2MB.limit_in_bytes")" 4194304
	ok "delete" hk delete "$id"
elif [ -n "$unified" ] && grep -qw hugetlb $unified/cgroup.controllers; then
	was_on=$(grep -cw hugetlb $unified/cgroup.subtree_control)
	ok "create with hugepageLimits (hugetlb on the hybrid's cgroup2 tree)" hk create --bundle "$b" "$id"
	is "hugepageLimits -> unified hugetlb.2MB.max" "$(val "$unified/$hp/$id/hugetlb.2MB.max")" 4194304
	contains "hugetlb enabled for the container's parent" "$(val "$unified/$hp/cgroup.subtree_control")" hugetlb
	ok "delete" hk delete "$id"
	cfg "$b" '.linux.resources.hugepageLimits = [{"pageSize": "3MB", "limit": 4194304}]'
	fails_with "an unknown page size lists the ones the host has" "it has: " \
		hk create --bundle "$b" "$id"
	ok "the parent hako made is gone" test ! -e "$unified/$hp"
	[ "$was_on" = 0 ] && echo -hugetlb >$unified/cgroup.subtree_control 2>/dev/null
else
	fails_with "hugepageLimits without a hugetlb controller names it" "hugetlb" \
		hk create --bundle "$b" "$id"
	skip "hugepageLimits -> hugetlb files" "$(why_missing hugetlb)"
fi

# controllers this host may lack: their checks, or the error that names them
b=$(bundle net -- sleep 100)
id=$(cid net)
cfg "$b" '.linux.resources.network = {"classID": 1048577}'
if [ -n "$(v1_mount net_cls)" ]; then
	ok "create with network.classID" hk create --bundle "$b" "$id"
	is "network.classID -> net_cls.classid" "$(val "$(cgdir net_cls "/hako/$id")/net_cls.classid")" 1048577
	ok "delete" hk delete "$id"
else
	skip "network.classID -> net_cls.classid" "$(why_missing net_cls)"
	fails_with "network.classID without net_cls: the error names the controller" \
		"needs the net_cls cgroup controller, which is not mounted" hk create --bundle "$b" "$id"
	ok "...and leaves nothing" test ! -e "$(cgdir pids "/hako/$id")"
fi
cfg "$b" '.linux.resources.network = {"priorities": [{"name": "lo", "priority": 5}]}'
if [ -n "$(v1_mount net_prio)" ]; then
	ok "create with network.priorities" hk create --bundle "$b" "$id"
	contains "network.priorities -> net_prio.ifpriomap" "$(val "$(cgdir net_prio "/hako/$id")/net_prio.ifpriomap")" "lo 5"
	ok "delete" hk delete "$id"
else
	skip "network.priorities -> net_prio.ifpriomap" "$(why_missing net_prio)"
	fails_with "network.priorities without net_prio: the error names the controller" \
		"needs the net_prio cgroup controller" hk create --bundle "$b" "$id"
fi
cfg "$b" 'del(.linux.resources.network) | .linux.resources.rdma = {"mlx5_0": {"hcaHandles": 3}}'
if [ -n "$(v1_mount rdma)" ]; then
	skip "rdma.max" "no RDMA device to limit on a test host"
else
	skip "rdma -> rdma.max" "$(why_missing rdma)"
	fails_with "rdma without the rdma controller: the error names it" \
		"needs the rdma cgroup controller" hk create --bundle "$b" "$id"
fi
cfg "$b" 'del(.linux.resources.rdma) | .linux.resources.unified = {"memory.high": "1000000"}'
fails_with "unified memory.high on a v1 memory host: refused, naming the key" \
	'linux.resources.unified["memory.high"]' hk create --bundle "$b" "$id"

# a value the kernel refuses: the error names the JSON path and the file, nothing is left
b=$(bundle badcpu -- sleep 100)
id=$(cid badcpu)
cfg "$b" '.linux.resources.cpu = {"cpus": "63"}'
fails_with "cpu.cpus of a CPU this host lacks: error names the element" \
	"linux.resources.cpu.cpus: cannot write \"63\" to '$(cgdir cpuset "/hako/$id")/cpuset.cpus'" \
	hk create --bundle "$b" "$id"
contains "...and explains the parent's CPUs" "$err_out" "must exist on this host and lie within"
left=$(ls -d /sys/fs/cgroup/*/hako/"$id" 2>/dev/null)
is "a failed create leaves no cgroup in any hierarchy" "$left" ""
ok "...and no state" test ! -e "$HAKO_TEST_ROOT/$id"

# failures after the cgroups exist: before the init (a namespace path), and
# with the init in them (a failing prestart hook)
b=$(bundle latefail -- sleep 100)
id=$(cid latefail)
cfg "$b" '.linux.namespaces |= map(if .type == "network" then {"type": "network", "path": "/no/such/netns"} else . end)'
fails_with "create with a missing namespace path fails" "/no/such/netns" hk create --bundle "$b" "$id"
is "...and removes its cgroups" "$(ls -d /sys/fs/cgroup/*/hako/"$id" 2>/dev/null)" ""
b=$(bundle hookfail -- sleep 100)
id=$(cid hookfail)
cfg "$b" '.hooks.prestart = [{"path": "/bin/false"}]'
fails_with "create with a failing prestart hook fails" "prestart" hk create --bundle "$b" "$id"
is "...and removes its cgroups, the init's included" "$(ls -d /sys/fs/cgroup/*/hako/"$id" 2>/dev/null)" ""

# ---- 4. the LXC story's traps --------------------------------------------------

# an empty cpuset parent (cgroup.clone_children 0: new cpuset cgroups start empty)
cs=$(v1_mount cpuset)
parent=$(cid cpusetparent)
mkdir "$cs/$parent"
if [ -n "$(val "$cs/$parent/cpuset.cpus")" ]; then
	skip "empty cpuset parent" "cpuset cgroup.clone_children is 1 here: new cgroups start filled"
else
	is "a new cpuset cgroup starts with empty cpuset.mems (the trap)" "$(val "$cs/$parent/cpuset.mems")" ""
	b=$(bundle cpuset -- sh -c 'echo ok')
	cfg "$b" ".linux.cgroupsPath = \"/$parent/$(cid cpuset)\""
	is "a container below the empty cpuset parent starts (no ENOSPC)" \
		"$(hk run --bundle "$b" "$(cid cpuset)" 2>&1)" ok
	is "the empty parent got the root's cpuset.cpus" "$(val "$cs/$parent/cpuset.cpus")" "$(val "$cs/cpuset.cpus")"
	is "and cpuset.mems" "$(val "$cs/$parent/cpuset.mems")" "$(val "$cs/cpuset.mems")"
	ok "the container's cpuset cgroup is gone after run" test ! -e "$cs/$parent/$(cid cpuset)"
fi
rmdir "$cs/$parent"

# a stale, empty cgroup from a crashed start is reused - its cpuset empty, too
b=$(bundle stale -- sh -c 'cat /proc/self/cgroup | grep -c ":/$"')
id=$(cid stale)
for h in /sys/fs/cgroup/*/; do
	[ -L "${h%/}" ] && continue
	mkdir -p "$h/hako/$id"
done
# hako sets clone_children on the /hako it makes, so the kernel may have
# filled the new directory: empty it, as a crashed start under a parent
# without clone_children leaves it
echo >"$cs/hako/$id/cpuset.mems"
echo >"$cs/hako/$id/cpuset.cpus"
is "a stale cgroup's cpuset starts empty" "$(val "$cs/hako/$id/cpuset.cpus")" ""
out=$(hk run --bundle "$b" "$id" 2>&1)
is "run over stale empty cgroups in every hierarchy works" "$out" "$(grep -c . /proc/self/cgroup)"
is "...and removes them afterwards" "$(ls -d /sys/fs/cgroup/*/hako/"$id" 2>/dev/null)" ""

# a cgroup with processes at the path is refused, naming them
b=$(bundle busy -- sleep 100)
id=$(cid busy)
busy=$(cgdir pids "/hako/$id")
mkdir -p "$busy"
sleep 1000 &
squatter=$!
echo $squatter >"$busy/cgroup.procs"
fails_with "a cgroup holding processes is refused, naming pid and command line" \
	"holds 1 process: $squatter (sleep 1000)" hk create --bundle "$b" "$id"
contains "...with the config element" "$err_out" "linux.cgroupsPath"
others=$(ls -d /sys/fs/cgroup/*/hako/"$id" 2>/dev/null | grep -v "^$busy\$")
is "...and nothing is created in the other hierarchies" "$others" ""
ok "...and no state" test ! -e "$HAKO_TEST_ROOT/$id"
kill $squatter
wait $squatter 2>/dev/null
for _ in $(seq 50); do rmdir "$busy" 2>/dev/null && break; sleep 0.1; done

done_testing
