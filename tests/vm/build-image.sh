#!/bin/bash
# build-image.sh - the initramfs of the cgroup v2 test VM.
#
#   build-image.sh OUT [--timeout SECONDS] [--var NAME=PATH]... [--env NAME=VALUE]... TEST.sh...
#
# OUT (a gzip'd newc cpio) holds busybox (static) for the system; bash, jq
# and a few more of the host's programs with their shared libraries; the
# test files with lib.sh; and each --var: a file (a program gets its libraries
# too) or a directory (the container rootfs), copied under /opt/hako and
# named in /opt/hako/env as NAME=<its path in the VM>.  Each --env goes to
# /opt/hako/env as is.  /init is tests/vm/init.sh.
#
# OUT is rebuilt only when an input changed: OUT.hash keeps a hash of the
# arguments, the project's files by content and the host's programs by size
# and time (inputs_hash).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-image.sh OUT [--timeout S] [--var NAME=PATH]... [--env NAME=VALUE]... TEST.sh...}
shift
timeout=300
vars=()
envs=()
tests=()
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--var) vars+=("$2"); shift 2 ;;
	--env) envs+=("$2"); shift 2 ;;
	*) tests+=("$1"); shift ;;
	esac
done
say() { echo "build-image.sh: $*" >&2; }

busybox=/bin/busybox
if [ ! -x "$busybox" ] || head -c 4096 "$busybox" | grep -qa '/ld-linux'; then
	say "a static /bin/busybox is needed (apt-get install busybox-static)"
	exit 1
fi
# The host's programs over busybox's applets, so that the tests run the
# tools they run on the host: bash and jq (lib.sh); coreutils (GNU options,
# as cut -d ''); util-linux's mount, umount (-R), mountpoint, unshare
# (--time=FILE), nsenter and flock; procps' pgrep (busybox-static has none)
# and ps (busybox's has other columns); iproute2's ip (netns); and /bin/sh
# (dash), which runs whatever its argv[0] (hooks set it) where busybox
# would look for an applet of that name.
system_bins=("$busybox")
extra_programs=(bash jq mount umount mountpoint unshare nsenter flock pgrep ps ip sh)
for p in "${extra_programs[@]}"; do
	path=$(command -v "$p") || { say "$p is not installed (scripts/install-deps.sh)"; exit 1; }
	system_bins+=("$path")
done
# Taken when installed; a test that needs one skips without it, saying so:
# apparmor_parser (package apparmor) loads the profiles of
# tests/integration/apparmor.sh into the VM's kernel, which enables AppArmor.
optional_programs=(apparmor_parser)
for p in "${optional_programs[@]}"; do
	if path=$(PATH=$PATH:/usr/sbin:/sbin command -v "$p"); then
		system_bins+=("$path")
	else
		say "$p is not installed: the tests that need it will skip (scripts/install-deps.sh)"
	fi
done
if command -v dpkg >/dev/null; then
	mapfile -t -O "${#system_bins[@]}" system_bins < <(dpkg -L coreutils |
		grep -E '^(/usr)?/s?bin/[^/]+$' | while read -r f; do [ -f "$f" ] && [ ! -L "$f" ] && echo "$f"; done)
fi
# tests/integration/lib.sh serves every test, wherever the file lives.
lib_sh="$here/../integration/lib.sh"

# The shared libraries of dynamic programs (none for static ones), once each
# (with several files, ldd heads each list with a "/path:" line).
libs_of() {
	ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' |
		sort -u
}

