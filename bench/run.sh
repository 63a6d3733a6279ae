#!/usr/bin/env bash
# run.sh - time `hako run` of /bin/true against runc, crun and floor in one
# hyperfine run, and print medians, ratios and peak RSS.
#
#   bench/run.sh [--hako PATH] [--runs N] [--cycle-runs N] [--warmup N] [--out DIR]
#
#   --hako PATH      the hako binary (default: build/src/hako of this checkout)
#   --runs N         runs per command of the `run` benchmark (default 300)
#   --cycle-runs N   runs per command of create+start+delete (default 150)
#   --warmup N       warmup runs per command (default 10)
#   --out DIR        keep hyperfine's JSON, the floor step table and the summary
#   --state-on-disk  state directories on the temp dir's file system, not tmpfs
#   --profile N      instead: trace N `hako run` (perf: raw_syscalls, sched) and
#                    print hako's phases and syscall times (bench/phases.awk)
#                    beside the median of N `floor --parity --cgroup --steps`
#   FLOOR_SRC=FILE   floor.c (default: ../shared/bench/floor.c beside the checkout)
#
# Every runtime gets the same bundle: a busybox rootfs (scripts/make-rootfs.sh)
# and the config of `runc spec` with terminal false, args ["/bin/true"] and no
# ambient capabilities (see below).  Each has its own --root state directory
# (on a tmpfs, as /run is on most systems) and fixed container ids; `run`
# deletes the container when it exits.
#
# Everything runs in one mount namespace where a cgroup v1 host's
# /sys/fs/cgroup/unified is unmounted: crun 1.8 refuses that hybrid layout,
# and every runtime must see the same one.  A child subreaper (reaper.c)
# reaps the inits that detached containers orphan.  Temp bundle, state
# directories and containers are removed on exit, also when interrupted.
# Needs root.  Only ratios measured in one run mean anything.
set -euo pipefail

self=$(readlink -f "$0")
here=$(dirname "$self")
repo=$(dirname "$here")

runtimes=(hako runc crun)

# ---- helpers shared by all modes --------------------------------------------

die() {
	echo "run.sh: $*" >&2
	exit 1
}

# The binary of runtime $1.
rt_bin() {
	case $1 in
	hako) echo "$HAKO" ;;
	*) command -v "$1" ;;
	esac
}

# Runtime $1 with its own state directory.
rt() {
	local r=$1
	shift
	"$(rt_bin "$r")" --root "$BENCH_TMP/state/$r" "$@"
}

# Every container id this run uses (per runtime, the same names).
all_ids() { echo "$BENCH_ID-run $BENCH_ID-cycle $BENCH_ID-rss"; }

# Remove every container and cgroup this run may have left: called inside
# the benchmark's mount namespace, under the reaper, so killed inits are
# reaped.  Quiet: most of it finds nothing to do.
remove_leftovers() {
	local r id d pid
	for r in "${runtimes[@]}"; do
		for id in $(all_ids); do
			if [ -d "$BENCH_TMP/state/$r" ]; then
				rt "$r" delete --force "$id" >/dev/null 2>&1 || true
			fi
		done
	done
	# crun 1.8, seeing a plain directory where it expects the cgroup2
	# mount, writes cgroup.procs into it and leaves it behind.
	if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = tmpfs ]; then
		for id in $(all_ids); do
			d=/sys/fs/cgroup/unified/$id
			[ -d "$d" ] || continue
			rm -f "$d/cgroup.procs"
			rmdir "$d" 2>/dev/null || true
		done
	fi
	# floor removes its cgroups unless it is killed; a dead floor's are
	# stale.  A live floor's (someone else's run) is left alone.
	for d in /sys/fs/cgroup/floor-* /sys/fs/cgroup/*/floor-*; do
		[ -d "$d" ] || continue
		pid=${d##*/floor-}
		[ -d "/proc/$pid" ] || rmdir "$d" 2>/dev/null || true
	done
}

