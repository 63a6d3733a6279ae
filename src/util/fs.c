/* fs.c - reading, writing and removing files. */
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_file_at(int dirfd, const char *path, char **ret, size_t *ret_len,
		 struct hako_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct buf b = { 0 };

	if (fd < 0)
		return hako_fail(err, errno, "open", path, "cannot open '%s'", path);
	for (;;) {
		ssize_t n;
		buf_reserve(&b, 4096);
		n = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf_release(&b);
			return hako_fail(err, errno, "read", path, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.p[b.len] = '\0';
	}
	if (ret_len)
		*ret_len = b.len;
	*ret = buf_steal(&b);
	return 0;
}

int write_file_at(int dirfd, const char *path, const char *data, size_t len, int flags,
		  mode_t mode, struct hako_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY | flags, mode);
	ssize_t n;

	if (fd < 0)
		return hako_fail(err, errno, "open", path, "cannot open '%s' for writing", path);
	n = write(fd, data, len);
	if (n < 0)
		return hako_fail(err, errno, "write", path, "cannot write '%s'", path);
	if ((size_t)n != len)
		return hako_fail(err, EIO, "write", path, "short write to '%s'", path);
	return 0;
}

/* ".<base>.<pid>-<n>.tmp" beside path; n random after a name was taken. */
static void temp_name(const char *path, unsigned attempt, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(base - path) : 0;
	unsigned n = 0;

	if (attempt && getrandom(&n, sizeof(n), GRND_NONBLOCK) != sizeof(n))
		n = attempt;
	snprintf(out, size, "%.*s.%s.%d-%x.tmp", dirlen, path, base, (int)getpid(), n);
}

int write_file_replace(int dirfd, const char *path, const char *data, size_t len, mode_t mode,
		       struct hako_err *err)
{
	char tmp[PATH_MAX + 32];
	_cleanup_close_ int fd = -1;
	int r;

	for (unsigned attempt = 0; fd < 0 && attempt < 8; attempt++) {
		temp_name(path, attempt, tmp, sizeof(tmp));
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
			    mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return hako_fail(err, errno, "open", tmp, "cannot create a file beside '%s'", path);
	/* the umask must not narrow what readers of the file expect */
	if (fchmod(fd, mode) < 0 || (r = write_all(fd, data, len)) < 0) {
		r = hako_fail(err, errno, "write", tmp, "cannot write '%s'", tmp);
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	if (renameat(dirfd, tmp, dirfd, path) < 0) {
		r = hako_fail(err, errno, "rename", path, "cannot replace '%s'", path);
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	return 0;
}

int write_file_atomic(int dirfd, const char *name, const char *data, size_t len,
		      struct hako_err *err)
{
	return write_file_replace(dirfd, name, data, len, 0600, err);
}

int mkdir_p(const char *path, mode_t mode, struct hako_err *err)
{
	_cleanup_free_ char *copy = xstrdup(path);

	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST)
			return hako_fail(err, errno, "mkdir", copy, "cannot create directory '%s'",
					 copy);
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

int rm_rf_at(int parent, const char *name)
{
	_cleanup_close_ int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;

	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP)
			return unlinkat(parent, name, 0) < 0 ? -errno : 0;
		return errno == ENOENT ? 0 : -errno;
	}
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -1; /* owned by d now */
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type == DT_DIR)
			rm_rf_at(dirfd(d), e->d_name);
		else
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	return unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
}

int parse_u64(const char *s, unsigned long long *ret)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*ret = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	return 0;
}
