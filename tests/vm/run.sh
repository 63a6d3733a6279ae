#!/bin/bash
# run.sh - run test files inside a VM whose only cgroup hierarchy is v2.
#
#   run.sh [--out DIR] [--var NAME=PATH]... TEST.sh...
#
# Boots Debian's kernel (tests/vm/fetch-kernel.sh caches it) under qemu with
# cgroup_no_v1=all and an initramfs from build-image.sh holding the tests,
# lib.sh, bash, jq and every --var (HAKO, ROOTFS, PROBE as in
# tests/meson.build), MODULES (the kernel's modules that fetch-kernel.sh
# keeps), and ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS when set.
# Prints one TAP stream: a first check that the VM came up with cgroup2
# alone, then every file's checks as "FILE: check".  The
# kernel console (with the tests' stderr) goes to stderr; DIR (default: a
# temporary one, removed at the end) keeps console.log, report.log and the
# image, which build-image.sh remakes only when an input changed.
#
# Environment: HAKO_VM_CACHE (the kernel cache, as fetch-kernel.sh),
# HAKO_VM_ACCEL (tcg; kvm where it works), HAKO_VM_TIMEOUT (seconds for the
# whole VM, default 600), HAKO_VM_TEST_TIMEOUT (per file, default 300).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=""
image_args=()
tests=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--var) image_args+=(--var "$2"); shift 2 ;;
	*) tests+=("$1"); shift ;;
	esac
done
# The sanitizers' settings reach an ASan build of hako inside as well.
for e in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	if [ -n "${!e:-}" ]; then image_args+=(--env "$e=${!e}"); fi
done
accel=${HAKO_VM_ACCEL:-tcg}
vm_timeout=${HAKO_VM_TIMEOUT:-600}
test_timeout=${HAKO_VM_TEST_TIMEOUT:-300}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

if [ -n "${HAKO_VM_CACHE:-}" ]; then
	cache=$HAKO_VM_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache=/var/cache/hako-vm
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/hako-vm
fi
qemu=$(command -v qemu-system-x86_64) ||
	skip_all "qemu-system-x86_64 is not installed (scripts/install-deps.sh installs qemu-system-x86)"
[ "$(uname -m)" = x86_64 ] || skip_all "the VM tests boot an amd64 kernel; this is $(uname -m)"
kernel=$cache/kernel/current/vmlinuz
# fetch-kernel.sh also completes a cache from before it kept modules, and
# keeps what is there when it cannot download.
modules=$cache/kernel/current/modules
if { [ ! -s "$kernel" ] || [ ! -d "$modules" ]; } && command -v apt-get >/dev/null; then
	"$here/fetch-kernel.sh" "$cache" >&2
fi
[ -s "$kernel" ] ||
	skip_all "no kernel in $cache/kernel (scripts/install-deps.sh or tests/vm/fetch-kernel.sh fetches Debian's linux-image-amd64)"
