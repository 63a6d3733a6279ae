#!/bin/bash
# cgroups_v2.sh - linux.resources on a pure cgroup v2 host: controllers
# enabled down the path, the v1-style values converted as runc and crun do,
# linux.resources.unified, device rules as an eBPF filter, the refusals for
# what v2 does not have, and the placement traps.  tests/vm/run.sh runs it
# in a VM booted with cgroup_no_v1=all (meson test --suite vm); on any other
# host it skips.  (cgroups_cmds.sh covers pause, update, ps, events, kill
# --all and delete --force on both versions.)
. "$(dirname "$0")/lib.sh"

CGROUP2_SUPER_MAGIC=63677270
if [ "$(stat -f -c %t /sys/fs/cgroup)" != "$CGROUP2_SUPER_MAGIC" ]; then
	echo "1..0 # SKIP /sys/fs/cgroup is not cgroup2 (tests/vm/run.sh boots a kernel with cgroup_no_v1=all)"
	exit 0
fi

root=/sys/fs/cgroup
have() { grep -qw "$1" $root/cgroup.controllers; }

# ---- placement -------------------------------------------------------------------

b=$(bundle place -- sleep 100)
id=$(cid place)
ok "create" hk create --bundle "$b" --pid-file "$WORK/pid" "$id"
pid=$(cat "$WORK/pid")
is "the init is in /hako/<id>" "$(val "/proc/$pid/cgroup")" "0::/hako/$id"
sc=$(val $root/hako/cgroup.subtree_control)
for c in cpu memory pids io cpuset; do
	if have $c; then
		contains "$c enabled in /hako/cgroup.subtree_control" " $sc " " $c "
	else
		skip "$c enabled for the container" "this kernel's cgroup2 has no $c controller"
	fi
done
ok "delete" hk delete "$id"
ok "the cgroup is gone" test ! -e "$root/hako/$id"

# relative: below hako's own cgroup, which holds processes (init.scope in the
# VM): a leaf there works, controllers for it cannot be enabled - said so
own=$(cut -d: -f3 /proc/self/cgroup)
b=$(bundle rel -- sleep 100)
id=$(cid rel)
cfg "$b" ".linux.cgroupsPath = \"$id\""
ok "create with a relative cgroupsPath" hk create --bundle "$b" --pid-file "$WORK/pid" "$id"
is "relative: below hako's own cgroup" "$(val "/proc/$(cat "$WORK/pid")/cgroup")" "0::${own%/}/$id"
ok "delete" hk delete "$id"
if [ "$own" != / ] && grep -q . "$root$own/cgroup.procs"; then
	cfg "$b" '.linux.resources.memory = {"limit": 67108864}'
	fails_with "relative path with a memory limit below a cgroup with processes: refused" \
		"has processes of its own" hk create --bundle "$b" "$id"
	contains "...naming the rule" "$err_out" "no internal processes"
	ok "...and leaves nothing" test ! -e "$root$own/$id"
else
	skip "no-internal-processes error" "hako runs in the root cgroup here"
fi

# ---- resources -----------------------------------------------------------------

b=$(bundle res -- sleep 100)
id=$(cid res)
cfg "$b" '.linux.resources.memory = {"limit": 104857600, "reservation": 52428800, "swap": 157286400}
	| .linux.resources.cpu = {"shares": 1024, "quota": 50000, "period": 200000, "cpus": "0", "mems": "0"}
	| .linux.resources.pids = {"limit": 42}
	| .linux.resources.unified = {"memory.high": "94371840", "pids.max": "43"}'
ok "create with memory, cpu, cpuset, pids and unified" hk create --bundle "$b" "$id"
d=$root/hako/$id
is "memory.limit -> memory.max" "$(val "$d/memory.max")" 104857600
is "memory.reservation -> memory.low" "$(val "$d/memory.low")" 52428800
if [ -e "$d/memory.swap.max" ]; then
	is "memory.swap (memory+swap) -> memory.swap.max = swap - limit" "$(val "$d/memory.swap.max")" 52428800
else
	skip "memory.swap -> memory.swap.max" "this kernel does not account swap"
