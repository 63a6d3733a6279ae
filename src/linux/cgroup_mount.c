/* cgroup_mount.c - mounting the cgroup file systems for the container. */
#include "linux/cgroup_mount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "linux/cgroup_hier.h"
#include "linux/mount.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

static int mount_v2(int dstfd, const char *dest, unsigned long flags, bool own_ns,
		    struct hako_err *err)
{
	char target[64], path[4096], src[4200];

	fd_path(dstfd, target, sizeof(target));
	if (own_ns) {
		if (mount("cgroup2", target, "cgroup2", flags, NULL) < 0)
			return hako_fail(err, errno, "mount", dest, "cannot mount cgroup2 on '%s'",
					 dest);
		return 0;
	}
	/* Without a cgroup namespace a fresh mount would show the host's
	 * whole tree: bind the container's own cgroup instead. */
	struct cgroup_hier unified = { .type = "cgroup2" };
	struct bind_attrs rec = { .rec_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
					     (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) };

	if (cgroup_own_path(&unified, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "/");
	snprintf(src, sizeof(src), CGROUP_ROOT "%s", path);
	return bind_tree(src, dstfd, true, &rec, dest, err);
}

static int mount_hierarchy(int tmpfd, const struct cgroup_hier *h, unsigned long flags,
			   bool own_ns, const char *dest, struct hako_err *err)
{
	_cleanup_close_ int sub = -1;
	char target[64], path[4096], src[4300];
	unsigned long mflags = (flags | MS_NOSUID | MS_NODEV | MS_NOEXEC) & ~MS_REMOUNT;
	const char *name = h->name, *type = h->type, *opts = h->controllers;
	struct bind_attrs rec = { .rec_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
					     (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) };

	if (mkdirat(tmpfd, name, 0755) < 0 && errno != EEXIST)
		return hako_fail(err, errno, "mkdir", name, "cannot create %s/%s", dest, name);
	sub = openat(tmpfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return hako_fail(err, errno, "open", name, "cannot open %s/%s", dest, name);
	fd_path(sub, target, sizeof(target));
	if (own_ns) {
		bool v2 = !strcmp(type, "cgroup2");
		if (mount(type, target, type, mflags, v2 ? NULL : opts) < 0)
			return hako_fail(err, errno, "mount", name, "cannot mount the %s hierarchy "
				"on %s/%s", opts[0] ? opts : type, dest, name);
		return 0;
	}
	if (cgroup_own_path(h, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "/");
	snprintf(src, sizeof(src), CGROUP_ROOT "/%s%s", name, path);
	return bind_tree(src, sub, true, &rec, dest, err);
}

/* The host's symlinks in /sys/fs/cgroup (cpu -> cpu,cpuacct). */
static void copy_symlinks(int tmpfd)
{
	_cleanup_closedir_ DIR *d = opendir(CGROUP_ROOT);
	struct dirent *e;
	char target[256];

	while (d && (e = readdir(d))) {
		if (e->d_type != DT_LNK)
			continue;
		ssize_t n = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (symlinkat(target, tmpfd, e->d_name) < 0 && errno != EEXIST) {
			/* a missing convenience link is not worth failing for */
		}
	}
}

static int mount_v1(int dstfd, const char *dest, unsigned long flags, bool own_ns,
		    struct hako_err *err)
{
	_cleanup_close_ int fs = -1, tmpfd = -1;
	_cleanup_free_ struct cgroup_hier *h = NULL;
	size_t n = 0;
	int r;

	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "mode", "755", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return hako_fail(err, errno, "mount", dest, "cannot create a tmpfs for '%s'", dest);
	tmpfd = fsmount(fs, FSMOUNT_CLOEXEC,
			MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (tmpfd < 0)
		return hako_fail(err, errno, "mount", dest, "cannot create a tmpfs for '%s'", dest);
	if (move_mount(tmpfd, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hako_fail(err, errno, "mount", dest, "cannot mount a tmpfs on '%s'", dest);

	r = cgroup_hierarchies(&h, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!h[i].name[0])
			continue;
		r = mount_hierarchy(tmpfd, &h[i], flags, own_ns, dest, err);
		if (r < 0)
			return r;
	}
	copy_symlinks(tmpfd);
	if (flags & MS_RDONLY)
		return mount_set_attr(tmpfd, "", false, MOUNT_ATTR_RDONLY, 0, dest, err);
	return 0;
}

int cgroupfs_mount(int dstfd, const char *dest, unsigned long flags, bool own_ns,
		   struct hako_err *err)
{
	struct statfs sf;

	if (statfs(CGROUP_ROOT, &sf) < 0)
		return hako_fail(err, errno, "statfs", CGROUP_ROOT,
				 "cannot tell the host's cgroup layout");
	if (sf.f_type == CGROUP2_SUPER_MAGIC)
		return mount_v2(dstfd, dest, flags, own_ns, err);
	return mount_v1(dstfd, dest, flags, own_ns, err);
}
