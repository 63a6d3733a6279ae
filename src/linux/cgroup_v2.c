/* cgroup_v2.c - what only cgroup v2 needs: enabling controllers down the
 * path, cgroup.freeze, cgroup.kill. */
#include "linux/cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cleanup.h"
#include "util/log.h"

/* The mount point of the hierarchy holding `d`. */
static void hierarchy_root(const struct cgroup_dir *d, char *out, size_t size)
{
	snprintf(out, size, CGROUP_ROOT "%s%s", d->name[0] ? "/" : "", d->name);
}

bool cg_v2_available(const struct cgroup_dir *d, const char *controller)
{
	_cleanup_free_ char *list = NULL;
	char root[CG_PATH_MAX];

	hierarchy_root(d, root, sizeof(root));
	return cg_read(root, "cgroup.controllers", &list) == 0 && cg_word_in(list, controller);
}

static bool wanted(const char *c, const char *const *need, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(need[i], c))
			return true;
	return false;
}

static bool has_procs(const char *level)
{
	_cleanup_free_ char *procs = NULL;

	return cg_read(level, "cgroup.procs", &procs) == 0 && procs[0];
}

/* `busy`: the level has processes (and is not the root, which is exempt
 * from the rule) - known to fail, so not even tried */
static int enable_one(const char *level, const char *c, bool busy, struct hako_err *err)
{
	char value[80];
	int r;

	snprintf(value, sizeof(value), "+%s", c);
	r = busy ? -EBUSY : cg_write(level, "cgroup.subtree_control", value, NULL, err);
	if (r == -EBUSY) {
		hako_fail(err, EBUSY, "enable controller", level,
			  "cannot enable the %s controller for the children of '%s': that cgroup "
			  "has processes of its own",
			  c, level);
		hako_err_hint(err, "cgroup v2 gives controllers only to cgroups without processes "
				   "(the \"no internal processes\" rule); use an absolute "
				   "linux.cgroupsPath, or move the processes of '%s' into a child cgroup",
			      level);
	} else if (r < 0) {
		char text[200];
		snprintf(text, sizeof(text), "%s", err->msg);
		hako_fail(err, -r, "enable controller", level,
			  "cannot enable the %s controller for the children of '%s' (%s)", c, level,
			  text);
	}
	return r;
}

/* One level: hand the needed controllers (and with `all` the others it
 * has) to its children. */
static int enable_level(const char *level, bool is_root, const char *const *need, size_t n_need,
			bool all, struct hako_err *err)
{
	_cleanup_free_ char *avail = NULL, *enabled = NULL;
	char *save = NULL;

	if (cg_read(level, "cgroup.controllers", &avail) < 0 ||
	    cg_read(level, "cgroup.subtree_control", &enabled) < 0)
		return hako_fail(err, ENOENT, "enable controller", level,
				 "'%s' is not a cgroup v2 directory", level);
	/* a level with processes of its own (hako's own cgroup, for a relative
	 * path) must stay as it is: domain controllers cannot be enabled there,
	 * and threaded ones would turn it into a thread root whose domain
	 * children refuse processes (EOPNOTSUPP) */
	if (!is_root && has_procs(level)) {
		for (size_t i = 0; i < n_need; i++)
			if (!cg_word_in(enabled, need[i]))
				return enable_one(level, need[i], true, err);
		return 0;
	}
	for (size_t i = 0; i < n_need; i++)
		if (!cg_word_in(avail, need[i])) {
			int r = hako_fail(err, ENODEV, "enable controller", level,
					  "the %s controller is not available in '%s' (not in its "
					  "cgroup.controllers)",
					  need[i], level);
			hako_err_hint(err, "the parent of '%s' does not delegate it; enable it in the "
					   "parent's cgroup.subtree_control",
				      level);
			return r;
		}
	for (char *c = strtok_r(avail, " ", &save); c; c = strtok_r(NULL, " ", &save)) {
		bool needed = wanted(c, need, n_need);
		int r;

		if ((!all && !needed) || cg_word_in(enabled, c))
			continue;
		r = enable_one(level, c, false, err);
		if (r < 0 && needed)
			return r;
		if (r < 0)
			hako_debug("cgroup: %s not enabled in '%s': %s", c, level, err->msg);
	}
	return 0;
}

/* Levels from the hierarchy root down to the leaf's parent: each must hand
 * the controllers to its children through cgroup.subtree_control. */
int cg_v2_enable(const struct cgroup_dir *d, const char *const *need, size_t n_need, bool all,
		 struct hako_err *err)
{
	char root[CG_PATH_MAX], level[CG_PATH_MAX];
	const char *p;

	hierarchy_root(d, root, sizeof(root));
	if (strlen(d->path) <= strlen(root))
		return 0;
	snprintf(level, sizeof(level), "%s", root);
	for (p = d->path + strlen(root);; ) {
		const char *next = strchr(p + 1, '/');
		int r = enable_level(level, !strcmp(level, root), need, n_need, all, err);

		if (r < 0)
			return r;
		if (!next)
			break; /* that was the leaf's parent */
		snprintf(level, sizeof(level), "%.*s", (int)(next - d->path), d->path);
		p = next;
	}
	memset(err, 0, sizeof(*err));
	return 0;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

/* cgroup.freeze is the request, "frozen" in cgroup.events the result:
 * the kernel reports it once every task has stopped. */
int cg_v2_freeze(const struct cgroup_dir *d, bool freeze, struct hako_err *err)
{
	uint64_t frozen = 0;
	int r = cg_write(d->path, "cgroup.freeze", freeze ? "1" : "0", NULL, err);

	if (r < 0) {
		if (r == -ENOENT)
			hako_err_hint(err, "cgroup.freeze needs Linux 5.2 or later");
		return r;
	}
	for (int i = 0; i < 1000; i++) {
		if (cg_read_key(d->path, "cgroup.events", "frozen", &frozen) < 0)
			return 0; /* no way to tell: trust the request */
		if ((frozen == 1) == freeze)
			return 0;
		pause_ms(i < 10 ? 1 : 10);
	}
	if (freeze)
		cg_write(d->path, "cgroup.freeze", "0", NULL, NULL);
	return hako_fail(err, ETIMEDOUT, freeze ? "freeze" : "thaw", d->path,
			 "the processes of cgroup '%s' did not %s within 10 seconds", d->path,
			 freeze ? "freeze" : "thaw");
}

bool cg_v2_frozen(const struct cgroup_dir *d)
{
	_cleanup_free_ char *v = NULL;

	return cg_read(d->path, "cgroup.freeze", &v) == 0 && !strcmp(v, "1");
}

int cg_v2_kill(const struct cgroup_dir *d, struct hako_err *err)
{
	if (!cg_exists(d->path, "cgroup.kill"))
		return -ENOENT;
	return cg_write(d->path, "cgroup.kill", "1", NULL, err);
}