fi
is "cpu.shares 1024 -> cpu.weight 39 (runc's and crun's map)" "$(val "$d/cpu.weight")" 39
is "cpu.quota/period -> cpu.max" "$(val "$d/cpu.max")" "50000 200000"
is "cpu.cpus -> cpuset.cpus" "$(val "$d/cpuset.cpus")" 0
is "cpu.mems -> cpuset.mems" "$(val "$d/cpuset.mems")" 0
is "unified memory.high -> memory.high" "$(val "$d/memory.high")" 94371840
is "unified after pids.limit: pids.max is the unified value" "$(val "$d/pids.max")" 43
ok "delete" hk delete "$id"

cfg "$b" '.linux.resources = {"cpu": {"quota": -1, "burst": 1000, "idle": 1}, "pids": {"limit": 0},
	"memory": {"limit": -1}}'
ok "create with unlimited quota, burst, idle, pids 0" hk create --bundle "$b" "$id"
is "cpu.quota -1 -> cpu.max max" "$(val "$d/cpu.max")" "max 100000"
if [ -e "$d/cpu.max.burst" ]; then
	is "cpu.burst -> cpu.max.burst" "$(val "$d/cpu.max.burst")" 1000
else
	skip "cpu.burst -> cpu.max.burst" "this kernel has no cpu.max.burst (Linux 5.14)"
fi
if [ -e "$d/cpu.idle" ]; then
	is "cpu.idle -> cpu.idle" "$(val "$d/cpu.idle")" 1
else
	skip "cpu.idle -> cpu.idle" "this kernel has no cpu.idle (Linux 5.15)"
fi
is "pids.limit 0 -> pids.max 0 (runtime-spec 1.3)" "$(val "$d/pids.max")" 0
is "memory.limit -1 -> memory.max max" "$(val "$d/memory.max")" max
ok "delete" hk delete "$id"

