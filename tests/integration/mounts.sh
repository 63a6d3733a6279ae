#!/bin/bash
# mounts.sh - mounts[]: bind and rbind with their options, recursive
# options, file system types, propagation, destinations resolved inside the
# rootfs (symlinks cannot lead out), and refusals.
. "$(dirname "$0")/lib.sh"

# "OPTIONS FSTYPE" of the mount at $1 in mountinfo text $2 (the last one).
minfo() { awk -v mp="$1" '$5 == mp { for (i = 7; $i != "-"; i++) ; print $6, $(i + 1) }' <<<"$2" | tail -1; }
propagation() { awk -v mp="$1" '$5 == mp { s = ""; for (i = 7; $i != "-"; i++) s = s $i " "; print s }' <<<"$2" | tail -1; }
# NAME MOUNTPOINT OPTIONS MOUNTINFO: the mount has each of the options
has_opts() {
	local o all=",$(minfo "$2" "$4" | cut -d' ' -f1),"
	for o in $3; do
		[[ "$all" == *",$o,"* ]] || { is "$1" "$all" "has $3"; return; }
	done
	is "$1" ok ok
}
field() { sed -n "s/^$1 //p" <<<"$2" | head -1; }

# Host side: a source tree with a submount, and a shared mount.
src=$WORK/src
mkdir -p "$src/sub" "$WORK/shared"
echo hello >"$src/file"
printf '#!/bin/sh\necho ran\n' >"$src/script"
chmod 755 "$src/script"
mount -t tmpfs hako-sub "$src/sub"
echo in-sub >"$src/sub/x"
mount -t tmpfs hako-shared "$WORK/shared"
mount --make-shared "$WORK/shared"
mkdir -p "$WORK/shared/from-host" "$WORK/shared/from-container"
host_umount() {
	umount -R "$WORK/shared" 2>/dev/null
	umount "$src/sub" 2>/dev/null
}
trap 'host_umount; _cleanup' EXIT

