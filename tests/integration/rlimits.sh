#!/bin/bash
# rlimits.sh - process.rlimits as the process sees them, and the refusal of
# a hard limit hako cannot give before anything starts.
. "$(dirname "$0")/lib.sh"

b=$(bundle rl -- /usr/bin/hako-probe rlimit NOFILE)

is "the default config's RLIMIT_NOFILE reaches the process" "$(hk run --bundle "$b" "$(cid nofile)")" "1024 1024"

cfg "$b" '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 512, hard: 900},
	{type: "RLIMIT_MEMLOCK", soft: 65536, hard: 65536}, {type: "RLIMIT_CORE", soft: 0, hard: 0}]'
is "RLIMIT_NOFILE soft and hard exactly" "$(hk run --bundle "$b" "$(cid two)")" "512 900"
cfg "$b" '.process.args = ["/usr/bin/hako-probe", "rlimit", "MEMLOCK"]'
is "RLIMIT_MEMLOCK lowered to 64 KiB" "$(hk run --bundle "$b" "$(cid memlock)")" "65536 65536"
cfg "$b" '.process.args = ["/usr/bin/hako-probe", "rlimit", "CORE"]'
is "RLIMIT_CORE 0" "$(hk run --bundle "$b" "$(cid core)")" "0 0"
cfg "$b" '.process.args = ["/usr/bin/hako-probe", "mlockall", "1048576"]'
is "the lowered limit applies: mlockall of 1 MiB fails" "$(hk run --bundle "$b" "$(cid lock)")" ENOMEM

# ---- a hard limit above hako's own without CAP_SYS_RESOURCE ----------------------------
own_hard=$(ulimit -H -l)
own_caps=$((0x$(grep '^CapEff:' /proc/self/status | cut -f2)))
if [ "$own_hard" = unlimited ] || (((own_caps >> 24 & 1) == 1)); then
	for n in 1 2 3 4 5; do skip "RLIMIT_MEMLOCK above hako's hard limit ($n)" "hako can raise RLIMIT_MEMLOCK here (hard limit $own_hard, or CAP_SYS_RESOURCE)"; done
else
	hard=$((own_hard * 1024))
	want=$((hard * 2))
	cfg "$b" ".process.rlimits = [{type: \"RLIMIT_NOFILE\", soft: 1024, hard: 1024}, {type: \"RLIMIT_MEMLOCK\", soft: $want, hard: $want}]"
	id=$(cid above)
	out=$(hk run --bundle "$b" "$id" 2>&1)
	is "a hard limit above hako's own is refused" "$?" 1
	contains "... naming the entry and the value" "$out" "process.rlimits[1]: cannot set RLIMIT_MEMLOCK hard limit to $want"
	contains "... with hako's own limit" "$out" "hako's own hard limit is $hard"
	contains "... and why" "$out" "hako has no CAP_SYS_RESOURCE in the initial user namespace"
	contains "... and the fix" "$out" "request at most $hard"
	fails_with "nothing was created: the id is unknown" "does not exist" hk state "$id"
fi

# ---- other refusals ---------------------------------------------------------------------
nr_open=$(cat /proc/sys/fs/nr_open)
cfg "$b" ".process.rlimits = [{type: \"RLIMIT_NOFILE\", soft: 1024, hard: $((nr_open + 1))}]"
fails_with "RLIMIT_NOFILE above fs.nr_open is refused" \
	"process.rlimits[0]: cannot set RLIMIT_NOFILE hard limit to $((nr_open + 1)): the kernel's fs.nr_open is $nr_open" \
	hk run --bundle "$b" "$(cid nropen)"
cfg "$b" '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 2048, hard: 1024}]'
fails_with "soft above hard is refused" "process.rlimits[0]: RLIMIT_NOFILE soft limit 2048 is above its hard limit 1024" \
	hk run --bundle "$b" "$(cid softhard)"
cfg "$b" '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1, hard: 1}, {type: "RLIMIT_NOFILE", soft: 2, hard: 2}]'
fails_with "a duplicate type is refused" "process.rlimits[1]" hk run --bundle "$b" "$(cid dup)"
cfg "$b" '.process.rlimits = [{type: "RLIMIT_NOFILES", soft: 1, hard: 1}]'
fails_with "an unknown type is refused by name" 'unknown rlimit "RLIMIT_NOFILES"' hk run --bundle "$b" "$(cid unknown)"

done_testing
