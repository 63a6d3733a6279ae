# lib.sh - the harness of hako's integration tests (sourced by each test).
#
# Tests are bash scripts printing TAP; meson runs them (protocol tap).  Each
# runs real containers from a busybox rootfs through the hako CLI, checks
# from inside the container, and ends by checking that nothing is left
# behind (state directories, cgroups, mounts, processes).
#
# Environment (set by tests/meson.build): HAKO (binary), ROOTFS (template
# rootfs with hako-probe in /usr/bin), PROBE.  Each test file gets its own
# state root and work directory, so files run in parallel.
#
#   bundle NAME [-- CMD ARGS...]   a bundle dir with a rootfs copy and the
#                                  default config (hako spec); prints its path
#   cfg BUNDLE JQ-FILTER           edit config.json with jq
#   hk ARGS...                     hako with this test's --root
#   ok NAME CMD...                 pass when CMD succeeds
#   fails_with NAME TEXT CMD...    pass when CMD fails and stderr contains TEXT
#   is NAME GOT WANT               pass when equal
#   contains NAME HAYSTACK NEEDLE  pass when HAYSTACK contains NEEDLE
#   refused NAME BUNDLE TEXT       run fails with TEXT and creates nothing
#   skip NAME REASON               a skipped check, said as such
#   done_testing                   leftover checks, plan line, exit status

set -u
TEST_NAME=$(basename "$0" .sh)
: "${HAKO:?HAKO must point to the hako binary}"
: "${ROOTFS:?ROOTFS must point to the template rootfs}"
HAKO_TEST_ROOT=/run/hako-test/$TEST_NAME.$$
WORK=$(mktemp -d "/tmp/hako-test-$TEST_NAME.XXXXXX")
export HAKO_TEST_ROOT WORK
_n=0
_failed=0

_tap() { # status name [diag...]
	local status=$1 name=$2
	shift 2
	_n=$((_n + 1))
	if [ "$status" = 0 ]; then
		echo "ok $_n - $name"
	else
		echo "not ok $_n - $name"
		_failed=$((_failed + 1))
		local line
		for line in "$@"; do
			printf '%s\n' "$line" | sed 's/^/#   /'
		done
	fi
}

hk() { "$HAKO" --root "$HAKO_TEST_ROOT" "$@"; }

# A unique container id within this test run: "<test>-<name>-<pid>".  The
# leftover check and the cleanup find every id of the run by that pattern.
cid() { echo "$TEST_NAME-$1-$$"; }

bundle() {
	local name=$1
	shift
	local dir="$WORK/$name"
	mkdir -p "$dir"
	cp -a "$ROOTFS" "$dir/rootfs"
	if [ "${1:-}" = "--" ]; then
		shift
		(cd "$dir" && "$HAKO" spec -- "$@")
	else
		(cd "$dir" && "$HAKO" spec)
	fi
	echo "$dir"
}

cfg() {
	local dir=$1 filter=$2 tmp
	tmp=$(mktemp)
	jq "$filter" "$dir/config.json" >"$tmp" && mv "$tmp" "$dir/config.json"
}

# Output goes to a file, not a pipe: after `create` the container's init
# holds hako's stdout, and a pipe would not see EOF until it exits.
_run() {
	"$@" >"$WORK/.out" 2>&1
	local rc=$?
	out=$(cat "$WORK/.out")
	return $rc
}

ok() {
	local name=$1 out rc=0
	shift
	_run "$@" || rc=$?
	if [ $rc -eq 0 ]; then
		_tap 0 "$name"
	else
		_tap 1 "$name" "command: $*" "exit: $rc" "output: $out"
	fi
}

# The command must fail and say text; its output stays in $err_out for
# further checks.
fails_with() {
	local name=$1 text=$2 out rc=0
	shift 2
	_run "$@" || rc=$?
	err_out=$out
	if [ "$rc" -ne 0 ] && [[ "$out" == *"$text"* ]]; then
		_tap 0 "$name"
	else
		_tap 1 "$name" "command: $*" "exit: $rc (wanted non-zero)" "wanted text: $text" "output: $out"
	fi
}

# A file's content, or why it cannot be read (a check then shows that).
val() { cat "$1" 2>&1; }

is() {
	if [ "$2" = "$3" ]; then _tap 0 "$1"; else _tap 1 "$1" "got:  $2" "want: $3"; fi
}

contains() {
	if [[ "$2" == *"$3"* ]]; then _tap 0 "$1"; else _tap 1 "$1" "got: $2" "should contain: $3"; fi
}

# refused NAME BUNDLE TEXT: `run` fails with TEXT, and leaves no container
# behind (refused before anything was created)
refused() {
	local id
	id=$(cid "$1")
	fails_with "$1 is refused" "$3" hk run --bundle "$2" "$id"
	fails_with "$1: nothing was created" "does not exist" hk state "$id"
}

skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

# Everything this test made must be gone.
_check_leftovers() {
	local left="" found
	found=$(ls "$HAKO_TEST_ROOT" 2>/dev/null | tr '\n' ' ')
	[ -n "$found" ] && left+=" state: $found"
	found=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$TEST_NAME-*-$$" 2>/dev/null | head -3 | tr '\n' ' ')
	[ -n "$found" ] && left+=" cgroups: $found"
	found=$(pgrep -af "hako .*$TEST_NAME-[^ ]*-$$" 2>/dev/null | head -3 | tr '\n' ';')
	[ -n "$found" ] && left+=" processes: $found"
	if grep -q "$WORK" /proc/self/mountinfo; then
		left+=" mount:$(grep "$WORK" /proc/self/mountinfo | awk '{print $5}' | head -3 | tr '\n' ' ')"
	fi
	if [ -z "$left" ]; then _tap 0 "nothing left behind"; else _tap 1 "nothing left behind" "$left"; fi
}

_cleanup() {
	local id dir
	for id in $(ls "$HAKO_TEST_ROOT" 2>/dev/null); do
		hk delete --force "$id" >/dev/null 2>&1
	done
	# cgroups of this run that hako did not remove - some tests make them
	# themselves (stale leftovers to reuse): empty ones go, deepest first
	find /sys/fs/cgroup -maxdepth 6 -depth -type d -name "$TEST_NAME-*-$$" 2>/dev/null |
		while read -r dir; do
			find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
		done
	rmdir "$HAKO_TEST_ROOT" 2>/dev/null
	rmdir /run/hako-test 2>/dev/null
	# --one-file-system: on a host whose / is shared, a test that leaks a
	# mount (proc, sys, dev) into $WORK must not make rm walk the host.
	rm -rf --one-file-system "$WORK"
}

done_testing() {
	_check_leftovers
	_cleanup
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
	exit $?
}

trap '_cleanup' EXIT

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP integration tests need root (containers with namespaces, cgroups)"
	exit 0
fi
for tool in jq; do
	if ! command -v $tool >/dev/null; then
		echo "Bail out! $tool is not installed (scripts/install-deps.sh installs it)"
		exit 1
	fi
done
