/* state.c - the state directory, state.json and status. */
#include "runtime/state.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "spec/json.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

const char *status_name(enum container_status s)
{
	switch (s) {
	case STATUS_CREATING:
		return "creating";
	case STATUS_CREATED:
		return "created";
	case STATUS_RUNNING:
		return "running";
	case STATUS_PAUSED:
		return "paused";
	case STATUS_STOPPED:
		return "stopped";
	}
	return "unknown";
}

int state_check_id(const char *id, struct hako_err *err)
{
	if (!id || !*id)
		return hako_fail(err, 0, "check id", NULL, "a container id is required");
	if (!strcmp(id, ".") || !strcmp(id, "..") || strlen(id) > 1024)
		return hako_fail(err, 0, "check id", NULL, "invalid container id \"%s\"", id);
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
			return hako_fail(err, 0, "check id", NULL,
					 "invalid container id \"%s\": only letters, digits and "
					 "_ + - . are allowed",
					 id);
	return 0;
}

char *timestamp_now(void)
{
	char now[64];

	rfc3339_now(now, sizeof(now));
	return xstrdup(now);
}

static int lock_dir(int fd, const char *path, struct hako_err *err)
{
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR)
			return hako_fail(err, errno, "lock state", path, "cannot lock '%s'", path);
	}
	return 0;
}

/* What a state directory holds is acted on as root: pids to signal,
 * cgroups to remove, poststop hooks to run.  A directory someone else may
 * write to would let them choose those, so hako uses none. */