# The project's files by content, with their libraries; the host's programs
# by name, size and time, and the package database's time: an upgrade
# changes that, and nothing else changes the host's programs or libraries.
inputs_hash() {
	local v path files=("$here/init.sh" "$0" "$lib_sh" "${tests[@]}") programs=()
	for v in "${vars[@]}"; do
		path=${v#*=}
		[ -f "$path" ] && programs+=("$path")
	done
	{
		printf '%s\n' "$timeout" "${vars[@]}" "${envs[@]}" "${tests[@]}"
		stat -L -c '%n %s %Y' /var/lib/dpkg/status "${system_bins[@]}" 2>/dev/null
		sha256sum "${files[@]}" "${programs[@]}"
		[ ${#programs[@]} -eq 0 ] || libs_of "${programs[@]}" | xargs -r stat -L -c '%n %s %Y'
		# Directories (the rootfs) by content: meson remakes them on every run.
		for v in "${vars[@]}"; do
			path=${v#*=}
			[ -d "$path" ] || continue
			(cd "$path" && find . -printf '%p %y %m %U %G %l\n' | LC_ALL=C sort &&
				find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
		done
	} | sha256sum | cut -d' ' -f1
}

hash=$(inputs_hash)
if [ -s "$out" ] && [ "$(cat "$out.hash" 2>/dev/null)" = "$hash" ]; then
	exit 0
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/hako-vm-image.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# The host's merged-/usr links, so that library paths from ldd hold as is.
for d in bin sbin lib lib64; do
	if [ -L "/$d" ]; then
		mkdir -p "$stage/$(readlink "/$d")"
		ln -s "$(readlink "/$d")" "$stage/$d"
	else
		mkdir -p "$stage/$d"
	fi
done
mkdir -p "$stage"/{usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,opt/hako/tests}
chmod 1777 "$stage/tmp"

# Programs at their paths; then every library they load, at the paths ldd
# names.
programs=()
add_program() { # SRC DEST
	mkdir -p "$(dirname "$stage$2")"
	rm -f "$stage$2"
	cp -L "$1" "$stage$2"
	programs+=("$1")
}
add_libs() {
	local lib
	for lib in $(libs_of "${programs[@]}"); do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$(dirname "$stage$lib")"
		cp -L "$lib" "$stage$lib"
	done
}

cp "$busybox" "$stage/usr/bin/busybox"
for applet in $("$busybox" --list-full | grep -vx linuxrc); do
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] || ln -s /usr/bin/busybox "$stage/$applet"
done
for path in "${system_bins[@]:1}"; do
	add_program "$path" "$path"
done
ln -sf pgrep "$stage/usr/bin/pkill"
echo hako-vm >"$stage/etc/hostname"
cp "$here/init.sh" "$stage/init"
chmod 755 "$stage/init"
cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
EOF
cat >"$stage/etc/group" <<'EOF'
root:x:0:
tty:x:5:
EOF

: >"$stage/opt/hako/env"
for v in "${vars[@]}"; do
	name=${v%%=*}
	path=${v#*=}
	dest=/opt/hako/$(basename "$path")
	if [ -d "$path" ]; then
		cp -a "$path" "$stage$dest"
	elif [ -f "$path" ]; then
		add_program "$path" "$dest"
	else
		say "--var $name: no such file or directory: $path"
		exit 1
	fi
	echo "$name=$dest" >>"$stage/opt/hako/env"
done
add_libs
for e in "${envs[@]}"; do
	printf "%s='%s'\n" "${e%%=*}" "$(printf %s "${e#*=}" | sed "s/'/'\\\\''/g")" >>"$stage/opt/hako/env"
done
echo "$timeout" >"$stage/opt/hako/timeout"
# Each file keeps its folder's name, so "../integration/lib.sh" holds inside
# as it does in the source tree; init.sh runs them in the order given.
mkdir -p "$stage/opt/hako/tests/integration"
cp "$lib_sh" "$stage/opt/hako/tests/integration/lib.sh"
for t in "${tests[@]}"; do
	dest=/opt/hako/tests/$(basename "$(dirname "$(realpath "$t")")")/$(basename "$t")
	mkdir -p "$(dirname "$stage$dest")"
	cp "$t" "$stage$dest"
	echo "$dest" >>"$stage/opt/hako/tests/list"
done

# Owners and modes as staged: the rootfs keeps its uid 1000 home.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$hash" >"$out.hash"
