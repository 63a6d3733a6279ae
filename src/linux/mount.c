/* mount.c - mounts[] of config.json, inside the rootfs. */
#include "linux/mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/cgroup_mount.h"
#include "linux/copy_tree.h"
#include "spec/names.h"
#include "util/cleanup.h"

enum opt_kind { OPT_SET, OPT_CLEAR, OPT_PROPAGATION, OPT_REC_SET, OPT_REC_CLEAR, OPT_SPECIAL };

struct opt_row {
	const char *name;
	enum opt_kind kind;
	unsigned long value; /* MS_* or MOUNT_ATTR_* */
};

/* runtime-spec config.md "Mounts": the MUST and SHOULD option names.
 * Recursive r* options (Linux 5.12, mount_setattr) act on submounts too. */
static const struct opt_row opt_table[] = {
	{ "async", OPT_CLEAR, MS_SYNCHRONOUS },
	{ "atime", OPT_CLEAR, MS_NOATIME },
	{ "bind", OPT_SPECIAL, 0 },
	{ "defaults", OPT_SET, 0 },
	{ "dev", OPT_CLEAR, MS_NODEV },
	{ "diratime", OPT_CLEAR, MS_NODIRATIME },
	{ "dirsync", OPT_SET, MS_DIRSYNC },
	{ "exec", OPT_CLEAR, MS_NOEXEC },
	{ "iversion", OPT_SET, MS_I_VERSION },
	{ "lazytime", OPT_SET, MS_LAZYTIME },
	{ "loud", OPT_CLEAR, MS_SILENT },
	{ "mand", OPT_SET, MS_MANDLOCK },
	{ "noatime", OPT_SET, MS_NOATIME },
	{ "nodev", OPT_SET, MS_NODEV },
	{ "nodiratime", OPT_SET, MS_NODIRATIME },
	{ "noexec", OPT_SET, MS_NOEXEC },
	{ "noiversion", OPT_CLEAR, MS_I_VERSION },
	{ "nolazytime", OPT_CLEAR, MS_LAZYTIME },
	{ "nomand", OPT_CLEAR, MS_MANDLOCK },
	{ "norelatime", OPT_CLEAR, MS_RELATIME },
	{ "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
	{ "nosuid", OPT_SET, MS_NOSUID },
	{ "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
	{ "private", OPT_PROPAGATION, MS_PRIVATE },
	{ "rbind", OPT_SPECIAL, 0 },
	{ "relatime", OPT_SET, MS_RELATIME },
	{ "remount", OPT_SET, MS_REMOUNT },
	{ "ro", OPT_SET, MS_RDONLY },
	{ "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
	{ "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
	{ "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
	{ "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },
	{ "rw", OPT_CLEAR, MS_RDONLY },
	{ "shared", OPT_PROPAGATION, MS_SHARED },
	{ "silent", OPT_SET, MS_SILENT },
	{ "slave", OPT_PROPAGATION, MS_SLAVE },
	{ "strictatime", OPT_SET, MS_STRICTATIME },
	{ "suid", OPT_CLEAR, MS_NOSUID },
	{ "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
	{ "sync", OPT_SET, MS_SYNCHRONOUS },
	{ "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
	{ "rro", OPT_REC_SET, MOUNT_ATTR_RDONLY },
	{ "rrw", OPT_REC_CLEAR, MOUNT_ATTR_RDONLY },
	{ "rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID },
	{ "rsuid", OPT_REC_CLEAR, MOUNT_ATTR_NOSUID },
	{ "rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV },
	{ "rdev", OPT_REC_CLEAR, MOUNT_ATTR_NODEV },
	{ "rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC },
	{ "rexec", OPT_REC_CLEAR, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", OPT_REC_CLEAR, MOUNT_ATTR_NODIRATIME },
	{ "rnoatime", OPT_REC_SET, MOUNT_ATTR_NOATIME },
	{ "ratime", OPT_REC_CLEAR, MOUNT_ATTR_NOATIME },
	{ "rrelatime", OPT_REC_SET, MOUNT_ATTR_RELATIME | HAKO_ATTR_ATIME_MODE },
	{ "rnorelatime", OPT_REC_CLEAR, MOUNT_ATTR_RELATIME },
	{ "rstrictatime", OPT_REC_SET, MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", OPT_REC_CLEAR, MOUNT_ATTR_STRICTATIME },
	{ "rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rsymfollow", OPT_REC_CLEAR, MOUNT_ATTR_NOSYMFOLLOW },
	{ "tmpcopyup", OPT_SPECIAL, 0 },
	{ "idmap", OPT_SPECIAL, 0 },
	{ "ridmap", OPT_SPECIAL, 0 },
};

static void add_data(struct mount_opts *o, const char *opt)
{
	size_t len = strlen(o->data);
	int n = snprintf(o->data + len, sizeof(o->data) - len, "%s%s", len ? "," : "", opt);

	if (n < 0 || (size_t)n >= sizeof(o->data) - len) {
		o->data[len] = '\0';
		o->data_too_long = true;
	}
}

void mount_opts_parse(const struct strv *options, struct mount_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < options->n; i++) {
		const char *name = options->v[i];
		const struct opt_row *row = NULL;

		for (size_t k = 0; k < ARRAY_SIZE(opt_table); k++)
			if (!strcmp(opt_table[k].name, name)) {
				row = &opt_table[k];
				break;
			}
		if (!row) {
			add_data(o, name);
			continue;
		}
		switch (row->kind) {
		case OPT_SET:
			o->flags |= row->value;
			o->clear &= ~row->value;
			break;
		case OPT_CLEAR:
			o->flags &= ~row->value;
			o->clear |= row->value;
			break;
		case OPT_PROPAGATION:
			o->propagation = row->value;
			break;
		case OPT_REC_SET:
			o->rec_set |= row->value;
			o->rec_clr &= ~row->value;
			break;
		case OPT_REC_CLEAR:
			o->rec_clr |= row->value;
			o->rec_set &= ~row->value;
			break;
		case OPT_SPECIAL:
			if (!strcmp(name, "bind"))
				o->bind = true;
			else if (!strcmp(name, "rbind"))
				o->bind = o->rbind = true;
			else if (!strcmp(name, "tmpcopyup"))
				o->tmpcopyup = true;
			else if (!strcmp(name, "idmap"))
				o->idmap = true;
			else if (!strcmp(name, "ridmap"))
				o->idmap = o->ridmap = true;
			break;
		}
	}
}

void fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

static int openat2_in_root(int rootfd, const char *path, uint64_t extra)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra,
	};

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

static int open_in_root(int rootfd, const char *path, bool create, bool as_file,
			uint64_t extra, struct hako_err *err)
{
	char parent[4096];
	const char *base;
	int fd = openat2_in_root(rootfd, path, extra);

	if (fd >= 0 || errno != ENOENT || !create) {
		if (fd < 0)
			return hako_fail(err, errno, "open in rootfs", path,
					 "cannot open '%s' inside the container's root", path);
		return fd;
	}
	snprintf(parent, sizeof(parent), "%s", path);
	for (size_t n = strlen(parent); n > 1 && parent[n - 1] == '/'; n--)
		parent[n - 1] = '\0';
	char *slash = strrchr(parent, '/');
	if (!slash)
		return hako_fail(err, EINVAL, "open in rootfs", path, "'%s' is not absolute", path);
	base = path + (slash - parent) + 1;
	if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	{
		_cleanup_close_ int pfd = open_in_root(rootfd, parent, true, false, extra, err);
		char base_only[256];
		int r;

		if (pfd < 0)
			return pfd;
		snprintf(base_only, sizeof(base_only), "%.*s", (int)strcspn(base, "/"), base);
		if (as_file) {
			/* O_PATH fds serve as dirfd; the new file is made below the
			 * resolved parent, never through a symlink (O_NOFOLLOW). */
			r = openat(pfd, base_only, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
				   0644);
			if (r >= 0)
				close(r);
		} else {
			r = mkdirat(pfd, base_only, 0755);
		}
		if (r < 0 && errno != EEXIST)
			return hako_fail(err, errno, "create mount point", path,
					 "cannot create '%s' inside the container's root", path);
	}
	fd = openat2_in_root(rootfd, path, extra);
	if (fd < 0) {
		int r = hako_fail(err, errno, "open in rootfs", path,
				  "cannot open '%s' inside the container's root", path);
		if (errno == ENOENT)
			hako_err_hint(err, "'%s' is a symbolic link to a path that does not exist "
					   "in the container",
				      path);
		return r;
	}
	return fd;
}

int path_open_in_root(int rootfd, const char *path, bool create, bool as_file,
		      struct hako_err *err)
{
	return open_in_root(rootfd, path, create, as_file, 0, err);
}

/* proc and sysfs are where a container could reach the host (core_pattern,
 * sysrq-trigger), and maskedPaths/readonlyPaths are applied to them by path
 * after pivot_root.  If an image symlink let "/proc" resolve to one place at
 * mount time and another after pivot_root, procfs would stay writable and
 * unmasked (runc CVE-2019-19921, CVE-2023-27561): their destination may not
 * pass through any symlink of the image. */
static bool must_not_follow(const struct spec_mount *m)
{
	return m->type && (!strcmp(m->type, "proc") || !strcmp(m->type, "sysfs"));
}

static int open_dest(const struct mount_ctx *ctx, const struct spec_mount *m, bool create,
		     bool as_file, struct hako_err *err)
{
	int fd = open_in_root(ctx->rootfd, m->destination, create, as_file,
			      must_not_follow(m) ? RESOLVE_NO_SYMLINKS : 0, err);

	if (fd < 0 && err->errnum == ELOOP && must_not_follow(m)) {
		hako_fail(err, ELOOP, "mount", m->destination,
			  "the %s mount on '%s' would pass through a symbolic link of the rootfs",
			  m->type, m->destination);
		hako_err_hint(err, "a %s mount must land on a plain directory: the image may not "
				   "redirect it (it would escape maskedPaths and readonlyPaths); "
				   "replace the symlink in the image with a directory",
			      m->type);
	}
	return fd;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* The reverse: an image symlink (/data -> /proc/self/attr) must not bring
 * some other mount onto /proc or /sys, where it could hide what masks and
 * read-only paths protect (runc CVE-2019-16884).  A destination that the
 * config itself puts there is the config's business. */
static int check_dest(const struct mount_ctx *ctx, const struct spec_mount *m, int fd,
		      struct hako_err *err)
{
	char link[64], real[4096];
	const char *inside;
	ssize_t n;

	if (!ctx->rootfs)
		return 0;
	fd_path(fd, link, sizeof(link));
	n = readlink(link, real, sizeof(real) - 1);
	if (n < 0)
		return hako_fail(err, errno, "readlink", link, "cannot tell where '%s' resolves to",
				 m->destination);
	real[n] = '\0';
	inside = real + strlen(ctx->rootfs);
	if (!under(real, ctx->rootfs))
		return hako_fail(err, EXDEV, "mount", m->destination,
				 "'%s' resolves outside the container's root", m->destination);
	for (size_t i = 0; i < 2; i++) {
		const char *dir = i ? "/sys" : "/proc";
		if (under(inside, dir) && !under(m->destination, dir)) {
			int r = hako_fail(err, EPERM, "mount", m->destination,
					  "the mount on '%s' resolves to '%s' through a symbolic "
					  "link of the rootfs",
					  m->destination, inside);
			hako_err_hint(err, "mounts may not be redirected into %s by the image; "
					   "replace the symlink in the image, or name the destination "
					   "in config.json directly",
				      dir);
			return r;
		}
	}
	return 0;
}

int mount_set_attr(int dirfd, const char *path, bool recursive, uint64_t set, uint64_t clr,
		   const char *what, struct hako_err *err)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr };
	unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

	/* an atime mode replaces the old one: clear the whole field */
	if (set & (MOUNT_ATTR__ATIME | HAKO_ATTR_ATIME_MODE) || clr & MOUNT_ATTR__ATIME)
		attr.attr_clr |= MOUNT_ATTR__ATIME;
	attr.attr_set &= ~HAKO_ATTR_ATIME_MODE;
	if (!set && !clr)
		return 0;
	if (mount_setattr(dirfd, path, flags, &attr, sizeof(attr)) < 0)
		return hako_fail(err, errno, "mount_setattr", what,
				 "cannot change the mount flags of '%s'", what);
	return 0;
}

/* MS_* flags that mount_setattr(2) can set or clear on a bind mount. */
static void flags_to_attr(unsigned long flags, uint64_t *attr)
{
	*attr = 0;
	if (flags & MS_RDONLY)
		*attr |= MOUNT_ATTR_RDONLY;
	if (flags & MS_NOSUID)
		*attr |= MOUNT_ATTR_NOSUID;
	if (flags & MS_NODEV)
		*attr |= MOUNT_ATTR_NODEV;
	if (flags & MS_NOEXEC)
		*attr |= MOUNT_ATTR_NOEXEC;
	if (flags & MS_NODIRATIME)
		*attr |= MOUNT_ATTR_NODIRATIME;
	if (flags & MS_NOSYMFOLLOW)
		*attr |= MOUNT_ATTR_NOSYMFOLLOW;
	if (flags & MS_NOATIME)
		*attr |= MOUNT_ATTR_NOATIME;
	else if (flags & MS_STRICTATIME)
		*attr |= MOUNT_ATTR_STRICTATIME;
}

int bind_tree(const char *src, int dstfd, bool recursive, const struct bind_attrs *a,
	      const char *what, struct hako_err *err)
{
	_cleanup_close_ int tree = open_tree(AT_FDCWD, src,
					     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
						     (recursive ? AT_RECURSIVE : 0));
	int r;

	if (tree < 0)
		return hako_fail(err, errno, "mount", src, "cannot bind '%s' on '%s'", src, what);
	r = mount_set_attr(tree, "", false, a->set, a->clr, what, err);
	if (r == 0)
		r = mount_set_attr(tree, "", true, a->rec_set, a->rec_clr, what, err);
	if (r < 0)
		return r;
	if (move_mount(tree, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hako_fail(err, errno, "mount", what, "cannot bind '%s' on '%s'", src, what);
	return 0;
}

/* A bind mount of config.json, on the destination resolved in the rootfs. */
static int mount_bind(const struct mount_ctx *ctx, const struct spec_mount *m, const struct mount_opts *o,
		      struct hako_err *err)
{
	_cleanup_close_ int dst = -1;
	struct bind_attrs a = { .rec_set = o->rec_set, .rec_clr = o->rec_clr };
	struct stat st;
	int r;

	if (!m->source)
		return hako_fail(err, EINVAL, "mount", m->destination,
				 "bind mount on '%s' has no source", m->destination);
	if (stat(m->source, &st) < 0)
		return hako_fail(err, errno, "mount", m->source,
				 "cannot bind-mount '%s' on '%s': the source is not usable", m->source,
				 m->destination);
	flags_to_attr(o->flags, &a.set);
	flags_to_attr(o->clear, &a.clr);
	dst = open_dest(ctx, m, true, !S_ISDIR(st.st_mode), err);
	if (dst < 0)
		return dst;
	if ((r = check_dest(ctx, m, dst, err)) < 0)
		return r;
	return bind_tree(m->source, dst, o->rbind, &a, m->destination, err);
}

static int mount_fs(const struct mount_ctx *ctx, const struct spec_mount *m, const struct mount_opts *o,
		    struct hako_err *err)
{
	_cleanup_close_ int dst = -1;
	const char *type = m->type;
	char target[64];
	int r;

	if (!type || !*type)
		return hako_fail(err, EINVAL, "mount", m->destination,
				 "mount on '%s' has neither a type nor the bind option",
				 m->destination);
	dst = open_dest(ctx, m, !(o->flags & MS_REMOUNT), false, err);
	if (dst < 0)
		return dst;
	if ((r = check_dest(ctx, m, dst, err)) < 0)
		return r;
	if (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2"))
		return cgroupfs_mount(dst, m->destination, o->flags, ctx->cgroupns, err);
	if (o->tmpcopyup && strcmp(type, "tmpfs"))
		return hako_fail(err, EINVAL, "mount", m->destination,
				 "tmpcopyup on '%s' needs a tmpfs, not %s", m->destination, type);
	fd_path(dst, target, sizeof(target));
	/* with tmpcopyup the tmpfs is filled first and made read-only after */
	if (mount(m->source ? m->source : type, target, type,
		  o->tmpcopyup ? o->flags & ~MS_RDONLY : o->flags, o->data[0] ? o->data : NULL) < 0)
		return hako_fail(err, errno, "mount", m->destination, "cannot mount %s on '%s'", type,
				 m->destination);
	if (o->rec_set || o->rec_clr || o->tmpcopyup) {
		_cleanup_close_ int top = open_dest(ctx, m, false, false, err);
		if (top < 0)
			return top;
		/* dst still names the image's directory, now under the tmpfs */
		if (o->tmpcopyup && ((r = copy_tree(dst, top, m->destination, err)) < 0 ||
				     (r = mount_set_attr(top, "", false,
							 o->flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0, 0,
							 m->destination, err)) < 0))
			return r;
		return mount_set_attr(top, "", true, o->rec_set, o->rec_clr, m->destination, err);
	}
	return 0;
}

int mount_one(const struct mount_ctx *ctx, const struct spec_mount *m, size_t i,
	      struct hako_err *err)
{
	struct mount_opts o;
	bool bind;
	int r;

	mount_opts_parse(&m->options, &o);
	bind = o.bind || (m->type && !strcmp(m->type, "bind"));
	if (o.data_too_long) {
		r = hako_fail(err, E2BIG, "mount", m->destination,
			      "the file-system options of the mount on '%s' are longer than the "
			      "%zu bytes mount(2) takes",
			      m->destination, sizeof(o.data) - 1);
		hako_err_config(err, "mounts[%zu].options", i);
		hako_err_hint(err, "shorten the options (an overlay with many lowerdir layers: "
				   "shorter layer paths, or mount it before create and bind it)");
		return r;
	}
	if (o.idmap || m->n_uid_mappings) {
		r = hako_fail(err, EOPNOTSUPP, "mount", m->destination,
			      "idmapped mounts are not supported by this hako yet (mount on '%s')",
			      m->destination);
		hako_err_config(err, "mounts[%zu]", i);
		return r;
	}
	r = bind ? mount_bind(ctx, m, &o, err) : mount_fs(ctx, m, &o, err);
	if (r == 0 && o.propagation) {
		_cleanup_close_ int top = open_dest(ctx, m, false, false, err);
		char target[64];
		if (top < 0)
			r = top;
		else {
			fd_path(top, target, sizeof(target));
			if (mount(NULL, target, NULL, o.propagation, NULL) < 0)
				r = hako_fail(err, errno, "mount", m->destination,
					      "cannot set the propagation of '%s'", m->destination);
		}
	}
	if (r < 0)
		hako_err_config(err, "mounts[%zu]", i);
	return r;
}