# Run a command in the background and wait for it, so that a signal's trap
# runs at once (bash defers traps while a foreground command runs) and can
# stop it (stop).
child=""
run_child() {
	local status=0
	"$@" &
	child=$!
	wait "$child" || status=$?
	child=""
	return "$status"
}

stop() {
	trap '' INT TERM HUP
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	exit "$1"
}

# $1 quoted for hyperfine -N, which splits its commands like a shell.
q() { printf "'%s'" "$1"; }

# The layout crun accepts: hide a hybrid host's cgroup2 mount.
hide_unified() {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] && mountpoint -q /sys/fs/cgroup/unified; then
		umount /sys/fs/cgroup/unified
	fi
}

# ---- inside the namespace: the measurements ----------------------------------

# Peak RSS in KiB: "tree" is what wait4 reports for `run /bin/true` (GNU time
# %M: the runtime and the children it waited for, the pre-exec init
# included); "self" is VmHWM of the runtime process alone, read while a
# sleeping container runs (its start path is behind it by then).
measure_rss() {
	local r id=$BENCH_ID-rss tree self vals pid st
	for r in "${runtimes[@]}"; do
		vals=()
		for _ in 1 2 3 4 5; do
			/usr/bin/time -f %M -o "$BENCH_TMP/time.out" \
				"$(rt_bin "$r")" --root "$BENCH_TMP/state/$r" run --bundle "$BENCH_TMP/bundle" "$id" >/dev/null
			vals+=("$(tail -n 1 "$BENCH_TMP/time.out")")
		done
		tree=$(printf '%s\n' "${vals[@]}" | sort -n | sed -n 3p)
		# the binary itself, not the function: $! must be the runtime
		"$(rt_bin "$r")" --root "$BENCH_TMP/state/$r" run --bundle "$BENCH_TMP/bundle-sleep" "$id" \
			>/dev/null &
		pid=$!
		for _ in $(seq 50); do
			st=$(rt "$r" state "$id" 2>/dev/null | jq -r .status 2>/dev/null || true)
			[ "$st" = running ] && break
			sleep 0.05
		done
		self=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo "?")
		wait "$pid"
		printf '%s\t%s\t%s\n' "$r" "$tree" "${self:-?}"
	done
	vals=()
	for _ in 1 2 3 4 5; do
		/usr/bin/time -f %M -o "$BENCH_TMP/time.out" "$BENCH_TMP/floor" --parity --cgroup \
			--rootfs "$BENCH_TMP/bundle/rootfs"
		vals+=("$(tail -n 1 "$BENCH_TMP/time.out")")
	done
	printf 'floor\t%s\t-\n' "$(printf '%s\n' "${vals[@]}" | sort -n | sed -n 3p)"
}

# floor's --steps table, median of each step over $1 runs.
floor_steps() {
	local i
	for ((i = 0; i < $1; i++)); do
		"$BENCH_TMP/floor" --parity --cgroup --steps --rootfs "$BENCH_TMP/bundle/rootfs" 2>&1 >/dev/null
	done | awk -v runs="$1" '
		$1 == "step" { next }
		{ v = $NF; name = $0; sub(/[ \t]+[^ \t]+$/, "", name)
		  if (!(name in k)) order[++n] = name
		  val[name, ++k[name]] = v }
		END {
			printf "%-34s %9s\n", "step (median of " runs " runs)", "us"
			for (i = 1; i <= n; i++) {
				name = order[i]; m = k[name]
				for (a = 1; a <= m; a++) x[a] = val[name, a]
				for (a = 2; a <= m; a++) { t = x[a]; for (b = a - 1; b >= 1 && x[b] > t; b--) x[b + 1] = x[b]; x[b + 1] = t }
				printf "%-34s %9.1f\n", name, m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
			}
		}'
}