static int check_trusted(const char *path, const struct stat *sb, struct hako_err *err)
{
	uid_t me = geteuid();
	int r;

	if (sb->st_uid == me && !(sb->st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	r = hako_fail(err, EPERM, "check state root", path,
		      "'%s' (owner %u, mode %04o) may be written by %s", path, (unsigned)sb->st_uid,
		      (unsigned)(sb->st_mode & 07777),
		      sb->st_uid != me ? "another user" : "other users");
	hako_err_hint(err, "hako runs the hooks and signals the pids that its state names, so "
			   "it trusts only a state root owned by uid %u and writable by it alone; "
			   "'chmod go-w' and 'chown' it, or choose another --root",
		      (unsigned)me);
	return r;
}

static int check_root(const char *root, struct hako_err *err)
{
	struct stat sb;

	if (stat(root, &sb) < 0)
		return hako_fail(err, errno, "stat", root, "cannot use the state root '%s'", root);
	return check_trusted(root, &sb, err);
}

int state_create(const char *root, const char *id, struct container_state **ret,
		 struct hako_err *err)
{
	struct container_state *st;
	_cleanup_free_ char *path = NULL;
	int r, fd;

	r = state_check_id(id, err);
	if (r < 0)
		return r;
	if (mkdir(root, 0711) < 0 && errno != EEXIST) {
		r = mkdir_p(root, 0711, err);
		if (r < 0)
			return r;
	}
	if ((r = check_root(root, err)) < 0)
		return r;
	path = xasprintf("%s/%s", root, id);
	if (mkdir(path, 0700) < 0) {
		r = hako_fail(err, errno, "mkdir state", path, "cannot create container \"%s\"",
			      id);
		if (errno == EEXIST)
			hako_err_hint(err, "a container named \"%s\" exists already (see 'hako "
					   "list'); delete it or choose another id",
				      id);
		return r;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = hako_fail(err, errno, "open state", path, "cannot open '%s'", path);
		rmdir(path);
		return r;
	}
	r = lock_dir(fd, path, err);
	if (r < 0) {
		close(fd);
		rmdir(path);
		return r;
	}
	st = xcalloc(1, sizeof(*st));
	st->id = xstrdup(id);
	st->root = xstrdup(root);
	st->dirfd = fd;
	st->owner = geteuid();
	*ret = st;
	return 0;
}

static char *dup_json_value(yajl_val v)
{
	struct buf b = { 0 };

	if (!v)
		return NULL;
	json_write_value(&b, v);
	return buf_steal(&b);
}

static int read_state_json(struct container_state *st, struct hako_err *err)
{
	_cleanup_free_ char *text = NULL;
	yajl_val hako;
	long long n;
	int r;

	r = read_file_at(st->dirfd, "state.json", &text, NULL, err);
	if (r < 0) {
		if (err->errnum == ENOENT) {
			/* created by a `create` that is still running (or died) */
			memset(err, 0, sizeof(*err));
			return 0;
		}
		return r;
	}
	r = json_parse(text, "state.json", &st->tree, err);
	if (r < 0)
		return r;
	if (json_get_int(st->tree, "pid", &n))
		st->pid = (pid_t)n;
	st->bundle = xstrdup(json_get_string(st->tree, "bundle") ?: "");
	st->annotations = json_get(st->tree, "annotations");
	hako = json_get(st->tree, "hako");
	if (json_get_int(hako, "pidStart", &n))
		st->pid_start = (unsigned long long)n;
	if (json_get_int(hako, "owner", &n))
		st->owner = (uid_t)n;
	st->rootfs = xstrdup(json_get_string(hako, "rootfs") ?: "");
	st->created = xstrdup(json_get_string(hako, "created") ?: "");
	st->userns = YAJL_IS_TRUE(json_get(hako, "userns"));
	st->detached_init = YAJL_IS_TRUE(json_get(hako, "detachedInit"));
	st->cgroup = json_get(hako, "cgroup");
	st->hooks = json_get(hako, "hooks");
	st->extra = json_get(hako, "extra");
	/* Keep the records as text too, so state_write() preserves them. */
	st->annotations_json = dup_json_value(st->annotations);
	st->cgroup_json = dup_json_value(st->cgroup);
	st->hooks_json = dup_json_value(st->hooks);
	st->extra_json = dup_json_value(st->extra);
	return 0;
}

static int open_state(const char *root, const char *id, bool lock,
		      struct container_state **ret, struct hako_err *err)
{
	_cleanup_free_ char *path = NULL;
	struct container_state *st;
	struct stat sb;
	int r, fd;

	r = state_check_id(id, err);
	if (r < 0)
		return r;
	path = xasprintf("%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		r = hako_fail(err, e, "open state", path, "container \"%s\" does not exist",
			      id);
		if (e != ENOENT)
			snprintf(err->msg, sizeof(err->msg), "cannot open the state of container "
				 "\"%s\"", id);
		return r;
	}
	if ((r = check_root(root, err)) < 0 ||
	    (fstat(fd, &sb) == 0 && (r = check_trusted(path, &sb, err)) < 0)) {
		close(fd);
		return r;
	}
	st = xcalloc(1, sizeof(*st));
	st->id = xstrdup(id);
	st->root = xstrdup(root);
	st->dirfd = fd;
	r = lock ? lock_dir(fd, path, err) : 0;
	/* The lock's holder may have been `delete`, which removed it. */
	if (r == 0 && lock && fstat(fd, &sb) == 0 && sb.st_nlink == 0)
		r = hako_fail(err, ENOENT, "open state", path, "container \"%s\" does not exist",
			      id);
	if (r == 0)
		r = read_state_json(st, err);
	if (r < 0) {
		state_free(st);
		return r;
	}
	*ret = st;
	return 0;
}

int state_open(const char *root, const char *id, struct container_state **ret,
	       struct hako_err *err)
{
	return open_state(root, id, true, ret, err);
}

int state_peek(const char *root, const char *id, struct container_state **ret,
	       struct hako_err *err)
{
	return open_state(root, id, false, ret, err);
}

static void put_raw(struct buf *b, const char *key, const char *json)
{
	if (json && *json)
		buf_printf(b, ",\"%s\":%s", key, json);
}

int state_write(struct container_state *st, struct hako_err *err)
{
	_cleanup_buf_ struct buf b = { 0 };

	buf_printf(&b, "{\"ociVersion\":\"%s\",\"id\":", HAKO_OCI_VERSION);
	buf_json_str(&b, st->id);
	buf_printf(&b, ",\"pid\":%d,\"bundle\":", (int)st->pid);
	buf_json_str(&b, st->bundle);
	put_raw(&b, "annotations", st->annotations_json);
	buf_printf(&b, ",\"hako\":{\"pidStart\":%llu,\"owner\":%u,\"userns\":%s,"
		       "\"detachedInit\":%s,\"created\":",
		   st->pid_start, (unsigned)st->owner, st->userns ? "true" : "false",
		   st->detached_init ? "true" : "false");
	buf_json_str(&b, st->created);
	buf_puts(&b, ",\"rootfs\":");
	buf_json_str(&b, st->rootfs);
	put_raw(&b, "cgroup", st->cgroup_json);
	put_raw(&b, "hooks", st->hooks_json);
	put_raw(&b, "extra", st->extra_json);
	buf_puts(&b, "}}\n");
	return write_file_atomic(st->dirfd, "state.json", b.p, b.len, err);
}

void state_remove(struct container_state *st)
{
	_cleanup_close_ int rootfd = open(st->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (rootfd >= 0)
		rm_rf_at(rootfd, st->id);
}

void state_free(struct container_state *st)
{
	if (!st)
		return;
	if (st->dirfd >= 0)
		close(st->dirfd); /* releases the lock */
	if (st->tree)
		yajl_tree_free(st->tree);
	free(st->id);
	free(st->root);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->annotations_json);
	free(st->cgroup_json);
	free(st->hooks_json);
	free(st->extra_json);
	free(st);
}

unsigned long long process_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may contain spaces and parentheses: fields restart after the
	 * last ')'.  Field 3 is the state, field 22 the start time. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return 0; /* a zombie is a stopped container */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (p)
		start = strtoull(p, NULL, 10);
	return start;
}