# io: a weight (io.bfq.weight as is, or io.weight converted); on a disk
# (in the VM, the null_blk disk nullb0 that tests/vm/init.sh loads) io.max,
# per-device weights, update and the limit seen from inside.  The test
# turns io.cost on or selects BFQ only for a null_blk disk, which holds
# nothing: never for a real one.
disk="" diskname=""
for x in /sys/block/nullb* /sys/block/*; do
	case ${x##*/} in loop* | ram* | zram* | nbd*) continue ;; esac
	[ -e "$x/dev" ] && disk=$(cat "$x/dev") && diskname=${x##*/} && break
done
maj=${disk%:*} min=${disk#*:}
throttle() { echo "\"$1\": [{\"major\": $maj, \"minor\": $min, \"rate\": $2}]"; } # KEY RATE
weights() { echo "\"weight\": $1, \"weightDevice\": [{\"major\": $maj, \"minor\": $min, \"weight\": $2}]"; }
sched() { sed -n 's/.*\[\(.*\)\].*/\1/p' "/sys/block/$diskname/queue/scheduler"; }
if ! have io; then
	skip "blockIO" "this kernel's cgroup2 has no io controller"
else
	# which weight file the kernel offers, seen in a container's own cgroup
	cfg "$b" 'del(.linux.resources)'
	ok "create a container to see its io files" hk create --bundle "$b" "$id"
	wfiles=$(ls "$d" | grep -E '^io\.(bfq\.)?weight$' | xargs)
	ok "delete" hk delete "$id"
	cfg "$b" '.linux.resources.blockIO = {"weight": 500}'
	if [[ " $wfiles " == *" io.bfq.weight "* ]]; then
		ok "create with blockIO.weight (BFQ)" hk create --bundle "$b" "$id"
		contains "blockIO.weight -> io.bfq.weight" "$(val "$d/io.bfq.weight")" 500
		ok "delete" hk delete "$id"
	elif [[ " $wfiles " == *" io.weight "* ]]; then
		ok "create with blockIO.weight (io.cost)" hk create --bundle "$b" "$id"
		is "blockIO.weight 500 -> io.weight default 4950" "$(val "$d/io.weight")" "default 4950"
		ok "delete" hk delete "$id"
	else
		fails_with "blockIO.weight with neither io.weight nor io.bfq.weight: said so" \
			"cannot set an I/O weight" hk create --bundle "$b" "$id"
	fi
	if [ -z "$disk" ]; then
		skip "io.max, weightDevice" "no block device here (in the VM: tests/vm/init.sh says why on the '# hako-vm: no disk' line)"
	else
		# throttles: one io.max line with all four keys
		cfg "$b" "del(.linux.resources) | .linux.resources.blockIO = {$(throttle throttleReadBpsDevice 1048576),
			$(throttle throttleWriteBpsDevice 2097152), $(throttle throttleReadIOPSDevice 300),
			$(throttle throttleWriteIOPSDevice 100)}"
		ok "create with the four io throttles on $disk ($diskname)" hk create --bundle "$b" "$id"
		is "throttle{Read,Write}{Bps,IOPS}Device -> io.max rbps wbps riops wiops" \
			"$(val "$d/io.max")" "$disk rbps=1048576 wbps=2097152 riops=300 wiops=100"
		echo "{\"blockIO\": {$(throttle throttleReadBpsDevice 4194304), $(throttle throttleWriteIOPSDevice 0)}}" >"$WORK/io.json"
		ok "update -r: a new read rate, the write IOPS limit lifted (rate 0)" \
			hk update -r "$WORK/io.json" "$id"
		is "...io.max: rbps changed, wiops max, the others kept" \
			"$(val "$d/io.max")" "$disk rbps=4194304 wbps=2097152 riops=300 wiops=max"
		echo "{\"blockIO\": {$(throttle throttleReadBpsDevice 0), $(throttle throttleWriteBpsDevice 0),
			$(throttle throttleReadIOPSDevice 0)}}" >"$WORK/io.json"
		ok "update -r: every limit lifted" hk update -r "$WORK/io.json" "$id"
		is "...io.max has no line for $disk" "$(val "$d/io.max")" ""
		ok "delete" hk delete "$id"

		# from inside: the cgroup mount shows the container's own cgroup
		bi=$(bundle ioin -- cat /sys/fs/cgroup/io.max)
		cfg "$bi" ".linux.resources.blockIO = {$(throttle throttleWriteBpsDevice 2097152)}"
		is "inside: /sys/fs/cgroup/io.max (its cgroup namespace's root) holds the limit" \
			"$(hk run --bundle "$bi" "$(cid ioin)" 2>&1)" "$disk rbps=max wbps=2097152 riops=max wiops=max"

		# weightDevice with io.cost: io.weight "MAJ:MIN W", converted as the
		# default is; the kernel takes it only where io.cost is on
		if [[ " $wfiles " == *" io.bfq.weight "* || " $wfiles " != *" io.weight "* ]]; then
			skip "weightDevice -> io.weight" "hako writes weights to io.bfq.weight here, or there is no io.weight"
		else
			cfg "$b" "del(.linux.resources) | .linux.resources.blockIO = {$(weights 500 300)}"
			qos=$(grep "^$disk " $root/io.cost.qos)
			if [[ "$qos" == *enable=1* ]]; then
				skip "weightDevice with io.cost off: the error" "io.cost is on for $disk here"
			else
				fails_with "weightDevice with io.cost off for $disk: refused, naming io.cost.qos" \
					"enable it with '$disk enable=1' in io.cost.qos" hk create --bundle "$b" "$id"
			fi
			if [[ "$qos" != *enable=1* && $diskname != nullb* ]]; then
				skip "weightDevice -> io.weight" "io.cost is off for $disk, not a null_blk disk, so left off"
			else
				[[ "$qos" == *enable=1* ]] || echo "$disk enable=1" >$root/io.cost.qos
				ok "create with weight 500 and weightDevice 300 (io.cost on for $disk)" \
					hk create --bundle "$b" "$id"
				is "weightDevice 300 -> io.weight '$disk 2930' (1 + (w-10)*9999/990), beside default 4950" \
					"$(val "$d/io.weight")" "default 4950