# The kernel's modules (null_blk for a disk, bfq): init.sh makes MODULES
# its /lib/modules, or says why the VM has no disk.
[ -d "$modules" ] && image_args+=(--var "MODULES=$modules")
[ ${#tests[@]} -gt 0 ] || skip_all "no test files given"

if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/hako-vm.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
t0=$(date +%s%3N)
if ! "$here/build-image.sh" "$out/initramfs.cpio.gz" --timeout "$test_timeout" \
	"${image_args[@]}" "${tests[@]}" 2>"$out/build.log"; then
	echo "not ok 1 - vm: build the initramfs"
	sed 's/^/#   /' "$out/build.log"
	echo "1..1"
	exit 1
fi
t1=$(date +%s%3N)

cpu=max
[ "$accel" = kvm ] && cpu=host
rm -f "$out/console.log" "$out/report.log"
# Two serial ports: ttyS0 the console, ttyS1 the report alone, so kernel
# messages never land inside the TAP.  No network, disk, display or option
# ROMs: nothing to probe at boot.
timeout -k 10 "$vm_timeout" "$qemu" -nodefaults -no-user-config -display none -monitor none \
	-accel "$accel" -cpu "$cpu" -smp 2 -m 1024 -no-reboot \
	-kernel "$kernel" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 cgroup_no_v1=all panic=-1 quiet mitigations=off" \
	-serial "file:$out/console.log" -serial "file:$out/report.log" 2>"$out/qemu.log"
qemu_rc=$?
t2=$(date +%s%3N)

# The console, but not a flood (a runaway rm can print thousands of lines).
lines=$(wc -l <"$out/console.log" 2>/dev/null || echo 0)
if [ "$lines" -gt 400 ]; then
	echo "(the console printed $lines lines; the last 400 follow)" >&2
	tail -n 400 "$out/console.log" >&2
else
	cat "$out/console.log" >&2 2>/dev/null
fi
[ -s "$out/qemu.log" ] && sed 's/^/qemu: /' "$out/qemu.log" >&2

tr -d '\r' <"$out/report.log" 2>/dev/null | awk \
	-v accel="$accel" -v qemu_rc="$qemu_rc" -v vm_timeout="$vm_timeout" \
	-v image_ms=$((t1 - t0)) -v vm_ms=$((t2 - t1)) '
function tap(status, desc) {
	n++
	if (status) print "ok " n " - " desc
	else { print "not ok " n " - " desc; failed++ }
}
function finish(   want) {
	if (plan == "" && !bail) tap(0, cur ": no plan line (the file stopped early)")
	else if (plan ~ /^1\.\.0/ && count == 0) {
		sub(/^1\.\.0 *(# *([Ss][Kk][Ii][Pp][^ ]*)? *)?/, "", plan)
		print "ok " ++n " - " cur " # SKIP " plan
	} else if (!bail && (want = substr(plan, 4) + 0) != count)
		tap(0, cur ": planned " want " checks, ran " count)
	if (rc == 137) tap(0, cur ": killed after its time limit")
	else if (rc != 0 && !file_failed) tap(0, cur ": exit status " rc)
	print "# " cur ": " secs " s in the VM"
	cur = ""
}
/^hako-vm: kernel / { kernel = $3; print "# vm: the kernel started /init after " $5 " s"; next }
/^hako-vm: cgroup / {
	booted = 1
	ctl = $0; sub(/^hako-vm: cgroup [^ ]* ?/, "", ctl)
	tap($3 == "63677270", "vm: kernel " kernel " (" accel ") booted with cgroup2 alone at /sys/fs/cgroup; controllers: " ctl)
	next
}
/^hako-vm: begin / { cur = $3; count = 0; plan = ""; rc = ""; bail = 0; file_failed = 0; next }
/^hako-vm: end / {
	for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rc") rc = kv[2]; else secs = kv[2] }
	finish(); next
}
/^hako-vm: done/ { done = 1; next }
cur == "" { print "# " $0; next }
/^(not )?ok( |$)/ {
	count++
	status = ($1 == "ok")
	line = $0
	sub(/^(not )?ok *[0-9]* *-? */, "", line)
	if (!status) file_failed = 1
	tap(status, cur ": " line)
	next
}
/^1\.\.[0-9]+/ { plan = $0; next }
/^Bail out!/ { bail = 1; tap(0, cur ": " $0); next }
/^#/ { print; next }
{ print "# " cur ": " $0 }
END {
	if (!booted) tap(0, "vm: boot (no report from the VM; the console log follows on stderr)")
	if (cur != "") tap(0, cur ": did not finish (the VM stopped)")
	if (booted && !done) {
		if (qemu_rc == 124) tap(0, "vm: the run did not finish within " vm_timeout " s")
		else tap(0, "vm: the run did not finish (qemu exit status " qemu_rc ")")
	}
	printf "# vm: image %.1f s, boot and tests %.1f s\n", image_ms / 1000, vm_ms / 1000
	print "1.." n
	exit failed > 0
}'
