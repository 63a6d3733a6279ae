/* rootfs.c - preparing, populating and entering the container's root. */
#include "linux/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/mount.h"
#include "util/buf.h"
#include "util/cleanup.h"

static unsigned long propagation_flag(const char *name)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} table[] = {
		{ "shared", MS_SHARED },   { "rshared", MS_SHARED | MS_REC },
		{ "slave", MS_SLAVE },     { "rslave", MS_SLAVE | MS_REC },
		{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
		{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
	};

	for (size_t i = 0; name && i < ARRAY_SIZE(table); i++)
		if (!strcmp(name, table[i].name))
			return table[i].flag;
	return 0;
}

/* pivot_root(2) refuses a new root whose parent mount is shared, and a
 * shared parent would also see the rootfs bind mount: make it private.
 * Only needed when the config asks "/" to stay shared. */
static int make_parent_private(const char *rootfs, struct hako_err *err)
{
	_cleanup_fclose_ FILE *mi = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	char best[4096] = "/";
	size_t cap = 0, best_len = 1;

	while (mi && getline(&line, &cap, mi) > 0) {
		char mp[4096];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		size_t n = strlen(mp);
		if (n > best_len && !strncmp(rootfs, mp, n) && (rootfs[n] == '/' || !rootfs[n])) {
			snprintf(best, sizeof(best), "%s", mp);
			best_len = n;
		}
	}
	if (mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
		return hako_fail(err, errno, "mount", best,
				 "cannot make '%s', the mount holding the rootfs, private", best);
	return 0;
}

/* The host uid of uid 0 in this process's user namespace, or -1. */
static long long host_uid_of_root(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long long inside, outside, count;

	while (f && fscanf(f, "%llu %llu %llu", &inside, &outside, &count) == 3)
		if (inside == 0 && count > 0)
			return (long long)outside;
	return -1;
}

/* EACCES on the rootfs in a user namespace: the mapped root cannot search
 * a parent directory (seed 2: a 0770 container directory).  Name the
 * first directory it cannot enter. */
static void explain_unreachable(const char *rootfs, struct hako_err *err)
{
	char prefix[4096];
	struct stat st;

	for (const char *p = strchr(rootfs + 1, '/');; p = strchr(p + 1, '/')) {
		size_t n = p ? (size_t)(p - rootfs) : strlen(rootfs);
		snprintf(prefix, sizeof(prefix), "%.*s", (int)n, rootfs);
		if (access(prefix, X_OK) < 0) {
			if (stat(prefix, &st) < 0)
				return;
			/* (its owner would show as the overflow id from in here) */
			hako_err_hint(err, "the container's root (host uid %lld) cannot enter '%s' "
					   "(mode %04o); allow it (chmod o+x '%s') or move the bundle",
				      host_uid_of_root(), prefix, st.st_mode & 07777, prefix);
			return;
		}
		if (!p)
			return;
	}
}

int rootfs_prepare(const struct spec *s, int *ret_rootfd, struct hako_err *err)
{
	unsigned long want = propagation_flag(s->lnx.rootfs_propagation);
	unsigned long prop = want;
	int fd;

	/* The rootfs bind mount takes its propagation from the mount it is
	 * made from; an unbindable one could not be bound at all, so that
	 * one is set on the rootfs itself once bound.  Either way it is set
	 * before mounts[], whose own propagation options must win. */
	if (!prop || (prop & MS_UNBINDABLE))
		prop = MS_SLAVE | MS_REC;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return hako_fail(err, errno, "mount", "/",
				 "cannot set the mount propagation of the container's '/'");
	if ((prop & MS_SHARED) && make_parent_private(s->rootfs, err) < 0)
		return hako_err_code(err);
	/* A mount point of its own: pivot_root needs one, and mounts below it
	 * stay inside it. */
	if (mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
		int r = hako_fail(err, errno, "mount", s->rootfs, "cannot bind the rootfs '%s'",
				  s->rootfs);
		hako_err_config(err, "root.path");
		if (r == -EACCES && spec_has_ns(s, NS_USER))
			explain_unreachable(s->rootfs, err);
		return r;
	}
	if ((want & MS_UNBINDABLE) && mount(NULL, s->rootfs, NULL, want, NULL) < 0) {
		int r = hako_fail(err, errno, "mount", s->rootfs,
				  "cannot make the rootfs '%s' %s", s->rootfs,
				  s->lnx.rootfs_propagation);
		hako_err_config(err, "linux.rootfsPropagation");
		return r;
	}
	fd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hako_fail(err, errno, "open rootfs", s->rootfs, "cannot open the rootfs '%s'",
				 s->rootfs);
	*ret_rootfd = fd;
	return 0;
}

struct device {
	const char *path;
	char type;
	unsigned major, minor;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

/* runtime-linux.md "Default Devices". */
static const struct device default_devices[] = {
	{ "/dev/null", 'c', 1, 3, 0666, 0, 0 },    { "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
	{ "/dev/full", 'c', 1, 7, 0666, 0, 0 },    { "/dev/random", 'c', 1, 8, 0666, 0, 0 },
	{ "/dev/urandom", 'c', 1, 9, 0666, 0, 0 }, { "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
};

static mode_t type_bits(char type)
{
	switch (type) {
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	default:
		return S_IFCHR; /* 'c' and 'u' (unbuffered character device) */
	}
}

static int split_parent(int rootfd, const char *path, char *base, size_t size,
			struct hako_err *err)
{
	char parent[4096];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	snprintf(base, size, "%s", slash ? slash + 1 : parent);
	if (!slash || slash == parent)
		snprintf(parent, sizeof(parent), "/");
	else
		*slash = '\0';
	return path_open_in_root(rootfd, parent, true, false, err);
}

/* In a user namespace mknod is refused: bind the host's node instead,
 * onto a file of the image's or one made here.  What the image has there
 * is only looked at (O_PATH): a real open of its FIFO would block the
 * init, and one of its device node would run that device's open. */
static int bind_device(int dirfd, const char *base, const struct device *d,
		       struct hako_err *err)
{
	_cleanup_close_ int file = -1;
	struct bind_attrs none = { 0 };
	struct stat st;

	file = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (file < 0 && errno == ENOENT) {
		int fd = openat(dirfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
				0000);
		if (fd < 0)
			return hako_fail(err, errno, "create device", d->path,
					 "cannot create '%s'", d->path);
		close(fd);
		file = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (file < 0 || fstat(file, &st) < 0)
		return hako_fail(err, errno, "open", d->path, "cannot open '%s' in the rootfs",
				 d->path);
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return hako_fail(err, EEXIST, "create device", d->path,
				 "'%s' exists in the rootfs and is not a regular file or a device "
				 "node to bind the host's device onto",
				 d->path);
	return bind_tree(d->path, file, false, &none, d->path, err);
}

static int make_device(int rootfd, const struct device *d, bool userns, struct hako_err *err)
{
	_cleanup_close_ int dirfd = -1;
	char base[256];
	dev_t rdev = makedev(d->major, d->minor);
	mode_t mode = type_bits(d->type) | (d->mode & 07777);
	struct stat st;

	dirfd = split_parent(rootfd, d->path, base, sizeof(base), err);
	if (dirfd < 0)
		return dirfd;
	if (userns)
		return bind_device(dirfd, base, d, err);
	if (mknodat(dirfd, base, mode, d->type == 'p' ? 0 : rdev) < 0) {
		if (errno != EEXIST)
			return hako_fail(err, errno, "mknod", d->path,
					 "cannot create device '%s' (%c %u:%u)", d->path, d->type,
					 d->major, d->minor);
		/* runtime-spec: an existing file of another kind MUST be an error */
		if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    (st.st_mode & S_IFMT) != (mode & S_IFMT) ||
		    (d->type != 'p' && st.st_rdev != rdev))
			return hako_fail(err, EEXIST, "mknod", d->path,
					 "'%s' exists in the rootfs and is not device %c %u:%u",
					 d->path, d->type, d->major, d->minor);
	}
	if (fchmodat(dirfd, base, d->mode & 07777, 0) < 0 ||
	    fchownat(dirfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return hako_fail(err, errno, "chown", d->path,
				 "cannot set the owner and mode of '%s'", d->path);
	return 0;
}

static bool dev_is_host_bind(const struct spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct spec_mount *m = &s->mounts[i];
		if (strcmp(m->destination, "/dev"))
			continue;
		if (m->type && !strcmp(m->type, "bind"))
			return true;
		for (size_t k = 0; k < m->options.n; k++)
			if (!strcmp(m->options.v[k], "bind") || !strcmp(m->options.v[k], "rbind"))
				return true;
	}
	return false;
}

static int dev_links(int rootfd, struct hako_err *err)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" },	   { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	_cleanup_close_ int dev = path_open_in_root(rootfd, "/dev", true, false, err);

	if (dev < 0)
		return dev;
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
			return hako_fail(err, errno, "symlink", links[i][1],
					 "cannot create /dev/%s", links[i][1]);
	/* runc adds /dev/core; keep compatible for tools that look for it */
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") < 0 &&
	    errno != EEXIST)
		return hako_fail(err, errno, "symlink", "core", "cannot create /dev/core");
	return 0;
}

int rootfs_devices(const struct spec *s, int rootfd, bool userns, struct hako_err *err)
{
	mode_t old_umask;
	int r = 0;

	if (dev_is_host_bind(s))
		return 0;
	old_umask = umask(0);
	for (size_t i = 0; i < ARRAY_SIZE(default_devices) && r == 0; i++) {
		bool overridden = false;
		for (size_t k = 0; k < s->lnx.n_devices; k++)
			overridden |= !strcmp(s->lnx.devices[k].path, default_devices[i].path);
		if (!overridden)
			r = make_device(rootfd, &default_devices[i], userns, err);
	}
	for (size_t k = 0; k < s->lnx.n_devices && r == 0; k++) {
		const struct spec_device *sd = &s->lnx.devices[k];
		struct device d = {
			.path = sd->path,
			.type = sd->type[0],
			.major = (unsigned)sd->major,
			.minor = (unsigned)sd->minor,
			.mode = sd->file_mode.set ? sd->file_mode.v : 0666,
			.uid = sd->uid.set ? sd->uid.v : 0,
			.gid = sd->gid.set ? sd->gid.v : 0,
		};
		r = make_device(rootfd, &d, userns, err);
		if (r < 0)
			hako_err_config(err, "linux.devices[%zu]", k);
	}
	umask(old_umask);
	if (r < 0)
		return r;
	return dev_links(rootfd, err);
}

int rootfs_switch(int rootfd, bool no_pivot, struct hako_err *err)
{
	if (fchdir(rootfd) < 0)
		return hako_fail(err, errno, "chdir", NULL, "cannot enter the rootfs");
	if (no_pivot) {
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return hako_fail(err, errno, "mount", "/", "cannot move the rootfs onto '/'");
		if (chroot(".") < 0)
			return hako_fail(err, errno, "chroot", NULL, "cannot chroot into the rootfs");
		return chdir("/") < 0 ? hako_fail(err, errno, "chdir", "/", "cannot chdir to /") : 0;
	}
	/* pivot_root(".", ".") stacks the old root on top of the new one, so
	 * no directory for it is needed in the image; detaching it then drops
	 * it.  It is made a slave first so the detach does not propagate to
	 * the host's mounts.  Both act on the old root through an fd opened
	 * before: "." is still the new root, and a recursive MS_SLAVE there
	 * would undo the propagation that mounts[] and rootfsPropagation set. */
	_cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (oldroot < 0)
		return hako_fail(err, errno, "open", "/", "cannot open the old root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return hako_fail(err, errno, "pivot_root", NULL, "cannot switch to the rootfs");
	if (fchdir(oldroot) < 0)
		return hako_fail(err, errno, "chdir", NULL, "cannot enter the old root");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return hako_fail(err, errno, "mount", "/", "cannot make the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		return hako_fail(err, errno, "umount", "/", "cannot detach the old root");
	if (chdir("/") < 0)
		return hako_fail(err, errno, "chdir", "/", "cannot chdir to the new root");
	return 0;
}

static int mask_one(const char *path, struct hako_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : hako_fail(err, errno, "stat", path, "cannot mask '%s'", path);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  NULL) < 0)
			return hako_fail(err, errno, "mount", path, "cannot mask '%s'", path);
		return 0;
	}
	if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0)
		return hako_fail(err, errno, "mount", path, "cannot mask '%s' with /dev/null", path);
	return 0;
}

static int readonly_one(const char *path, struct hako_err *err)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return 0;
		return hako_fail(err, errno, "mount", path, "cannot make '%s' read-only", path);
	}
	return mount_set_attr(AT_FDCWD, path, true, MOUNT_ATTR_RDONLY, 0, path, err);
}

