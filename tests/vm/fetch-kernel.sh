#!/bin/sh
# fetch-kernel.sh [CACHE] - Debian's kernel for the cgroup v2 VM tests.
#
# Downloads the package linux-image-amd64 points to (apt-get download, no
# install: the host's boot setup stays untouched) and keeps only
# boot/vmlinuz, boot/config and a few modules from it, in
# CACHE/kernel/<package>_<version>/, with CACHE/kernel/current pointing
# there.  Nothing is fetched when the candidate version is cached already
# (a cache from before the modules were kept is completed from the same
# package).  The VM boots without modules (serial console, initramfs,
# cgroup2 and namespaces are built in); the ones kept give it a disk, as
# every block driver is a module in Debian's kernel:
#   null_blk  a disk that stores nothing (nullb0), for the io controller's
#             per-device files: io.max, io.weight MAJ:MIN (init.sh loads it)
#   bfq       the BFQ scheduler, whose io.bfq.weight takes blockIO weights
#             as they are (tests/integration/cgroups_v2.sh loads it)
# with what they depend on, uncompressed, under modules/<release>/ as in
# /lib/modules, with a modules.dep, so that busybox modprobe loads them.
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

vm_modules="null_blk bfq"

# module_path NAME: the first of the paths on stdin that holds module NAME
# (file names may spell its '_' as '-').
module_path() {
	awk -v m="$1" '{ n = $0; sub(/.*\//, "", n); sub(/\.ko.*$/, "", n); gsub(/-/, "_", n) }
		n == m { print; exit }'
}
# The modules a module needs, from its .modinfo ("depends=a,b").
depends_of() { tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr , ' '; }

# extract_modules DEB DEST: $vm_modules and what they depend on, from DEB
# into DEST/<release>/ (the package's paths), uncompressed (the kernel has
# no CONFIG_MODULE_DECOMPRESS), with a modules.dep listing all that each
# module needs, the first to load last, as depmod writes it.  A module the
# package lacks is said and left out.
extract_modules() {
	_deb=$1 _dest=$2 _x=$(mktemp -d "$tmp/modules.XXXXXX")
	_all=$(dpkg-deb --fsys-tarfile "$_deb" | tar -t | grep -E '^\./lib/modules/[^/]+/kernel/.*\.ko(\.xz|\.zst)?$' || true)
	_want=$vm_modules _have=""
	# One pass over the package per level of dependencies.
	while [ -n "$_want" ]; do
		_paths=""
		for m in $_want; do
			p=$(printf '%s\n' "$_all" | module_path "$m")
			if [ -z "$p" ]; then
				say "the package has no module $m (built in, or gone): left out"
				continue
			fi
			_paths="$_paths $p"
			_have="$_have $m"
		done
		[ -n "$_paths" ] || break
		# shellcheck disable=SC2086
		dpkg-deb --fsys-tarfile "$_deb" | tar -x -C "$_x" $_paths
		_want=""
		for p in $_paths; do
			case $p in
			*.xz) xz -d "$_x/$p" ;;
			*.zst) zstd -q -d --rm "$_x/$p" ;;
			esac
			for d in $(depends_of "$_x/${p%.ko*}.ko"); do
				case " $_have $_want " in *" $d "*) ;; *) _want="$_want $d" ;; esac
			done
		done
	done
	mkdir -p "$_dest"
	[ -d "$_x/lib/modules" ] && cp -a "$_x"/lib/modules/. "$_dest/"
	for r in "$_dest"/*/; do
		[ -d "$r" ] || continue
		(cd "$r" && find kernel -name '*.ko' | sort | while read -r f; do
			printf '%s:%s\n' "$f" "$(deps_closure "$f" | awk '{ a[NR] = $0 } END { for (i = NR; i > 0; i--) printf " %s", a[i] }')"
		done >modules.dep)
		say "modules for $(basename "$r"): $(cd "$r" && find kernel -name '*.ko' -exec basename {} .ko \; | sort | xargs)"
	done
	rm -rf "$_x"
}

# deps_closure MODULE.ko (in a release directory): the paths of every module
# it needs, each after those it needs itself (the order to load them in).
deps_closure() {
	for d in $(depends_of "$1"); do
		f=$(find kernel -name '*.ko' | module_path "$d")
		[ -n "$f" ] || continue
		deps_closure "$f"
		echo "$f"
	done | awk '!seen[$0]++'
}

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
	[ -d "$dir/modules" ] && exit 0
	say "$dir has no modules: fetching $pkg $ver again for them"
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
# (Offline, apt-get update fails as well; what is cached is kept below.)
if ! download && [ "$(id -u)" = 0 ]; then
	apt-get update -q >&2 || true
	pkg=$(image_package)
	ver=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')
	dir="$cache/kernel/${pkg}_$ver"
	download || true
fi
if ! ls "$tmp"/*.deb >/dev/null 2>&1; then
	if [ -s "$cache/kernel/current/vmlinuz" ]; then
		say "cannot download $pkg $ver; keeping $(cat "$cache/kernel/current/version")"
		[ -d "$cache/kernel/current/modules" ] ||
			say "...without modules: the VM will have no disk (its io.max checks skip)"
		exit 0
	fi
	say "cannot download $pkg $ver"
	exit 1
fi
deb=$(ls "$tmp"/*.deb)
# Only the modules were missing: they join the cached kernel, which stays in
# place (another run may be booting it).  mv -T fails on a modules directory
# a concurrent fetch put there first, which is as good.
if [ -s "$dir/vmlinuz" ]; then
	extract_modules "$deb" "$tmp/modules"
	mv -T "$tmp/modules" "$dir/modules" 2>/dev/null || true
	exit 0
fi
dpkg-deb --fsys-tarfile "$deb" |
	tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './boot/config-*'
mkdir "$tmp/out"
extract_modules "$deb" "$tmp/out/modules"
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