# hako's phases and syscall times over $PROFILE traced runs (bench/phases.awk).
profile() {
	local i
	# shellcheck disable=SC2016 # expanded by the inner bash
	run_child perf record -q -o "$BENCH_TMP/perf.data" \
		-e raw_syscalls:sys_enter,raw_syscalls:sys_exit,sched:sched_process_exec,sched:sched_process_exit \
		-- bash -c 'for ((i = 0; i < $1; i++)); do "$2" --root "$3" run --bundle "$4" "$5"; done' \
		loop "$PROFILE" "$HAKO" "$BENCH_TMP/state/hako" "$BENCH_TMP/bundle" "$BENCH_ID-run"
	perf script -i "$BENCH_TMP/perf.data" -F comm,pid,time,event,trace 2>/dev/null |
		awk -f "$here/phases.awk" >"$BENCH_TMP/phases.txt"
}

inner() {
	local B=$BENCH_TMP/bundle F=$BENCH_TMP/floor R=$BENCH_TMP/bundle/rootfs r
	local -a run_cmds=() cycle_cmds=()

	trap remove_leftovers EXIT
	trap 'stop 130' INT
	trap 'stop 143' TERM
	trap 'stop 129' HUP
	hide_unified
	# Private to this namespace: it goes away with it.
	[ "$STATE_ON_DISK" = 1 ] || mount -t tmpfs -o mode=0700 hako-bench-state "$BENCH_TMP/state"
	mkdir -p "$BENCH_TMP"/state/{hako,runc,crun}

	# One run of each, with its output shown: a failure explains itself
	# here instead of as hyperfine's bare exit status.
	for r in "${runtimes[@]}"; do
		rt "$r" run --bundle "$B" "$BENCH_ID-run" || die "$r run of /bin/true failed (above)"
	done
	"$F" --parity --cgroup --rootfs "$R" || die "floor --parity --cgroup failed (above)"

	cat /proc/loadavg >"$BENCH_TMP/load.before"
	if [ "$PROFILE" -gt 0 ]; then
		profile
		floor_steps "$PROFILE" >"$BENCH_TMP/floor-steps.txt"
		cat /proc/loadavg >"$BENCH_TMP/load.after"
		return
	fi
	for r in "${runtimes[@]}"; do
		run_cmds+=(-n "$r run" "$(q "$(rt_bin "$r")") --root $(q "$BENCH_TMP/state/$r") run --bundle $(q "$B") $BENCH_ID-run")
		cycle_cmds+=(-n "$r create+start+delete" "/bin/sh $(q "$BENCH_TMP/cycle.sh") $(q "$(rt_bin "$r")") $(q "$BENCH_TMP/state/$r") $(q "$B") $BENCH_ID-cycle")
	done
	run_cmds+=(-n "floor" "$(q "$F") --rootfs $(q "$R")"
		-n "floor --parity" "$(q "$F") --parity --rootfs $(q "$R")"
		-n "floor --parity --cgroup" "$(q "$F") --parity --cgroup --rootfs $(q "$R")")
	cycle_cmds+=(-n "sh + 3 x /bin/true" "/bin/sh $(q "$BENCH_TMP/cycle.sh") /bin/true x x x")

	run_child hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$BENCH_TMP/run.json" \
		"${run_cmds[@]}"
	run_child hyperfine -N --warmup "$WARMUP" --runs "$CYCLE_RUNS" --export-json "$BENCH_TMP/cycle.json" \
		"${cycle_cmds[@]}"
	cat /proc/loadavg >"$BENCH_TMP/load.after"
	measure_rss >"$BENCH_TMP/rss.tsv"
	floor_steps 21 >"$BENCH_TMP/floor-steps.txt"
}

# ---- outside: preparation and the report --------------------------------------

cleanup() {
	trap '' INT TERM HUP
	if [ -n "${BENCH_TMP:-}" ] && [ -d "$BENCH_TMP" ]; then
		if [ -x "$BENCH_TMP/reaper" ]; then
			unshare -m -- "$BENCH_TMP/reaper" bash "$self" --cleanup || true
		fi
		rm -rf "$BENCH_TMP"
	fi
}

# Median (ms) of command $2 in hyperfine JSON $1.
median_ms() {
	jq -r --arg c "$2" '.results[] | select(.command == $c) | .median * 1000' "$1"
}

