/* fs.h - small file helpers with hako_err reporting.  Every fd they open is
 * O_CLOEXEC. */
#ifndef HAKO_UTIL_FS_H
#define HAKO_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* Whole file into a NUL-terminated malloc'd buffer. */
int read_file_at(int dirfd, const char *path, char **ret, size_t *ret_len,
		 struct hako_err *err);

/* Write `len` bytes with one write(2) where possible (proc and cgroup files
 * need the value in one write). `flags` adds to O_WRONLY|O_CLOEXEC. */
int write_file_at(int dirfd, const char *path, const char *data, size_t len, int flags,
		  mode_t mode, struct hako_err *err);

/* Replace `path` (relative to dirfd, or absolute) atomically, as a file
 * of `mode`: write a temporary file beside it, rename.  The temporary is
 * made with O_EXCL|O_NOFOLLOW under a name no one can plant in advance, so
 * a directory others may write to cannot turn the write into one through
 * their symlink. */
int write_file_replace(int dirfd, const char *path, const char *data, size_t len, mode_t mode,
		       struct hako_err *err);

/* write_file_replace of a private file (0600), in a directory of hako's. */
int write_file_atomic(int dirfd, const char *name, const char *data, size_t len,
		      struct hako_err *err);

int mkdir_p(const char *path, mode_t mode, struct hako_err *err);

/* Remove a directory tree below dirfd/name (no symlink is followed). */
int rm_rf_at(int parent, const char *name);

/* Full write(2) of a buffer, retried on EINTR and short writes. */
int write_all(int fd, const void *data, size_t len);

/* Parse an unsigned decimal (no sign, no spaces). */
int parse_u64(const char *s, unsigned long long *ret);

#endif
