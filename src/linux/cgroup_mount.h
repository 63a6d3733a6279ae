/* cgroup_mount.h - /sys/fs/cgroup inside the container.
 *
 * cgroup v2: a cgroup2 mount (with a cgroup namespace) or a bind of the
 * container's own cgroup (without).  cgroup v1 and hybrid: a tmpfs holding
 * one mount per host hierarchy, each rooted at the container's cgroup, plus
 * the host's symlinks for co-mounted controllers (cpu -> cpu,cpuacct). */
#ifndef HAKO_LINUX_CGROUP_MOUNT_H
#define HAKO_LINUX_CGROUP_MOUNT_H

#include <stdbool.h>

#include "util/err.h"

/* `dstfd`: O_PATH fd of the mount point; `flags`: MS_* of the config mount
 * (MS_RDONLY makes every part read-only).  Runs in the init before
 * pivot_root, after it joined its cgroups and cgroup namespace. */
int cgroupfs_mount(int dstfd, const char *dest, unsigned long flags, bool own_ns,
		   struct hako_err *err);

#endif