table() { # json, baseline names for ratios...
	local json=$1
	shift
	jq -r '.results[] | [.command, .median * 1000, .mean * 1000, .stddev * 1000, .min * 1000]
		| @tsv' "$json" |
		awk -F '\t' 'BEGIN { printf "%-28s %10s %10s %10s %10s\n", "command", "median ms",
				"mean ms", "stddev", "min ms" }
			{ printf "%-28s %10.2f %10.2f %10.2f %10.2f\n", $1, $2, $3, $4, $5 }'
}

ratio() { # json, numerator, denominator
	local a b
	a=$(median_ms "$1" "$2")
	b=$(median_ms "$1" "$3")
	awk -v a="$a" -v b="$b" -v n="$2" -v d="$3" \
		'BEGIN { printf "  %-22s / %-26s %6.2f\n", n, d, a / b }'
}

header() {
	echo
	echo "== hako $1, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) cpus"
	echo "   hako: $("$HAKO" --version | head -n 1)   runc: $(runc --version | head -n 1 | cut -d' ' -f3)   crun: $(crun --version | head -n 1 | cut -d' ' -f3)"
	echo "   load average before: $(cut -d' ' -f1-3 "$BENCH_TMP/load.before")   after: $(cut -d' ' -f1-3 "$BENCH_TMP/load.after")"
	if [ "$STATE_ON_DISK" = 1 ]; then
		echo "   state directories on $(stat -f -c %T "$BENCH_TMP")"
	else
		echo "   state directories on tmpfs"
	fi
}

report_profile() {
	header profile
	echo
	echo "-- hako run /bin/true, traced (raw_syscalls, sched; the tracing adds ~1 us a syscall)"
	cat "$BENCH_TMP/phases.txt"
	echo
	echo "-- floor --parity --cgroup --steps"
	cat "$BENCH_TMP/floor-steps.txt"
}

report() {
	local c=$BENCH_TMP/cycle.json j=$BENCH_TMP/run.json
	header benchmark
	echo
	echo "-- run /bin/true (foreground: create, start, wait, delete)"
	table "$j"
	echo "ratios of medians:"
	ratio "$j" "hako run" "crun run"
	ratio "$j" "hako run" "runc run"
	ratio "$j" "hako run" "floor --parity --cgroup"
	ratio "$j" "crun run" "floor --parity --cgroup"
	ratio "$j" "runc run" "floor --parity --cgroup"
	echo
	echo "-- create + start + delete --force of a detached /bin/true (through /bin/sh)"
	table "$c"
	echo "ratios of medians:"
	ratio "$c" "hako create+start+delete" "crun create+start+delete"
	ratio "$c" "hako create+start+delete" "runc create+start+delete"
	echo
	echo "-- peak RSS (KiB): tree = run /bin/true as wait4 reports it (median of 5);"
	echo "   self = VmHWM of the runtime process alone, its container running"
	awk -F '\t' 'BEGIN { printf "%-8s %10s %10s\n", "runtime", "tree", "self" }
		{ printf "%-8s %10s %10s\n", $1, $2, $3 }' "$BENCH_TMP/rss.tsv"
	echo
	echo "-- floor --parity --cgroup --steps"
	cat "$BENCH_TMP/floor-steps.txt"
}

