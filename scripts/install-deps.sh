#!/bin/sh
# install-deps.sh - the Debian 12 packages hako needs to build and test.
#
#   build:  gcc, meson, ninja, pkg-config, libseccomp-dev, libyajl-dev
#   tests:  busybox-static (the rootfs), jq (config edits), iproute2,
#           libc6-dev (static probe), runc and crun (side by side in tests
#           and benchmarks), hyperfine and GNU time (benchmarks),
#           qemu-system-x86 and Debian's kernel (downloaded, not installed) for the cgroup v2 VM,
#           apparmor (apparmor_parser: test profiles in that VM, whose kernel enables AppArmor),
#           strace (check.sh sees that hako opens an image's FIFO only with O_PATH)
set -eu
if [ "$(id -u)" != 0 ]; then
	echo "install-deps.sh: run as root (apt-get)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
packages="gcc make meson ninja-build pkg-config libc6-dev libseccomp-dev libyajl-dev \
busybox-static jq iproute2 procps runc crun hyperfine time qemu-system-x86 apparmor strace"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
# The VM's kernel, cached outside the tree (tests/vm/fetch-kernel.sh).
"$(dirname "$0")/../tests/vm/fetch-kernel.sh" ||
	echo "install-deps.sh: no kernel for the VM tests (suite vm), which will skip" >&2
