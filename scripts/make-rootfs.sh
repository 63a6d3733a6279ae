#!/bin/sh
# make-rootfs.sh DIR [PROBE] - a busybox root file system for containers.
#
# Debian's busybox-static provides every command; PROBE (the tests' static
# hako-probe) is copied to /usr/bin when given.  Creates root and an
# ordinary user "user" (1000:1000), /tmp, and nothing else.
set -eu
dir=${1:?usage: make-rootfs.sh DIR [PROBE]}
probe=${2:-}
busybox=/bin/busybox
# A dynamic busybox (its ELF interpreter path sits in the first page) would
# need the host's libc inside the rootfs.
if [ ! -x "$busybox" ] || head -c 4096 "$busybox" | grep -qa '/ld-linux'; then
	echo "make-rootfs.sh: a static /bin/busybox is needed (apt-get install busybox-static)" >&2
	exit 1
fi
mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/etc" "$dir/tmp" \
	"$dir/root" "$dir/home/user" "$dir/proc" "$dir/sys" "$dir/dev"
chmod 1777 "$dir/tmp"
cp "$busybox" "$dir/bin/busybox"
for cmd in $("$dir/bin/busybox" --list); do
	[ -e "$dir/bin/$cmd" ] || ln -s busybox "$dir/bin/$cmd"
done
cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$dir/etc/group" <<'GROUP'
root:x:0:
user:x:1000:
nogroup:x:65534:
GROUP
chown 1000:1000 "$dir/home/user"
if [ -n "$probe" ]; then
	cp "$probe" "$dir/usr/bin/hako-probe"
	chmod 755 "$dir/usr/bin/hako-probe"
fi