# ---- bind, rbind, options -----------------------------------------------------------------
b=$(bundle bind -- sh -c 'cat /proc/self/mountinfo; echo "sub-bind [$(ls /b/sub)]"; echo "sub-rbind [$(ls /rb/sub)]";
	echo "file $(cat /f)"; echo "exec $(/b/script 2>&1)"; echo "exec-rb $(/rb/script 2>&1)";
	echo "write-b $(touch /b/new 2>&1)"; echo "write-f $(echo x 2>&1 >/f)";
	echo "write-rbsub $(touch /rb/sub/new 2>&1 && echo ok)"; echo "write-rrosub $(touch /rro/sub/new 2>&1)";
	echo "tmpfs $(stat -c %a /t) $(df -k /t | tail -1 | awk "{print \$2}")"; echo "nested $(ls -d /a/b/c)";
	echo "relative $(grep -c " /rel/dir " /proc/self/mountinfo)"')
cfg "$b" ".mounts += [
	{destination: \"/b\", type: \"bind\", source: \"$src\", options: [\"bind\", \"ro\", \"nosuid\", \"nodev\", \"noexec\"]},
	{destination: \"/rb\", type: \"none\", source: \"$src\", options: [\"rbind\", \"rw\", \"noatime\"]},
	{destination: \"/rro\", source: \"$src\", options: [\"rbind\", \"rro\"]},
	{destination: \"/rnoa\", source: \"$src\", options: [\"rbind\", \"rnoatime\"]},
	{destination: \"/rrel\", source: \"$src\", options: [\"rbind\", \"noatime\", \"rrelatime\"]},
	{destination: \"/f\", source: \"$src/file\", options: [\"bind\", \"ro\"]},
	{destination: \"/t\", type: \"tmpfs\", source: \"tmpfs\", options: [\"size=1m\", \"mode=700\", \"nosuid\", \"nodiratime\"]},
	{destination: \"/a/b/c\", type: \"tmpfs\", source: \"tmpfs\"},
	{destination: \"rel/dir\", type: \"tmpfs\", source: \"tmpfs\"},
	{destination: \"/proc2\", type: \"proc\", source: \"proc\", options: [\"nosuid\", \"noexec\"]}]"
out=$(hk run --bundle "$b" "$(cid bind)" 2>&1)
for o in ro nosuid nodev noexec; do
	has_opts "bind option $o" /b "$o" "$out"
done
is "bind: no submounts" "$(field sub-bind "$out")" "[]"
is "rbind: submounts come along" "$(field sub-rbind "$out")" "[x]"
is "rbind: the submount is mounted" "$(minfo /rb/sub "$out" | cut -d' ' -f2)" tmpfs
has_opts "rbind option noatime" /rb noatime "$out"
contains "ro: writes fail" "$(field write-b "$out")" "Read-only file system"
contains "noexec: programs do not run" "$(field exec "$out")" "Permission denied"
is "no noexec: programs run" "$(field exec-rb "$out")" ran
is "a file bind mount" "$(field file "$out")" hello
contains "a read-only file bind mount" "$(field write-f "$out")" "Read-only file system"
is "rw rbind: the submount is writable" "$(field write-rbsub "$out")" ok
contains "rro: the submount is read-only too" "$(field write-rrosub "$out")" "Read-only file system"
has_opts "rnoatime: the submount is noatime too" /rnoa/sub noatime "$out"
has_opts "rrelatime replaces noatime on the top mount" /rrel relatime "$out"
has_opts "rrelatime: the submount is relatime" /rrel/sub relatime "$out"
is "tmpfs: mode and size" "$(field tmpfs "$out")" "700 1024"
has_opts "tmpfs: nosuid, nodiratime" /t "nosuid nodiratime" "$out"
is "missing parents of a destination are made" "$(field nested "$out")" /a/b/c
is "a relative destination is relative to /" "$(field relative "$out")" 1
is "a second proc mount" "$(minfo /proc2 "$out" | cut -d' ' -f2)" proc

# tmpcopyup: the tmpfs starts with the image's files (podman's default for tmpfs volumes)
b=$(bundle copyup -- sh -c 'echo "passwd $(grep -c ^user: /etc/passwd)"; echo "fs $(grep " /etc " /proc/self/mountinfo | cut -d" " -f9)";
	echo "link $(readlink /etc/hako-link)"; echo "mode $(stat -c %a /etc/hako-dir)";
	echo new >/etc/hako-new && echo "write ok"; echo "ro-write $(touch /opt/x 2>&1)"; echo "ro-files $(ls /opt)"')
mkdir -p "$b/rootfs/etc/hako-dir" "$b/rootfs/opt" && chmod 710 "$b/rootfs/etc/hako-dir"
ln -s /etc/passwd "$b/rootfs/etc/hako-link"
touch "$b/rootfs/opt/kept"
cfg "$b" '.root.readonly = true | .mounts += [
	{destination: "/etc", type: "tmpfs", source: "tmpfs", options: ["tmpcopyup", "mode=755"]},
	{destination: "/opt", type: "tmpfs", source: "tmpfs", options: ["tmpcopyup", "ro"]}]'
out=$(hk run --bundle "$b" "$(cid copyup)" 2>&1)
is "tmpcopyup: the image's files are in the tmpfs" "$(field passwd "$out")" 1
is "tmpcopyup: /etc is a tmpfs" "$(field fs "$out")" tmpfs
is "tmpcopyup: symlinks are copied, not followed" "$(field link "$out")" /etc/passwd
is "tmpcopyup: modes are kept" "$(field mode "$out")" 710
is "tmpcopyup: the copy is writable over a read-only root" "$(field write "$out")" ok
contains "tmpcopyup with ro: filled, then read-only" "$(field ro-write "$out")" "Read-only file system"
is "tmpcopyup with ro: the files are there" "$(field ro-files "$out")" kept
[ -e "$b/rootfs/etc/hako-new" ]
is "tmpcopyup: writes stay in the tmpfs, not the image" "$?" 1

# the default file systems and their options
b=$(bundle fs -- cat /proc/self/mountinfo)
out=$(hk run --bundle "$b" "$(cid fs)" 2>&1)
is "proc on /proc" "$(minfo /proc "$out" | cut -d' ' -f2)" proc
is "sysfs on /sys, read-only" "$(minfo /sys "$out" | cut -d' ' -f2)" sysfs
has_opts "sysfs is ro" /sys ro "$out"
is "devpts on /dev/pts" "$(minfo /dev/pts "$out" | cut -d' ' -f2)" devpts
contains "devpts: a new instance with its own ptmx" "$(awk '$5 == "/dev/pts"' <<<"$out")" "ptmxmode=666"
is "mqueue on /dev/mqueue" "$(minfo /dev/mqueue "$out" | cut -d' ' -f2)" mqueue
contains "tmpfs on /dev/shm with its size" "$(awk '$5 == "/dev/shm"' <<<"$out")" "size=65536k"
contains "cgroup file system on /sys/fs/cgroup" "$(awk '$5 ~ "^/sys/fs/cgroup"' <<<"$out")" "cgroup"

# ---- propagation -------------------------------------------------------------------------
# The default (rootfsPropagation rslave): host mounts reach the container,
# the container's mounts never reach the host.
b=$(bundle slave -- sh -c 'mount -t tmpfs from-container /plain/from-container && echo mounted && exec /usr/bin/hako-probe sleep 300')
cfg "$b" "del(.linux.seccomp) | .process.capabilities |= with_entries(.value += [\"CAP_SYS_ADMIN\"])
	| .mounts += [{destination: \"/plain\", type: \"bind\", source: \"$WORK/shared\", options: [\"rbind\"]}]"
id=$(cid slave)
if hk run -d --bundle "$b" "$id" >"$WORK/slave.out" 2>&1; then
	pid=$(hk state "$id" | jq -r .pid)
	for _ in $(seq 50); do grep -q mounted "$WORK/slave.out" && break; sleep 0.1; done
	contains "default propagation: the container mounted below a host bind" "$(cat "$WORK/slave.out")" mounted
	is "default propagation: the container's mount does not reach the host" \
		"$(grep -c " $WORK/shared/from-container " /proc/self/mountinfo)" 0
	mount -t tmpfs from-host "$WORK/shared/from-host"
	is "default propagation: a host mount reaches the container" \
		"$(grep -c " /plain/from-host " "/proc/$pid/mountinfo")" 1
	umount "$WORK/shared/from-host"
	ok "delete the default propagation container" hk delete --force "$id"
else
	is "create the default propagation container" "$(cat "$WORK/slave.out")" ""
fi

# rootfsPropagation rshared and per-mount propagation options
b=$(bundle prop -- sh -c 'mount -t tmpfs from-container /peer/from-container && echo mounted && exec /usr/bin/hako-probe sleep 300')
cfg "$b" "del(.linux.seccomp) | .process.capabilities |= with_entries(.value += [\"CAP_SYS_ADMIN\"])
	| .linux.rootfsPropagation = \"rshared\"
	| .mounts += [
	{destination: \"/slave\", type: \"bind\", source: \"$WORK/shared\", options: [\"rbind\", \"rslave\"]},
	{destination: \"/private\", type: \"bind\", source: \"$WORK/shared\", options: [\"rbind\", \"rprivate\"]},
	{destination: \"/peer\", type: \"bind\", source: \"$WORK/shared\", options: [\"rbind\", \"rshared\"]},
	{destination: \"/own-shared\", type: \"tmpfs\", source: \"tmpfs\", options: [\"shared\"]},
	{destination: \"/unbindable\", type: \"tmpfs\", source: \"tmpfs\", options: [\"unbindable\"]}]"
id=$(cid prop)
if hk run -d --bundle "$b" "$id" >"$WORK/prop.out" 2>&1; then
	pid=$(hk state "$id" | jq -r .pid)
	for _ in $(seq 50); do grep -q mounted "$WORK/prop.out" && break; sleep 0.1; done
	is "rshared: a mount made in the container reaches the host" \
		"$(grep -c " $WORK/shared/from-container " /proc/self/mountinfo)" 1
	mount -t tmpfs from-host "$WORK/shared/from-host"
	mi=$(cat "/proc/$pid/mountinfo")
	is "rslave: a host mount reaches the container" "$(grep -c " /slave/from-host " <<<"$mi")" 1
	is "rshared: a host mount reaches the container" "$(grep -c " /peer/from-host " <<<"$mi")" 1
	is "rprivate: a host mount does not" "$(grep -c " /private/from-host " <<<"$mi")" 0
	contains "rslave: the mount is a slave" "$(propagation /slave "$mi")" "master:"
	contains "rshared: the mount is shared" "$(propagation /peer "$mi")" "shared:"
	contains "shared: a container mount stays shared after pivot_root" "$(propagation /own-shared "$mi")" "shared:"
	contains "unbindable" "$(propagation /unbindable "$mi")" "unbindable"
	ok "delete the propagation container" hk delete --force "$id"
else
	is "create the propagation container" "$(cat "$WORK/prop.out")" ""
fi
host_umount

# ---- destinations are resolved inside the rootfs ----------------------------------------
tag="hako-$TEST_NAME-$$"
b=$(bundle escape -- sh -c 'awk "{ print \$5 }" /proc/self/mountinfo; echo "group $(head -1 /etc/group)"')
ln -s ../../../../../../../../tmp "$b/rootfs/escape"
ln -s /tmp "$b/rootfs/abs"
ln -s /etc/group "$b/rootfs/filelink"
group_sum=$(md5sum </etc/group)
cfg "$b" ".mounts += [
	{destination: \"/escape/$tag-rel\", type: \"tmpfs\", source: \"tmpfs\"},
	{destination: \"/abs/$tag-abs\", type: \"tmpfs\", source: \"tmpfs\"},
	{destination: \"/filelink\", source: \"$src/file\", options: [\"bind\"]}]"
out=$(hk run --bundle "$b" "$(cid escape)" 2>&1)
contains "a relative symlink out of the rootfs ends inside it" "$out" "/tmp/$tag-rel"
contains "an absolute symlink resolves against the rootfs" "$out" "/tmp/$tag-abs"
is "... and the mount points were made in the rootfs" "$(ls "$b/rootfs/tmp" | grep -c "$tag")" 2
is "nothing was made on the host's /tmp" "$(ls /tmp | grep -c "$tag")" 0
is "a file bind mount through a symlink lands on the rootfs file" "$(field group "$out")" hello
is "the host's file is untouched" "$(md5sum </etc/group)" "$group_sum"
ln -s /no/such/dir "$b/rootfs/dangling"
cfg "$b" '.mounts += [{destination: "/dangling/m", type: "tmpfs", source: "tmpfs"}]'
fails_with "a symlink to a missing directory is refused" "cannot open '/dangling' inside the container's root" \
	hk run --bundle "$b" "$(cid dangling)"
is "... and nothing was made on the host" "$(ls -d /no/such/dir 2>/dev/null)" ""

# An image that moves /proc between mount time and pivot_root: procfs would
# be mounted at /x/E while "/proc" later means /E, so masks and read-only
# paths would miss it and the host's /proc/sys would be writable
# (runc CVE-2019-19921, CVE-2023-27561).
b=$(bundle procredir -- sh -c 'ls /proc; : >>/x/E/sys/kernel/core_pattern && echo WROTE')
rm -r "$b/rootfs/proc"
ln -s /dev/shm/../../E "$b/rootfs/proc"
ln -s /x/y/z "$b/rootfs/dev/shm"
mkdir -p "$b/rootfs/x/y/z" "$b/rootfs/x/E" "$b/rootfs/E"
fails_with "a proc mount through an image symlink is refused" \
	"the proc mount on '/proc' would pass through a symbolic link of the rootfs" \
	hk run --bundle "$b" "$(cid procredir)"
rm "$b/rootfs/proc" "$b/rootfs/dev/shm"
mkdir "$b/rootfs/proc"
ln -s /sys "$b/rootfs/sysl"
cfg "$b" '(.mounts[] | select(.type == "sysfs")).destination = "/sysl"'
fails_with "a sysfs mount through an image symlink is refused" \
	"the sysfs mount on '/sysl' would pass through a symbolic link of the rootfs" \
	hk run --bundle "$b" "$(cid sysredir)"

# ... and an image symlink may not bring another mount onto /proc or /sys
# (over /proc/sys it would hide what readonlyPaths protects)
b=$(bundle intoproc -- true)
ln -s /proc/sys "$b/rootfs/data"
cfg "$b" '.mounts += [{destination: "/data", type: "tmpfs", source: "tmpfs"}]'
fails_with "a mount redirected into /proc by an image symlink is refused" \
	"the mount on '/data' resolves to '/proc/sys' through a symbolic link of the rootfs" \
	hk run --bundle "$b" "$(cid intoproc)"
b=$(bundle intoproc2 -- sh -c 'grep -q " /proc/sys/fs/mqueue .* - tmpfs " /proc/self/mountinfo && echo mounted')
cfg "$b" '.mounts += [{destination: "/proc/sys/fs/mqueue", type: "tmpfs", source: "tmpfs"}]'
is "a mount the config itself puts under /proc is its business" "$(hk run --bundle "$b" "$(cid intoproc2)" 2>&1)" mounted

# ---- refusals ------------------------------------------------------------------------------
b=$(bundle bad -- true)
id=$(cid bad)
n=$(jq '.mounts | length' "$b/config.json")
cfg "$b" '.mounts += [{destination: "/x", type: "bind", source: "/no/such/source", options: ["bind"]}]'
fails_with "a missing bind source is refused" "cannot bind-mount '/no/such/source' on '/x'" hk run --bundle "$b" "$id"
contains "... naming the mount" "$(hk run --bundle "$b" "$id" 2>&1)" "mounts[$n]"
cfg "$b" ".mounts[$n] = {destination: \"/x\", type: \"no-such-fs\", source: \"x\"}"
fails_with "an unknown file system type is refused" "cannot mount no-such-fs on '/x'" hk run --bundle "$b" "$id"
contains "... with a hint" "$(hk run --bundle "$b" "$id" 2>&1)" "hint: the kernel does not know this file system type"
cfg "$b" ".mounts[$n] = {destination: \"/x\", type: \"tmpfs\", source: \"tmpfs\", options: [\"size=nonsense\"]}"
fails_with "bad file system data is refused" "cannot mount tmpfs on '/x'" hk run --bundle "$b" "$id"
long=$(printf 'x%.0s' $(seq 2100))
cfg "$b" ".mounts[$n] = {destination: \"/x\", type: \"tmpfs\", source: \"tmpfs\", options: [\"nr_inodes=1$long\", \"mode=$long\"]}"
fails_with "file-system data beyond the page mount(2) reads is refused, not cut" \
	"are longer than the 4095 bytes mount(2) takes: Argument list too long (E2BIG) [config: mounts[$n].options]" hk run --bundle "$b" "$id"
is "refused creates left no state" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0
is "refused creates left no cgroup" "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$id" | wc -l)" 0

host_umount
done_testing
