#!/usr/bin/busybox sh
# init.sh - /init of the cgroup v2 test VM: set up a systemd-like host on a
# pure cgroup2 hierarchy, run the test files, report on the second serial
# port, power off.
#
# Runs as pid 1 under busybox sh.  ttyS0 is the kernel console (tests'
# stderr goes there); ttyS1 carries only the report that tests/vm/run.sh
# parses:
#   hako-vm: kernel RELEASE uptime SECONDS
#   hako-vm: cgroup FS-MAGIC [controllers...]
#   hako-vm: disk nullb0 MAJ:MIN (null_blk)   or   hako-vm: no disk: WHY...
#   hako-vm: begin NAME
#   ...the file's stdout (TAP)...
#   hako-vm: end NAME rc=STATUS seconds=N
#   hako-vm: done
# If anything here fails, pid 1 exits, the kernel panics (panic=-1) and
# qemu (-no-reboot) ends; run.sh reports a missing "done" as a failure.
# shellcheck shell=dash
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

# Stage 1: the initramfs root is the "rootfs" mount, which has no parent, so
# pivot_root(2) in a container's mount namespace would fail with EINVAL.
# Re-root on a bind mount of it, as switch_root does with a real root.
if [ "${1:-}" != stage2 ]; then
	mkdir -p /.root
	mount --bind / /.root
	cd /.root || exit 1
	mount --move . /
	exec chroot . /init stage2
fi
# Mounts stay private (the kernel's default, unlike systemd's rshared /), as
# on the machines the tests are written and run on.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
# Where the LSMs publish their policy (apparmor_parser loads through it),
# as systemd mounts it.
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
# As systemd mounts it: delegation boundaries at cgroup namespaces.
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
hostname -F /etc/hostname
ip link set lo up 2>/dev/null

report=/dev/ttyS1
stty -F "$report" raw -echo 2>/dev/null
exec 3>"$report"
say() { echo "hako-vm: $*" >&3; }

say "kernel $(uname -r) uptime $(cut -d' ' -f1 /proc/uptime)"
# The file system magic: busybox stat has no name for cgroup2 (63677270).
say "cgroup $(stat -f -c %t /sys/fs/cgroup) $(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null)"

# Like systemd: every controller enabled below the root, and this shell
# (pid 1) in a leaf of its own, so containers get the usual layout.
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
	echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control
done
mkdir -p /sys/fs/cgroup/init.scope
echo $$ >/sys/fs/cgroup/init.scope/cgroup.procs

# The build's artifacts (HAKO, ROOTFS, PROBE, ...) as build-image.sh placed them.
set -a
. /opt/hako/env
set +a
timeout=$(cat /opt/hako/timeout)

# A disk, as hosts have one, for the io controller's per-device files
# (io.max, io.weight MAJ:MIN).  Every block driver is a module in Debian's
# kernel: run.sh passes those fetch-kernel.sh keeps as MODULES.  null_blk's
# nullb0 stores nothing and takes no memory.
disk() {
	[ -e /sys/block/nullb0/dev ] && return 0
	if [ ! -d "${MODULES:-/nonexistent}/$(uname -r)" ]; then
		echo "the image has no modules for $(uname -r) (tests/vm/fetch-kernel.sh keeps them)"
		return 1
	fi
	[ -e /lib/modules ] || ln -s "$MODULES" /lib/modules
	modprobe null_blk nr_devices=1 2>&1 || return 1
	[ -e /sys/block/nullb0/dev ] || { echo "null_blk made no /sys/block/nullb0"; return 1; }
}
if why=$(disk); then
	say "disk nullb0 $(cat /sys/block/nullb0/dev) (null_blk)"
else
	say "no disk: ${why:-modprobe null_blk failed}; the checks that need one skip"
fi

for t in $(cat /opt/hako/tests/list); do
	name=$(basename "$t" .sh)
	say "begin $name"
	echo "hako-vm: running $name" >/dev/console
	start=$(cut -d. -f1 /proc/uptime)
	# Output to a file, not the tty: a created container's init keeps the
	# test's stdout, and hako must not find a terminal there.
	(cd /tmp && exec timeout -s KILL "$timeout" bash "$t" >/tmp/out 2>/dev/console </dev/null)
	rc=$?
	end=$(cut -d. -f1 /proc/uptime)
	cat /tmp/out >&3
	say "end $name rc=$rc seconds=$((end - start))"
done
say "done"
exec 3>&-
sync
poweroff -f