$disk 2930"
				echo "{\"blockIO\": {$(weights 500 1000)}}" >"$WORK/io.json"
				ok "update -r weightDevice 1000" hk update -r "$WORK/io.json" "$id"
				is "...io.weight '$disk 10000'" "$(val "$d/io.weight")" "default 4950
$disk 10000"
				ok "delete" hk delete "$id"
				[[ "$qos" == *enable=1* ]] || echo "$disk enable=0" >$root/io.cost.qos
			fi
		fi

		# weights with BFQ: io.bfq.weight takes them as they are, per device
		# only where BFQ schedules the disk
		bfq_before=$(grep -c '^bfq ' /proc/modules)
		if [[ $diskname != nullb* ]]; then
			skip "blockIO weights -> io.bfq.weight" "$disk is not a null_blk disk: the test selects BFQ only for one"
		elif ! grep -qw bfq "/sys/block/$diskname/queue/scheduler" && ! why=$(modprobe bfq 2>&1); then
			skip "blockIO weights -> io.bfq.weight" "no BFQ here: modprobe bfq: $why"
		else
			cfg "$b" "del(.linux.resources) | .linux.resources.blockIO = {$(weights 500 300)}"
			was=$(sched)
			if [ "$was" != bfq ]; then
				fails_with "weightDevice for a disk BFQ does not schedule: refused, saying so" \
					"$disk does not use the BFQ scheduler" hk create --bundle "$b" "$id"
			fi
			echo bfq >"/sys/block/$diskname/queue/scheduler"
			ok "create with weight 500 and weightDevice 300 (BFQ schedules $disk)" \
				hk create --bundle "$b" "$id"
			is "weight and weightDevice -> io.bfq.weight, as they are" \
				"$(val "$d/io.bfq.weight")" "default 500
$disk 300"
			echo "{\"blockIO\": {$(weights 200 100)}}" >"$WORK/io.json"
			ok "update -r weight 200, weightDevice 100" hk update -r "$WORK/io.json" "$id"
			is "...io.bfq.weight" "$(val "$d/io.bfq.weight")" "default 200
$disk 100"
			ok "delete" hk delete "$id"
			echo "$was" >"/sys/block/$diskname/queue/scheduler"
			if [ "$bfq_before" = 0 ] && grep -q '^bfq ' /proc/modules; then
				ok "...BFQ unloaded again (the next files see io.weight alone)" modprobe -r bfq
			fi
		fi
	fi
	cfg "$b" 'del(.linux.resources) | .linux.resources.blockIO = {"leafWeight": 300}'
	fails_with "blockIO.leafWeight: v2 has none, said so" "has no leaf weights" \
		hk create --bundle "$b" "$id"
fi

# hugetlb
if ! have hugetlb; then
	skip "hugepageLimits" "this kernel's cgroup2 has no hugetlb controller"