bool process_alive(pid_t pid, unsigned long long start)
{
	unsigned long long now;

	if (pid <= 0)
		return false;
	now = process_start_time(pid);
	/* create never saves a start time of 0 (save_state): a state without
	 * one names no process hako may act on */
	return now != 0 && now == start;
}

static bool is_paused(const struct container_state *st)
{
	struct cgroup *cg = NULL;
	bool frozen;

	if (!st->cgroup || cgroup_open(st->cgroup, &cg, NULL) < 0)
		return false;
	frozen = cgroup_is_frozen(cg);
	cgroup_free(cg);
	return frozen;
}

enum container_status state_status(const struct container_state *st)
{
	struct stat sb;

	if (st->pid <= 0)
		return STATUS_CREATING;
	if (!process_alive(st->pid, st->pid_start))
		return STATUS_STOPPED;
	if (fstatat(st->dirfd, EXEC_FIFO, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	if (is_paused(st))
		return STATUS_PAUSED;
	return STATUS_RUNNING;
}

char *state_oci_json(const struct container_state *st, enum container_status status)
{
	struct buf b = { 0 };

	buf_printf(&b, "{\"ociVersion\":\"%s\",\"id\":", HAKO_OCI_VERSION);
	buf_json_str(&b, st->id);
	buf_printf(&b, ",\"status\":\"%s\"", status_name(status));
	if (status != STATUS_STOPPED && st->pid > 0)
		buf_printf(&b, ",\"pid\":%d", (int)st->pid);
	else
		buf_puts(&b, ",\"pid\":0");
	buf_puts(&b, ",\"bundle\":");
	buf_json_str(&b, st->bundle);
	buf_puts(&b, ",\"rootfs\":");
	buf_json_str(&b, st->rootfs);
	buf_puts(&b, ",\"created\":");
	buf_json_str(&b, st->created);
	buf_printf(&b, ",\"owner\":\"%u\"", (unsigned)st->owner);
	if (st->annotations_json && *st->annotations_json)
		buf_printf(&b, ",\"annotations\":%s", st->annotations_json);
	buf_puts(&b, "}");
	return buf_steal(&b);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list(const char *root, char ***ret, size_t *ret_n, struct hako_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(root);
	struct dirent *e;
	char **ids = NULL;
	size_t n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return hako_fail(err, errno, "open state root", root, "cannot list '%s'", root);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR || state_check_id(e->d_name, NULL) < 0)
			continue;
		ids = xrealloc(ids, (n + 1) * sizeof(char *));
		ids[n++] = xstrdup(e->d_name);
	}
	if (n)
		qsort(ids, n, sizeof(char *), cmp_str);
	*ret = ids;
	*ret_n = n;
	return 0;
}
