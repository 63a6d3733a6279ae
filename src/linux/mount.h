/* mount.h - config.json mounts: option parsing, safe destinations, and
 * mounting.
 *
 * Destinations are resolved inside the rootfs with openat2(RESOLVE_IN_ROOT):
 * a symlink in the image ("/etc -> /host/etc", "../../..") resolves as if
 * the rootfs were "/", so no mount can land on the host.  Mounts are made
 * on the resolved fd (via /proc/self/fd) or attached with move_mount(2),
 * never on a path string that could be swapped in between.
 */
#ifndef HAKO_LINUX_MOUNT_H
#define HAKO_LINUX_MOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

/* MOUNT_ATTR_RELATIME is 0, so "set relatime" cannot be told from "set
 * nothing" by the bits alone: this private bit in a set mask says the
 * atime mode is being set (mount_set_attr clears it before the syscall). */
#define HAKO_ATTR_ATIME_MODE (1ULL << 63)

struct mount_opts {
	unsigned long flags;       /* MS_* to set */
	unsigned long clear;       /* MS_* the options turn off (rw, suid, dev, exec, ...) */
	unsigned long propagation; /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE, with MS_REC */
	uint64_t rec_set, rec_clr; /* MOUNT_ATTR_* from recursive options (rro, rnosuid...) */
	bool bind, rbind;
	bool idmap, ridmap;
	bool tmpcopyup;
	/* options the file system reads, comma-separated: mount(2) copies one
	 * page of them and drops the rest without a word, so a longer list is
	 * an error (data_too_long) rather than a silent cut */
	char data[4096];
	bool data_too_long;
};

/* Unknown options become file-system data, as runtime-spec says. */
void mount_opts_parse(const struct strv *options, struct mount_opts *out);

/* Open `path` (absolute, as seen in the container) below rootfd without
 * leaving it; with `create`, missing directories are made (the last
 * component as a file when `as_file`).  Returns an O_PATH fd. */
int path_open_in_root(int rootfd, const char *path, bool create, bool as_file,
		      struct hako_err *err);

/* What a mount needs to know about the container. */
struct mount_ctx {
	int rootfd;    /* O_PATH fd of the rootfs */
	const char *rootfs; /* its path, where it is bind-mounted on itself */
	bool cgroupns; /* the container has its own cgroup namespace */
	bool userns;   /* the container has its own user namespace */
};

/* Mount one config.json mount (index i) inside the rootfs. */
int mount_one(const struct mount_ctx *ctx, const struct spec_mount *m, size_t i,
	      struct hako_err *err);

/* "/proc/self/fd/N" for a mount(2) target. */
void fd_path(int fd, char *buf, size_t size);

/* Mount flags for bind_tree(): on the top mount, and on every mount below. */
struct bind_attrs {
	uint64_t set, clr;         /* MOUNT_ATTR_* of the top mount */
	uint64_t rec_set, rec_clr; /* MOUNT_ATTR_* of the whole tree */
};

/* Bind `src` (a host path) on the mount point `dstfd`: the tree is cloned
 * detached (open_tree), its flags set while nobody can see it, then
 * attached with move_mount - no window where it is mounted writable, and
 * no second lookup of a path.  `what` names the destination in errors. */
int bind_tree(const char *src, int dstfd, bool recursive, const struct bind_attrs *a,
	      const char *what, struct hako_err *err);

/* mount_setattr(2) of a path or fd (AT_EMPTY_PATH when path is ""). */
int mount_set_attr(int dirfd, const char *path, bool recursive, uint64_t set, uint64_t clr,
		   const char *what, struct hako_err *err);

#endif