elif [ ! -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
	skip "hugepageLimits" "this kernel has no 2MB huge pages"
else
	cfg "$b" 'del(.linux.resources) | .linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	ok "create with hugepageLimits" hk create --bundle "$b" "$id"
	is "hugepageLimits -> hugetlb.2MB.max" "$(val "$d/hugetlb.2MB.max")" 4194304
	ok "delete" hk delete "$id"
fi

# what cgroup v2 does not have: an error naming the element
refuse() { # NAME TEXT JQ
	cfg "$b" "del(.linux.resources) | .linux.resources.devices = [] | $3"
	fails_with "$1" "$2" hk create --bundle "$b" "$id"
}
refuse "memory.kernelTCP on v2: refused" "linux.resources.memory.kernelTCP: cgroup v2" \
	'.linux.resources.memory = {"kernelTCP": 1048576}'
refuse "memory.swappiness on v2: refused" "linux.resources.memory.swappiness: cgroup v2" \
	'.linux.resources.memory = {"swappiness": 10}'
refuse "memory.disableOOMKiller on v2: refused" "disableOOMKiller: cgroup v2" \
	'.linux.resources.memory = {"disableOOMKiller": true}'
refuse "cpu.realtimeRuntime on v2: refused" "has no real-time CPU bandwidth controller" \
	'.linux.resources.cpu = {"realtimeRuntime": 1000}'
refuse "network.classID on v2: refused, naming net_cls" "needs the net_cls controller of cgroup v1" \
	'.linux.resources.network = {"classID": 1}'
refuse "memory.swap without a memory limit: refused" "a swap limit needs a memory limit" \
	'.linux.resources.memory = {"swap": 1048576}'
refuse "unified: a file the cgroup does not have" "has no file \"memory.nosuchfile\"" \
	'.linux.resources.unified = {"memory.nosuchfile": "1"}'
refuse "unified: a v1 controller's file names the controller v2 lacks" \
	"the net_cls controller is not available" '.linux.resources.unified = {"net_cls.classid": "1"}'
is "...none of the refusals left a cgroup" "$(ls -d $root/hako/"$id" 2>/dev/null)" ""

# ---- devices: the eBPF filter ---------------------------------------------------------

b=$(bundle dev -- sh -c 'mknod /dev/kmsg-test c 1 11 && echo mknod=ok
	cat /dev/kmsg-test >/dev/null 2>&1 & p=$!; sleep 0.3; kill $p 2>/dev/null; wait $p; echo read=$?
	echo x 2>/dev/null >/dev/kmsg-test; echo write=$?; echo null >/dev/null && echo null=ok
	mknod /dev/blk-test b 7 0 && { cat /dev/blk-test >/dev/null 2>&1; echo blk=$?; }')
cfg "$b" '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]
	| .process.capabilities.bounding += ["CAP_MKNOD", "CAP_SYSLOG"] | .process.capabilities.effective += ["CAP_MKNOD", "CAP_SYSLOG"]
	| .process.capabilities.permitted += ["CAP_MKNOD", "CAP_SYSLOG"]'
out=$(hk run --bundle "$b" "$(cid dev)" 2>&1)
contains "filter: /dev/null works (default allow-list)" "$out" "null=ok"
contains "filter: mknod of c 1:11 works (default c *:* m)" "$out" "mknod=ok"
contains "filter: reading c 1:11 is allowed (the config's rule r)" "$out" "read=143"
contains "filter: writing it is denied (no w in the rule)" "$out" "write=1"
contains "filter: a block device is denied (deny-all, no rule)" "$out" "blk=1"

# ---- the LXC traps on v2 -----------------------------------------------------------------

b=$(bundle stale -- sh -c 'cat /proc/self/cgroup')
id=$(cid stale)
mkdir -p "$root/hako/$id"
is "run over a stale, empty cgroup reuses it" "$(hk run --bundle "$b" "$id" 2>&1)" "0::/"
ok "...and removes it afterwards" test ! -e "$root/hako/$id"

b=$(bundle busy -- sleep 100)
id=$(cid busy)
mkdir -p "$root/hako/$id"
sleep 1000 &
squatter=$!
echo $squatter >"$root/hako/$id/cgroup.procs"
fails_with "a cgroup holding processes is refused, naming them" \
	"holds 1 process: $squatter (sleep 1000)" hk create --bundle "$b" "$id"
kill $squatter
wait $squatter 2>/dev/null
for _ in $(seq 50); do rmdir "$root/hako/$id" 2>/dev/null && break; sleep 0.1; done

# delete --force with processes that outlive the init: cgroup.kill
b=$(bundle all -- sh -c 'sleep 1000 & sleep 1000 & exec sleep 1000')
cfg "$b" '.linux.namespaces |= map(select(.type != "pid"))'
id=$(cid all)
ok "run -d three processes without a pid namespace" hk run -d --bundle "$b" "$id"
for _ in $(seq 50); do [ "$(grep -c . "$root/hako/$id/cgroup.procs" 2>/dev/null)" = 3 ] && break; sleep 0.1; done
is "three processes in the cgroup" "$(grep -c . "$root/hako/$id/cgroup.procs")" 3
ok "delete --force" hk delete --force "$id"
ok "...the cgroup is gone (cgroup.kill emptied it)" test ! -e "$root/hako/$id"

done_testing
