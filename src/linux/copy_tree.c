/* copy_tree.c - a recursive copy that follows no symlink: the source is
 * the image's directory under a new tmpfs (mounts[].options tmpcopyup). */
#include "linux/copy_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

static int copy_file(int from, int to, const char *name, const struct stat *st)
{
	_cleanup_close_ int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int out = -1;

	if (in < 0)
		return -errno;
	out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
	if (out < 0)
		return -errno;
	for (off_t left = st->st_size; left > 0;) {
		ssize_t n = sendfile(out, in, NULL, (size_t)(left > (1 << 30) ? 1 << 30 : left));
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		left -= n;
	}
	return 0;
}

static int copy_entry(int from, int to, const char *name, struct hako_err *err, const char *what);

static int copy_dir_entries(int from, int to, const char *what, struct hako_err *err)
{
	int fd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_closedir_ DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return hako_fail(err, errno, "tmpcopyup", what, "cannot read the directory under '%s'",
				 what);
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int r = copy_entry(dirfd(d), to, e->d_name, err, what);
		if (r < 0)
			return r;
	}
	return 0;
}

static int copy_entry(int from, int to, const char *name, struct hako_err *err, const char *what)
{
	struct stat st;
	int r = 0;

	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return hako_fail(err, errno, "tmpcopyup", what, "cannot read '%s' under '%s'", name,
				 what);
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR: {
		if (mkdirat(to, name, st.st_mode & 07777) < 0)
			r = -errno;
		if (r == 0) {
			_cleanup_close_ int sub_from = openat(from, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			_cleanup_close_ int sub_to = openat(to, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub_from < 0 || sub_to < 0)
				r = -errno;
			else if ((r = copy_dir_entries(sub_from, sub_to, what, err)) < 0)
				return r;
		}
		break;
	}
	case S_IFREG:
		r = copy_file(from, to, name, &st);
		break;
	case S_IFLNK: {
		char target[4096];
		ssize_t n = readlinkat(from, name, target, sizeof(target) - 1);
		if (n < 0)
			r = -errno;
		else {
			target[n] = '\0';
			r = symlinkat(target, to, name) < 0 ? -errno : 0;
		}
		break;
	}
	default: /* fifos, sockets, device nodes */
		r = mknodat(to, name, st.st_mode, st.st_rdev) < 0 ? -errno : 0;
		break;
	}
	if (r == 0 && fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	if (r == 0 && !S_ISLNK(st.st_mode) && fchmodat(to, name, st.st_mode & 07777, 0) < 0)
		r = -errno;
	if (r < 0)
		return hako_fail(err, -r, "tmpcopyup", what, "cannot copy '%s' into the tmpfs on '%s'",
				 name, what);
	return 0;
}

int copy_tree(int from, int to, const char *what, struct hako_err *err)
{
	return copy_dir_entries(from, to, what, err);
}