int rootfs_mask_paths(const struct spec *s, struct hako_err *err)
{
	int r;

	for (size_t i = 0; i < s->lnx.masked_paths.n; i++)
		if ((r = mask_one(s->lnx.masked_paths.v[i], err)) < 0) {
			hako_err_config(err, "linux.maskedPaths[%zu]", i);
			return r;
		}
	for (size_t i = 0; i < s->lnx.readonly_paths.n; i++)
		if ((r = readonly_one(s->lnx.readonly_paths.v[i], err)) < 0) {
			hako_err_config(err, "linux.readonlyPaths[%zu]", i);
			return r;
		}
	return 0;
}

/* A shared root cannot be pivot_root'ed into (put_old would be shared),
 * so shared and rshared come now; the propagation options of mounts[] are
 * applied again because an rshared "/" has just overridden them. */
static int share_root(const struct spec *s, struct hako_err *err)
{
	unsigned long want = propagation_flag(s->lnx.rootfs_propagation);
	struct mount_opts o;

	if (!(want & MS_SHARED))
		return 0;
	if (mount(NULL, "/", NULL, want, NULL) < 0) {
		int r = hako_fail(err, errno, "mount", "/", "cannot make '/' %s",
				  s->lnx.rootfs_propagation);
		hako_err_config(err, "linux.rootfsPropagation");
		return r;
	}
	for (size_t i = 0; i < s->n_mounts && (want & MS_REC); i++) {
		mount_opts_parse(&s->mounts[i].options, &o);
		if (o.propagation && mount(NULL, s->mounts[i].destination, NULL, o.propagation, NULL) < 0) {
			int r = hako_fail(err, errno, "mount", s->mounts[i].destination,
					  "cannot set the propagation of '%s'",
					  s->mounts[i].destination);
			hako_err_config(err, "mounts[%zu]", i);
			return r;
		}
	}
	return 0;
}

int rootfs_finish(const struct spec *s, struct hako_err *err)
{
	int r;

	if ((r = share_root(s, err)) < 0)
		return r;

	if (s->root.readonly) {
		r = mount_set_attr(AT_FDCWD, "/", false, MOUNT_ATTR_RDONLY, 0, "/", err);
		if (r < 0) {
			hako_err_config(err, "root.readonly");
			return r;
		}
	}
	return 0;
}