outer() {
	local runs=300 cycle_runs=150 warmup=10 out="" floor_src
	STATE_ON_DISK=0 PROFILE=0
	HAKO=$repo/build/src/hako
	while [ $# -gt 0 ]; do
		case $1 in
		--hako) HAKO=${2:?--hako needs a path}; shift 2 ;;
		--runs) runs=${2:?}; shift 2 ;;
		--cycle-runs) cycle_runs=${2:?}; shift 2 ;;
		--warmup) warmup=${2:?}; shift 2 ;;
		--out) out=${2:?}; shift 2 ;;
		--state-on-disk) STATE_ON_DISK=1; shift ;;
		--profile) PROFILE=${2:?}; shift 2 ;;
		-h | --help) sed -n '2,/^set /p' "$self" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
		*) die "unknown option '$1' (see --help)" ;;
		esac
	done
	floor_src=${FLOOR_SRC:-$repo/../shared/bench/floor.c}
	[ "$(id -u)" = 0 ] || die "run as root (containers, cgroups, mount namespaces)"
	[ -x "$HAKO" ] || die "no hako binary at '$HAKO' (build it, or pass --hako PATH)"
	[ -f "$floor_src" ] || die "no floor.c at '$floor_src' (set FLOOR_SRC)"
	for c in hyperfine runc crun jq cc unshare mountpoint; do
		command -v "$c" >/dev/null || die "'$c' is missing (scripts/install-deps.sh)"
	done
	[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"
	if [ "$PROFILE" -gt 0 ]; then
		command -v perf >/dev/null || die "--profile needs perf (apt-get install linux-perf)"
	fi
	HAKO=$(readlink -f "$HAKO")

	BENCH_TMP=$(mktemp -d /tmp/hako-bench.XXXXXX)
	BENCH_ID=hako-bench-$$
	RUNS=$runs CYCLE_RUNS=$cycle_runs WARMUP=$warmup
	export HAKO BENCH_TMP BENCH_ID RUNS CYCLE_RUNS WARMUP STATE_ON_DISK PROFILE
	trap cleanup EXIT
	trap 'stop 130' INT
	trap 'stop 143' TERM
	trap 'stop 129' HUP

	cc -O2 -Wall -Wextra -Werror -std=c17 -o "$BENCH_TMP/floor" "$floor_src"
	cc -O2 -Wall -Wextra -Werror -std=c17 -o "$BENCH_TMP/reaper" "$here/reaper.c"
	mkdir -p "$BENCH_TMP/bundle" "$BENCH_TMP/bundle-sleep" "$BENCH_TMP/state"
	"$repo/scripts/make-rootfs.sh" "$BENCH_TMP/bundle/rootfs"
	runc spec --bundle "$BENCH_TMP/bundle"
	# No ambient set: runc's spec asks for ambient capabilities it does not
	# make inheritable, which the kernel refuses; runc and hako warn and go
	# on, crun ignores it.  Without it all three do the same work and print
	# nothing.
	jq '.process.terminal = false | .process.args = ["/bin/true"]
		| del(.process.capabilities.ambient)' "$BENCH_TMP/bundle/config.json" >"$BENCH_TMP/config.json"
	mv "$BENCH_TMP/config.json" "$BENCH_TMP/bundle/config.json"
	jq --arg root "$BENCH_TMP/bundle/rootfs" '.root.path = $root | .process.args = ["/bin/sleep", "1"]' \
		"$BENCH_TMP/bundle/config.json" >"$BENCH_TMP/bundle-sleep/config.json"
	cat >"$BENCH_TMP/cycle.sh" <<'EOF'
# cycle.sh RUNTIME ROOT BUNDLE ID: create, start and delete one container.
"$1" --root "$2" create --bundle "$3" "$4" && "$1" --root "$2" start "$4" &&
	exec "$1" --root "$2" delete --force "$4"
EOF

	run_child unshare -m -- "$BENCH_TMP/reaper" bash "$self" --inner
	if [ "$PROFILE" -gt 0 ]; then
		report_profile | tee "$BENCH_TMP/summary.txt"
	else
		report | tee "$BENCH_TMP/summary.txt"
	fi
	if [ -n "$out" ]; then
		mkdir -p "$out"
		for f in run.json cycle.json rss.tsv phases.txt floor-steps.txt summary.txt; do
			[ ! -f "$BENCH_TMP/$f" ] || cp "$BENCH_TMP/$f" "$out/"
		done
		echo "results kept in $out"
	fi
}

case ${1:-} in
--inner) inner ;;
--cleanup) hide_unified; remove_leftovers ;;
*) outer "$@" ;;
esac
