#!/bin/sh
# fetch-kernel.sh [CACHE] - Debian's kernel for the cgroup v2 VM tests.
#
# Downloads the package linux-image-amd64 points to (apt-get download, no
# install: the host's boot setup stays untouched) and keeps only
# boot/vmlinuz and boot/config from it, in CACHE/kernel/<package>_<version>/,
# with CACHE/kernel/current pointing there.  Nothing is fetched when the
# candidate version is cached already.  Every module stays out: the VM needs
# none (serial console, initramfs, cgroup2 and namespaces are built in).
#
# CACHE: $HAKO_VM_CACHE, else /var/cache/hako-vm for root and
# ${XDG_CACHE_HOME:-~/.cache}/hako-vm for others (tests/vm/run.sh looks in
# the same place).
set -eu
if [ -n "${1:-}" ]; then
	cache=$1
elif [ -n "${HAKO_VM_CACHE:-}" ]; then
	cache=$HAKO_VM_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache=/var/cache/hako-vm
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/hako-vm
fi
say() { echo "fetch-kernel.sh: $*" >&2; }

# The metapackage's dependency names the versioned image package.
image_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}
pkg=$(image_package)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	apt-get update -q >&2
	pkg=$(image_package)
fi
if [ -z "$pkg" ]; then
	say "apt knows no linux-image-amd64 (run apt-get update as root)"
	exit 1
fi
ver=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')
dir="$cache/kernel/${pkg}_$ver"
if [ -s "$dir/vmlinuz" ]; then
	ln -sfn "${pkg}_$ver" "$cache/kernel/current"
	exit 0
fi

mkdir -p "$cache/kernel"
tmp=$(mktemp -d "$cache/kernel/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
say "downloading $pkg $ver"
# As root, apt would hand the download to its _apt user, who cannot write
# to a private temporary directory (and says so).
sandbox=""
[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086
download() { (cd "$tmp" && apt-get download -q $sandbox "$pkg=$ver" >&2); }
# Stale package lists name a version the mirror no longer has.
if ! download && [ "$(id -u)" = 0 ]; then
	apt-get update -q >&2
	pkg=$(image_package)
	ver=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')
	dir="$cache/kernel/${pkg}_$ver"
	download || true
fi
if ! ls "$tmp"/*.deb >/dev/null 2>&1; then
	if [ -s "$cache/kernel/current/vmlinuz" ]; then
		say "cannot download $pkg $ver; keeping $(cat "$cache/kernel/current/version")"
		exit 0
	fi
	say "cannot download $pkg $ver"
	exit 1
fi
deb=$(ls "$tmp"/*.deb)
dpkg-deb --fsys-tarfile "$deb" |
	tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './boot/config-*'
mkdir "$tmp/out"
mv "$tmp"/boot/vmlinuz-* "$tmp/out/vmlinuz"
mv "$tmp"/boot/config-* "$tmp/out/config"
echo "$pkg $ver" >"$tmp/out/version"
rm -rf "$dir"
mv "$tmp/out" "$dir"
ln -sfn "${pkg}_$ver" "$cache/kernel/current"
# Older kernels are of no use once the current one is here.
for old in "$cache"/kernel/linux-image-*; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done
say "kernel $pkg $ver in $dir"
