/* cgroup_v1.c - what only cgroup v1 needs: cpuset parents, the freezer. */
#include "linux/cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cleanup.h"

static const char *const cpuset_files[] = { "cpuset.cpus", "cpuset.mems" };

static bool empty_value(const char *v)
{
	return !v || !*v || !strcmp(v, "\n");
}

/* cgroup v1 cpuset: a new cgroup starts with empty cpuset.cpus and
 * cpuset.mems unless cgroup.clone_children is set (it is 0 by default and
 * on this kind of host), and attaching a task then fails with ENOSPC - the
 * LXC story of seed 2, and runc#133.  Copy the values down from the nearest
 * non-empty ancestor into every empty level, root first, so that each
 * level's parent is filled before the level itself (a child's cpus must be
 * a subset of its parent's). */
static int fill_level(const char *level, const char *parent, struct hako_err *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(cpuset_files); i++) {
		_cleanup_free_ char *mine = NULL, *theirs = NULL;
		int r = cg_read(level, cpuset_files[i], &mine);

		if (r == -ENOENT)
			return 0; /* not a cpuset hierarchy after all */
		if (r < 0)
			return hako_fail(err, -r, "read cgroup", level, "cannot read %s of '%s'",
					 cpuset_files[i], level);
		if (!empty_value(mine))
			continue;
		r = cg_read(parent, cpuset_files[i], &theirs);
		if (r < 0)
			return hako_fail(err, -r, "read cgroup", parent, "cannot read %s of '%s'",
					 cpuset_files[i], parent);
		if (empty_value(theirs)) {
			r = hako_fail(err, ENOSPC, "cpuset", parent,
				      "%s of '%s' is empty, so its child '%s' cannot get CPUs or "
				      "memory nodes",
				      cpuset_files[i], parent, level);
			hako_err_hint(err, "write the CPUs (or memory nodes) the containers may use "
					   "into %s/%s",
				      parent, cpuset_files[i]);
			return r;
		}
		r = cg_write(level, cpuset_files[i], theirs, NULL, err);
		if (r < 0) {
			hako_err_hint(err, "hako copies %s from the parent cgroup because a new v1 "
					   "cpuset cgroup starts empty",
				      cpuset_files[i]);
			return r;
		}
	}
	return 0;
}

static bool cpuset_filled(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(cpuset_files); i++) {
		_cleanup_free_ char *v = NULL;
		if (cg_read(path, cpuset_files[i], &v) < 0 || empty_value(v))
			return false;
	}
	return true;
}

int cg_v1_cpuset_inherit(const char *dir)
{
	return cg_write(dir, "cgroup.clone_children", "1", NULL, NULL);
}

int cg_v1_cpuset_fill(const char *path, struct hako_err *err)
{
	char level[CG_PATH_MAX], parent[CG_PATH_MAX];
	const char *start;
	size_t root_len;

	/* filled already (by the kernel, when the parent has clone_children
	 * set; see cg_v1_cpuset_inherit): two reads instead of a walk */
	if (cpuset_filled(path))
		return 0;
	/* the hierarchy root: /sys/fs/cgroup/<name> */
	start = strchr(path + strlen(CGROUP_ROOT) + 1, '/');
	if (!start)
		return 0; /* the root itself is never empty */
	root_len = (size_t)(start - path);
	for (const char *p = start; p;) {
		const char *next = strchr(p + 1, '/');
		size_t len = next ? (size_t)(next - path) : strlen(path);
		int r;

		snprintf(level, sizeof(level), "%.*s", (int)len, path);
		snprintf(parent, sizeof(parent), "%s", level);
		*strrchr(parent, '/') = '\0';
		if (strlen(parent) < root_len)
			break;
		r = fill_level(level, parent, err);
		if (r < 0)
			return r;
		p = next;
	}
	return 0;
}

bool cg_v1_cpuset_explain(const char *path, char *out, size_t size)
{
	char dir[CG_PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	while (strlen(dir) > strlen(CGROUP_ROOT)) {
		for (size_t i = 0; i < ARRAY_SIZE(cpuset_files); i++) {
			_cleanup_free_ char *v = NULL;
			if (cg_read(dir, cpuset_files[i], &v) == 0 && empty_value(v)) {
				snprintf(out, size,
					 "%s of '%s' is empty: ENOSPC here means \"no %s assigned\", "
					 "not a full disk",
					 cpuset_files[i], dir, i == 0 ? "CPUs" : "memory nodes");
				return true;
			}
		}
		char *slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return false;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

/* freezer.state goes FREEZING -> FROZEN once every task has stopped; a task
 * in uninterruptible sleep can hold it in FREEZING, so writing is repeated
 * and the wait bounded. */
int cg_v1_freeze(const struct cgroup_dir *d, bool freeze, struct hako_err *err)
{
	const char *want = freeze ? "FROZEN" : "THAWED";

	for (int i = 0; i < 1000; i++) {
		_cleanup_free_ char *state = NULL;
		int r;

		if (i % 50 == 0 && (r = cg_write(d->path, "freezer.state", want, NULL, err)) < 0)
			return r;
		if (cg_read(d->path, "freezer.state", &state) == 0 && !strcmp(state, want))
			return 0;
		pause_ms(i < 10 ? 1 : 10);
	}
	if (freeze) {
		cg_write(d->path, "freezer.state", "THAWED", NULL, NULL);
		int r = hako_fail(err, ETIMEDOUT, "freeze", d->path,
				  "the processes of cgroup '%s' did not freeze within 10 seconds",
				  d->path);
		hako_err_hint(err, "a process in uninterruptible sleep (D state, e.g. waiting on "
				   "NFS or a device) cannot be frozen; try again later");
		return r;
	}
	return hako_fail(err, ETIMEDOUT, "thaw", d->path,
			 "the processes of cgroup '%s' did not thaw within 10 seconds", d->path);
}

bool cg_v1_frozen(const struct cgroup_dir *d)
{
	_cleanup_free_ char *state = NULL;

	return cg_read(d->path, "freezer.state", &state) == 0 && !strcmp(state, "FROZEN");
}
