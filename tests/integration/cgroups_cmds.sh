#!/bin/bash
# cgroups_cmds.sh - the commands that work through the container's cgroup,
# with runc's options: pause/resume, update (flags and -r), ps, events
# (--stats, --interval, OOM), kill --all, delete --force.  Values are read
# back from the cgroup files.  Runs on v1 (hybrid) and v2 hosts alike: the
# files it reads are picked by the host's layout.
. "$(dirname "$0")/lib.sh"

CGROUP2_SUPER_MAGIC=63677270
v2=false
[ "$(stat -f -c %t /sys/fs/cgroup)" = "$CGROUP2_SUPER_MAGIC" ] && v2=true

v1_mount() {
	awk -v c="$1" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++)
		if (o[i] == c) { print $2; exit } }' /proc/self/mounts
}
# cgfile CONTROLLER ID FILE: the container's file of that controller
cgfile() {
	if $v2; then echo "/sys/fs/cgroup/hako/$2/$3"; else echo "$(v1_mount "$1")/hako/$2/$3"; fi
}
state_of() { hk state "$1" | jq -r .status; }
procs_of() { # every pid in the container's cgroup, sorted
	local d
	if $v2; then d=/sys/fs/cgroup/hako/$1; else d=$(v1_mount pids)/hako/$1; fi
	find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -n | tr '\n' ' '
}

# ---- pause / resume -----------------------------------------------------------

b=$(bundle tick -- sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/dev/shm/tick; usleep 50000; done')
id=$(cid tick)
ok "create" hk create --bundle "$b" "$id"
fails_with "pause of a created container is refused" "it is created, not running" hk pause "$id"
ok "start" hk start "$id"
ok "pause" hk pause "$id"
is "state says paused" "$(state_of "$id")" paused
if $v2; then
	is "cgroup.freeze is 1" "$(val "$(cgfile x "$id" cgroup.freeze)")" 1
	contains "cgroup.events says frozen" "$(val "$(cgfile x "$id" cgroup.events)")" "frozen 1"
else
	is "freezer.state is FROZEN" "$(val "$(cgfile freezer "$id" freezer.state)")" FROZEN
fi
pid=$(hk state "$id" | jq .pid)
tick() { cat "/proc/$pid/root/dev/shm/tick" 2>/dev/null; }
t1=$(tick)
sleep 0.4
is "a paused container does not run" "$(tick)" "$t1"
fails_with "pause twice is refused" "it is paused, not running" hk pause "$id"
ok "resume" hk resume "$id"
is "state says running" "$(state_of "$id")" running
sleep 0.4
ok "a resumed container runs again" test "$(tick)" != "$t1"
fails_with "resume of a running container is refused" "it is running, not paused" hk resume "$id"
ok "kill --all KILL" hk kill --all "$id" KILL
for _ in $(seq 50); do [ "$(state_of "$id")" = stopped ] && break; sleep 0.1; done
is "...stops it" "$(state_of "$id")" stopped
ok "delete" hk delete "$id"

# the other commands on a container whose processes stay put
b=$(bundle work -- sh -c 'sleep 1000 & exec sleep 1001')
id=$(cid work)
ok "run -d" hk run -d --bundle "$b" "$id"
pid=$(hk state "$id" | jq .pid)
for _ in $(seq 50); do [ "$(wc -w <<<"$(procs_of "$id")")" = 2 ] && break; sleep 0.1; done

# ---- update ---------------------------------------------------------------------

ok "update with runc's flags" hk update --memory 100m --memory-swap 200m --memory-reservation 50m \
	--cpu-share 512 --cpu-quota 30000 --cpu-period 100000 --cpuset-cpus 0 --cpuset-mems 0 \
	--pids-limit 77 "$id"
if $v2; then
	is "--memory -> memory.max" "$(val "$(cgfile x "$id" memory.max)")" 104857600
	if [ -e "$(cgfile x "$id" memory.swap.max)" ]; then
		is "--memory-swap -> memory.swap.max (swap alone: 200m - 100m)" \
			"$(val "$(cgfile x "$id" memory.swap.max)")" 104857600
	else
		skip "--memory-swap -> memory.swap.max" "this kernel does not account swap"
	fi
	is "--memory-reservation -> memory.low" "$(val "$(cgfile x "$id" memory.low)")" 52428800
	is "--cpu-share 512 -> cpu.weight 20" "$(val "$(cgfile x "$id" cpu.weight)")" 20
	is "--cpu-quota/--cpu-period -> cpu.max" "$(val "$(cgfile x "$id" cpu.max)")" "30000 100000"
else
	is "--memory -> memory.limit_in_bytes" "$(val "$(cgfile memory "$id" memory.limit_in_bytes)")" 104857600
	is "--memory-swap -> memory.memsw.limit_in_bytes" \
		"$(val "$(cgfile memory "$id" memory.memsw.limit_in_bytes)")" 209715200
	is "--memory-reservation -> memory.soft_limit_in_bytes" \
		"$(val "$(cgfile memory "$id" memory.soft_limit_in_bytes)")" 52428800
	is "--cpu-share -> cpu.shares" "$(val "$(cgfile cpu "$id" cpu.shares)")" 512
	is "--cpu-quota -> cpu.cfs_quota_us" "$(val "$(cgfile cpu "$id" cpu.cfs_quota_us)")" 30000
	is "--cpu-period -> cpu.cfs_period_us" "$(val "$(cgfile cpu "$id" cpu.cfs_period_us)")" 100000
fi
is "--cpuset-cpus -> cpuset.cpus" "$(val "$(cgfile cpuset "$id" cpuset.cpus)")" 0
is "--cpuset-mems -> cpuset.mems" "$(val "$(cgfile cpuset "$id" cpuset.mems)")" 0
is "--pids-limit -> pids.max" "$(val "$(cgfile pids "$id" pids.max)")" 77

# --blkio-weight: CFQ's blkio.weight is gone since Linux 5.0; BFQ's (v1
# blkio.bfq.weight, v2 io.bfq.weight) takes the value as is, v2's io.weight
# (io.cost) a converted one
wfile=""
if $v2; then
	for f in io.bfq.weight io.weight; do [ -e "$(cgfile x "$id" $f)" ] && wfile=$f && break; done
	want=200; [ "$wfile" = io.weight ] && want="default 1920"
else
	for f in blkio.weight blkio.bfq.weight; do [ -e "$(cgfile blkio "$id" $f)" ] && wfile=$f && break; done
	want=200
fi
if [ -n "$wfile" ]; then
	ok "update --blkio-weight 200" hk update --blkio-weight 200 "$id"
	contains "--blkio-weight -> $wfile" "$(val "$(cgfile blkio "$id" $wfile)")" "$want"
else
	fails_with "update --blkio-weight without CFQ or BFQ says so" "cannot set an I/O weight" \
		hk update --blkio-weight 200 "$id"
fi

# memory and memory+swap both lower, then both higher: the order of the writes matters on v1
ok "update lowering memory and swap together" hk update --memory 50m --memory-swap 60m "$id"
ok "update raising them above the old swap limit" hk update --memory 300m --memory-swap 400m "$id"
if $v2; then
	is "memory.max after both updates" "$(val "$(cgfile x "$id" memory.max)")" 314572800
else
	is "memory.limit_in_bytes after both updates" "$(val "$(cgfile memory "$id" memory.limit_in_bytes)")" 314572800
	is "memory.memsw.limit_in_bytes after both updates" \
		"$(val "$(cgfile memory "$id" memory.memsw.limit_in_bytes)")" 419430400
fi
ok "update --memory -1: no limit" hk update --memory -1 "$id"
if $v2; then
	is "memory.max is max" "$(val "$(cgfile x "$id" memory.max)")" max
else
	ok "memory.limit_in_bytes is unlimited again" \
		test "$(val "$(cgfile memory "$id" memory.limit_in_bytes)")" -gt 1000000000000
fi

cat >"$WORK/res.json" <<'EOF'
{"memory": {"limit": 134217728}, "cpu": {"shares": 256}, "pids": {"limit": 33}}
EOF
ok "update -r FILE (an OCI LinuxResources object)" hk update -r "$WORK/res.json" "$id"
if $v2; then
	is "-r: memory.limit -> memory.max" "$(val "$(cgfile x "$id" memory.max)")" 134217728
else
	is "-r: memory.limit -> memory.limit_in_bytes" "$(val "$(cgfile memory "$id" memory.limit_in_bytes)")" 134217728
	is "-r: cpu.shares -> cpu.shares" "$(val "$(cgfile cpu "$id" cpu.shares)")" 256
fi
is "-r: pids.limit -> pids.max" "$(val "$(cgfile pids "$id" pids.max)")" 33
ok "update -r - (from stdin)" sh -c "echo '{\"pids\": {\"limit\": 44}}' | \"\$HAKO\" --root '$HAKO_TEST_ROOT' update -r - '$id'"
is "-r -: pids.max" "$(val "$(cgfile pids "$id" pids.max)")" 44
echo '{"memory": {"limit": "lots"}}' >"$WORK/bad.json"
fails_with "update -r with a wrong type names the element" "linux.resources.memory.limit" \
	hk update -r "$WORK/bad.json" "$id"
echo '{"memory": ' >"$WORK/broken.json"
fails_with "update -r with broken JSON says so" "resources" hk update -r "$WORK/broken.json" "$id"
fails_with "update --memory with a bad size is a usage error" "--memory: \"lots\" is not a size" \
	hk update --memory lots "$id"
fails_with "update without anything to update is a usage error" "nothing to update" hk update "$id"
cat >"$WORK/check.json" <<'EOF'
{"memory": {"limit": 4096, "checkBeforeUpdate": true}}
EOF
fails_with "checkBeforeUpdate refuses a limit below the current usage" \
	"is below the" hk update -r "$WORK/check.json" "$id"
if $v2; then
	is "...and leaves memory.max alone" "$(val "$(cgfile x "$id" memory.max)")" 134217728
else
	is "...and leaves memory.limit_in_bytes alone" "$(val "$(cgfile memory "$id" memory.limit_in_bytes)")" 134217728
fi

# ---- ps -------------------------------------------------------------------------

pids=$(procs_of "$id")
table=$(hk ps "$id")
is "ps: a header and one line per process" "$(wc -l <<<"$table")" "$(($(wc -w <<<"$pids") + 1))"
contains "ps: runs ps -ef (UID PID PPID ... CMD)" "$(head -1 <<<"$table")" "PID"
contains "ps: lists the container's processes" "$table" "sleep 1000"
# (procps ps -ef has PID second, busybox ps first: find it in the header)
col=$(head -1 <<<"$table" | awk '{ for (i = 1; i <= NF; i++) if ($i == "PID") print i }')
is "ps: the lines are the container's processes, no others" \
	"$(tail -n +2 <<<"$table" | awk -v c="$col" '{ print $c }' | sort -n | tr '\n' ' ')" "$pids"
out=$(hk ps "$id" -o pid,comm)
is "ps ID -o pid,comm: ps's options pass through" "$(head -1 <<<"$out" | xargs)" "PID COMMAND"
contains "ps ID -o pid,comm: the container's init" "$(xargs <<<"$out")" "$pid sleep"
is "ps --format json: the cgroup's pids" "$(hk ps --format json "$id" | jq -r 'sort | map(tostring) | join(" ")') " "$pids"
fails_with "ps -o without a pid column says so" "no PID column" hk ps "$id" -o comm

# ---- events ----------------------------------------------------------------------

ev=$(hk events --stats "$id")
is "events --stats: one JSON line" "$(jq -c 'select(.type == "stats") | .id' <<<"$ev")" "\"$id\""
is "events --stats: memory.usage.limit is the limit" "$(jq .data.memory.usage.limit <<<"$ev")" 134217728
is "events --stats: pids.limit" "$(jq .data.pids.limit <<<"$ev")" 44
ok "events --stats: pids.current counts the processes" \
	test "$(jq .data.pids.current <<<"$ev")" -ge 1
ok "events --stats: cpu.usage.total is counted" test "$(jq .data.cpu.usage.total <<<"$ev")" -gt 0
ok "events --stats: runc's fields (cpu, cpuset, memory, pids, blkio, hugetlb)" \
	jq -e '.data | has("cpu") and has("cpuset") and has("memory") and has("pids") and has("blkio") and has("hugetlb")' <<<"$ev"
timeout 3.7 "$HAKO" --root "$HAKO_TEST_ROOT" events --interval 1s "$id" >"$WORK/stream" 2>&1
is "events --interval 1s: nothing but stats lines" "$(jq -r .type "$WORK/stream" 2>&1 | sort -u)" stats
ok "events --interval 1s: a stats line every second (2 or 3 in 3.7 s)" \
	test "$(grep -c . "$WORK/stream")" -ge 2 -a "$(grep -c . "$WORK/stream")" -le 3
fails_with "events --interval 0 is refused" "--interval" hk events --interval 0 "$id"

# ---- kill --all, delete --force -------------------------------------------------------

ok "kill KILL" hk kill "$id" KILL
for _ in $(seq 50); do [ "$(state_of "$id")" = stopped ] && break; sleep 0.1; done
fails_with "update of a stopped container is refused" "it is stopped" hk update --pids-limit 5 "$id"
fails_with "events of a stopped container is refused" "is not running" hk events --stats "$id"
fails_with "pause of a stopped container is refused" "it is stopped" hk pause "$id"
ok "delete" hk delete "$id"

# without a pid namespace the init's children outlive it: only the cgroup finds them
b=$(bundle all -- sh -c 'sleep 1000 & sleep 1000 & exec sleep 1000')
cfg "$b" '.linux.namespaces |= map(select(.type != "pid"))'
id=$(cid all)
ok "run -d a container with three processes and no pid namespace" hk run -d --bundle "$b" "$id"
for _ in $(seq 50); do [ "$(wc -w <<<"$(procs_of "$id")")" = 3 ] && break; sleep 0.1; done
is "three processes in its cgroup" "$(wc -w <<<"$(procs_of "$id")")" 3
ok "kill --all TERM (freeze, signal each, thaw)" hk kill --all "$id" TERM
for _ in $(seq 50); do [ -z "$(procs_of "$id")" ] && break; sleep 0.1; done
is "kill --all: the cgroup is empty" "$(procs_of "$id")" ""
is "...and the container stopped" "$(state_of "$id")" stopped
ok "delete" hk delete "$id"

ok "run -d again" hk run -d --bundle "$b" "$id"
for _ in $(seq 50); do [ "$(wc -w <<<"$(procs_of "$id")")" = 3 ] && break; sleep 0.1; done
left=$(procs_of "$id")
ok "pause it" hk pause "$id"
ok "delete --force of a paused container with running processes" hk delete --force "$id"
# (killed processes whose parent is the host's init may stay zombies a moment)
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
still=""
for p in $left; do alive "$p" && still+="$p "; done
is "...killed every process" "$still" ""
is "...and removed its cgroups" "$(ls -d /sys/fs/cgroup/*/hako/"$id" /sys/fs/cgroup/hako/"$id" 2>/dev/null)" ""

# OOM: a memory hog below a small limit; events reports it
# (busybox sort holds its input, one endless line, in memory)
b=$(bundle oom -- sh -c 'sleep 1; head -c 300000000 /dev/zero | sort >/dev/null; exec sleep 100')
cfg "$b" '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
id=$(cid oom)
ok "run -d a container that will hit its memory limit" hk run -d --bundle "$b" "$id"
timeout 5 "$HAKO" --root "$HAKO_TEST_ROOT" events --interval 30s "$id" >"$WORK/oom-events" 2>&1
contains "events: an oom event" "$(jq -c . "$WORK/oom-events" 2>&1)" "{\"type\":\"oom\",\"id\":\"$id\"}"
ok "the container survives (the hog was a child)" test "$(state_of "$id")" = running
ok "delete --force" hk delete --force "$id"

done_testing
