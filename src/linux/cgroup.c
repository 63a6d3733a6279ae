/* cgroup.c - placing a container in its cgroups (v1, hybrid, v2), the
 * record in state.json, its processes, freezing, killing and removal. */
#include "linux/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "linux/cgroup_hier.h"
#include "linux/cgroup_internal.h"
#include "spec/json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

bool cgroup_host_v2(void)
{
	struct statfs sf;

	return statfs(CGROUP_ROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static struct cgroup *cgroup_new(bool v2)
{
	struct cgroup *cg = xcalloc(1, sizeof(*cg));

	cg->v2 = v2;
	cg->v2_fd = -1;
	return cg;
}

void cgroup_free(struct cgroup *cg)
{
	if (!cg)
		return;
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
	free(cg->dirs);
	free(cg);
}

static struct cgroup_dir *add_dir(struct cgroup *cg)
{
	cg->dirs = xrealloc(cg->dirs, (cg->n + 1) * sizeof(*cg->dirs));
	memset(&cg->dirs[cg->n], 0, sizeof(cg->dirs[0]));
	return &cg->dirs[cg->n++];
}

/* ---- paths ---------------------------------------------------------------- */

/* "/a//b/" -> "/a/b" */
static void normalize(char *p)
{
	char *w = p;

	for (const char *r = p; *r; r++)
		if (!(*r == '/' && (w > p && w[-1] == '/')))
			*w++ = *r;
	*w = '\0';
	while (w > p + 1 && w[-1] == '/')
		*--w = '\0';
}

/* runtime-spec: an absolute cgroupsPath is below the hierarchy's root, a
 * relative one below hako's own cgroup (runc's choice too: here that puts
 * a memory cgroup below /process_api/<x> and the others below /); without
 * one, /hako/<id>. */
static int container_path(const struct spec *s, const char *id, const struct cgroup_hier *h,
			  char *out, size_t size, struct hako_err *err)
{
	const char *cp = s->lnx.cgroups_path;
	char own[512];

	if (!cp || !*cp)
		snprintf(out, size, "/hako/%s", id);
	else if (cp[0] == '/')
		snprintf(out, size, "%s", cp);
	else {
		if (cgroup_own_path(h, own, sizeof(own)) < 0 || !strcmp(own, "/"))
			own[0] = '\0';
		snprintf(out, size, "%s/%s", own, cp);
	}
	normalize(out);
	if (!strcmp(out, "/") || !out[0])
		return hako_fail_config(err, "linux.cgroupsPath",
					"linux.cgroupsPath \"%s\" is the root of the %s hierarchy; a "
					"container needs a cgroup of its own",
					cp, h->name[0] ? h->name : "cgroup");
	return 0;
}

/* CLONE_INTO_CGROUP arrived in Linux 5.7; before that clone3 rejects the
 * flag, and the init joins by writing cgroup.procs instead. */
static bool clone_into_cgroup_works(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 5 || (major == 5 && minor >= 7);
}

/* ---- create --------------------------------------------------------------- */

/* A cgroup already at the container's path was left by a crashed start,
 * or belongs to someone else.  Empty: reuse it (thawed).  Processes:
 * refuse, naming them (runtime-spec allows the check and then requires the
 * error). */
static int check_existing(const struct cgroup_dir *d, struct hako_err *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	char who[600];
	size_t n = 0;
	int r;

	if (cg_procs_recursive(d->path, &pids, &n) < 0)
		return 0; /* not there: nothing to check */
	if (n) {
		cg_describe_pids(pids, n, who, sizeof(who));
		r = hako_fail(err, EBUSY, "cgroup in use", d->path,
			      "cgroup '%s' already exists and holds %zu process%s: %s", d->path, n,
			      n == 1 ? "" : "es", who);
		hako_err_hint(err, "another container or the processes of an earlier start run "
				   "there; stop them, or choose another linux.cgroupsPath");
		hako_err_config(err, "linux.cgroupsPath");
		return r;
	}
	hako_debug("cgroup: reusing the empty cgroup '%s' left behind earlier", d->path);
	if (!d->v2 && cg_v1_has(d, "freezer") && cg_v1_frozen(d))
		return cg_v1_freeze(d, false, err);
	if (d->v2 && cg_v2_frozen(d))
		return cg_v2_freeze(d, false, err);
	return 0;
}

/* mkdir -p, recording how many trailing levels are the container's: from
 * the first level made down to the leaf (nothing below a new directory can
 * have existed), or the leaf alone when it was there (an empty leftover,
 * see check_existing).  A parent removed by another hako's delete between
 * two mkdirs gives ENOENT: start over. */
static int make_dir_once(struct cgroup_dir *d, bool *retry, bool *existed, struct hako_err *err)
{
	char *below = d->path + strlen(CGROUP_ROOT) + (d->name[0] ? 1 + strlen(d->name) : 0);
	int level = 0, first_made = -1;

	/* each '/' below the hierarchy root starts a level */
	for (char *p = below; p; level++) {
		char *next = strchr(p + 1, '/');
		bool made;
		int e;

		if (next)
			*next = '\0';
		made = mkdir(d->path, 0755) == 0;
		e = errno;
		if (next)
			*next = '/';
		if (!made && e == ENOENT && level > 0) {
			*retry = true;
			return -ENOENT;
		}
		if (!made && e != EEXIST)
			return hako_fail(err, e, "mkdir cgroup", d->path, "cannot create cgroup '%s'",
					 d->path);
		if (made && first_made < 0)
			first_made = level;
		p = next;
	}
	d->created = first_made >= 0 ? level - first_made : 1;
	*existed = first_made < 0;
	return 0;
}

static int make_dir(struct cgroup_dir *d, bool *existed, struct hako_err *err)
{
	for (int attempt = 0;; attempt++) {
		bool retry = false;
		int r = make_dir_once(d, &retry, existed, err);

		/* cgroup v1 cpuset: fill the new (and any empty) levels, seed 2;
		 * a parent level hako made (/hako) then copies its values into
		 * the next container's directory itself (clone_children) */
		if (r == 0 && cg_v1_has(d, "cpuset")) {
			r = cg_v1_cpuset_fill(d->path, err);
			if (r == 0 && d->created >= 2) {
				char parent[CG_PATH_MAX];
				snprintf(parent, sizeof(parent), "%s", d->path);
				*strrchr(parent, '/') = '\0';
				cg_v1_cpuset_inherit(parent);
			}
		}
		if (r == -ENOENT && attempt < 10 && (retry || err->errnum == ENOENT))
			continue;
		return r;
	}
}

/* CLONE_INTO_CGROUP charges the new process to the cgroup at once, so with
 * pids.max 0 the clone itself fails (EAGAIN); a move into the cgroup is not
 * blocked by pids.max (cgroup-v2.rst: organisational operations are not),
 * so then the init moves itself in instead. */
static bool clone_into(const struct cgroup *cg, const struct spec *s)
{
	const struct spec_resources *r = &s->lnx.resources;
	const char *unified_pids = strmap_get(&r->unified, "pids.max");

	if (!cg->v2 || !cg->n || !clone_into_cgroup_works())
		return false;
	if (r->pids.limit_set && r->pids.limit == 0)
		return false;
	return !unified_pids || strcmp(unified_pids, "0");
}

/* The directories of `cg` made and configured; on failure the caller
 * removes what was made. */
static int place(struct cgroup *cg, const struct spec *s, struct hako_err *err)
{
	int r;

	for (size_t i = 0; i < cg->n; i++) {
		struct cgroup_dir *d = &cg->dirs[i];
		bool existed = false;

		if ((r = make_dir(d, &existed, err)) < 0) {
			hako_err_config(err, "linux.cgroupsPath");
			return r;
		}
		/* Only a directory that was there needs a look (no access()
		 * before every mkdir); a busy one is not ours to remove when the
		 * caller undoes what was made. */
		if (existed && (r = check_existing(d, err)) < 0) {
			d->created = 0;
			return r;
		}
	}
	/* always: without linux.resources the device rules are still hako's
	 * default allow-list, as with runc */
	if ((r = cg_apply(cg, &s->lnx.resources, s, false, err)) < 0)
		return r;
	if (clone_into(cg, s)) {
		cg->v2_fd = open(cg->dirs[0].path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cg->v2_fd < 0)
			return hako_fail(err, errno, "open cgroup", cg->dirs[0].path,
					 "cannot open cgroup '%s'", cg->dirs[0].path);
	}
	return 0;
}

int cgroup_setup(const struct spec *s, const char *id, struct cgroup **ret,
		 struct hako_err *err)
{
	_cleanup_cgroup_ struct cgroup *cg = cgroup_new(cgroup_host_v2());
	_cleanup_free_ struct cgroup_hier *h = NULL;
	size_t n = 0;
	int r;

	r = cgroup_hierarchies(&h, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct cgroup_dir *d = add_dir(cg);
		char rel[900];

		if ((r = container_path(s, id, &h[i], rel, sizeof(rel), err)) < 0)
			return r;
		snprintf(d->name, sizeof(d->name), "%s", h[i].name);
		snprintf(d->controllers, sizeof(d->controllers), "%s", h[i].controllers);
		d->v2 = !strcmp(h[i].type, "cgroup2");
		snprintf(d->path, sizeof(d->path), "%s%s%s%s", CGROUP_ROOT, h[i].name[0] ? "/" : "",
			 h[i].name, rel);
	}
	cg->check_before_update = s->lnx.resources.memory.check_before_update.v;
	r = place(cg, s, err);
	if (r < 0) {
		cgroup_destroy(cg, NULL);
		return r;
	}
	*ret = TAKE_PTR(cg);
	return 0;
}

int cgroup_clone_fd(const struct cgroup *cg)
{
	return cg ? cg->v2_fd : -1;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid, struct hako_err *err)
{
	char value[16];

	snprintf(value, sizeof(value), "%d", (int)pid);
	for (size_t i = 0; cg && i < cg->n; i++) {
		const struct cgroup_dir *d = &cg->dirs[i];
		char why[CG_PATH_MAX + 160], path[CG_PATH_MAX + 16];
		int r = cg_write(d->path, "cgroup.procs", value, NULL, NULL);

		if (r == 0)
			continue;
		/* the step picks the hints of util/hints.c (ENOSPC, EBUSY) */
		cg_file(d->path, "cgroup.procs", path, sizeof(path));
		hako_fail(err, -r, "write cgroup.procs", path, "cannot move %s%s into cgroup '%s'",
			  pid ? "pid " : "the container's init", pid ? value : "", d->path);
		if (r == -ENOSPC && cg_v1_has(d, "cpuset") &&
		    cg_v1_cpuset_explain(d->path, why, sizeof(why))) {
			snprintf(err->msg, sizeof(err->msg), "cannot join cpuset cgroup '%s': %s",
				 d->path, why);
			hako_err_hint(err, "hako fills an empty cpuset.cpus/cpuset.mems from the "
					   "nearest parent that has them when it creates the cgroup; "
					   "something emptied it since");
		}
		return r;
	}
	return 0;
}

/* ---- record ---------------------------------------------------------------- */

void cgroup_record(const struct cgroup *cg, struct buf *out)
{
	buf_printf(out, "{\"v2\":%s,\"checkBeforeUpdate\":%s,\"dirs\":[", cg->v2 ? "true" : "false",
		   cg->check_before_update ? "true" : "false");
	for (size_t i = 0; i < cg->n; i++) {
		const struct cgroup_dir *d = &cg->dirs[i];
		buf_printf(out, "%s{\"name\":", i ? "," : "");
		buf_json_str(out, d->name);
		buf_puts(out, ",\"controllers\":");
		buf_json_str(out, d->controllers);
		buf_puts(out, ",\"path\":");
		buf_json_str(out, d->path);
		buf_printf(out, ",\"cgroup2\":%s,\"created\":%d}", d->v2 ? "true" : "false",
			   d->created);
	}
	buf_puts(out, "]}");
}

int cgroup_open(yajl_val record, struct cgroup **ret, struct hako_err *err)
{
	yajl_val dirs = json_get(record, "dirs");
	struct cgroup *cg;

	if (!YAJL_IS_ARRAY(dirs))
		return hako_fail(err, EINVAL, "read state", "state.json",
				 "state.json has no cgroup record");
	cg = cgroup_new(YAJL_IS_TRUE(json_get(record, "v2")));
	cg->check_before_update = YAJL_IS_TRUE(json_get(record, "checkBeforeUpdate"));
	for (size_t i = 0; i < dirs->u.array.len; i++) {
		yajl_val e = dirs->u.array.values[i], v2 = json_get(e, "cgroup2");
		struct cgroup_dir *d = add_dir(cg);
		long long created = 0;
		snprintf(d->name, sizeof(d->name), "%s", json_get_string(e, "name") ?: "");
		/* records written before "controllers" existed: the v1 mount
		 * directory is named after its controllers */
		snprintf(d->controllers, sizeof(d->controllers), "%s",
			 json_get_string(e, "controllers") ?: d->name);
		snprintf(d->path, sizeof(d->path), "%s", json_get_string(e, "path") ?: "");
		d->v2 = v2 ? YAJL_IS_TRUE(v2) : (cg->v2 || !strcmp(d->name, "unified"));
		if (d->v2)
			d->controllers[0] = '\0';
		json_get_int(e, "created", &created);
		d->created = (int)created;
	}
	*ret = cg;
	return 0;
}

/* ---- processes ---------------------------------------------------------------- */

/* The directory whose cgroup.procs lists every process of the container:
 * on v1 the pids or memory hierarchy, which every container joins. */
static const struct cgroup_dir *procs_dir(const struct cgroup *cg)
{
	static const char *const preferred[] = { "pids", "memory", "freezer", "cpu" };

	if (cg->v2 || !cg->n)
		return cg->n ? &cg->dirs[0] : NULL;
	for (size_t k = 0; k < ARRAY_SIZE(preferred); k++) {
		const struct cgroup_dir *d = cg_v1_dir(cg, preferred[k]);
		if (d)
			return d;
	}
	return &cg->dirs[0];
}

int cgroup_pids(const struct cgroup *cg, pid_t **ret, size_t *ret_n, struct hako_err *err)
{
	const struct cgroup_dir *d = procs_dir(cg);
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (!d)
		return 0;
	r = cg_procs_recursive(d->path, ret, ret_n);
	if (r < 0 && r != -ENOENT)
		return hako_fail(err, -r, "read cgroup", d->path, "cannot list the processes of "
				 "cgroup '%s'", d->path);
	return 0;
}

/* The freezer to pause with: the v1 hierarchy, else cgroup.freeze of the
 * cgroup2 tree (pure v2, or the hybrid's "unified"). */
static const struct cgroup_dir *freezer(const struct cgroup *cg, bool *v2)
{
	const struct cgroup_dir *d = cg->v2 ? NULL : cg_v1_dir(cg, "freezer");

	*v2 = !d;
	return d ? d : cg_v2_dir(cg);
}

int cgroup_freeze(const struct cgroup *cg, bool freeze, struct hako_err *err)
{
	bool v2;
	const struct cgroup_dir *d = freezer(cg, &v2);

	if (!d) {
		int r = hako_fail(err, ENODEV, "freeze", NULL,
				  "cannot %s the container: this host has neither the cgroup v1 "
				  "freezer nor a cgroup2 hierarchy",
				  freeze ? "pause" : "resume");
		hako_err_hint(err, "mount the freezer hierarchy on " CGROUP_ROOT "/freezer");
		return r;
	}
	return v2 ? cg_v2_freeze(d, freeze, err) : cg_v1_freeze(d, freeze, err);
}

bool cgroup_empty(const struct cgroup *cg)
{
	const struct cgroup_dir *u = cg_v2_dir(cg);
	_cleanup_free_ pid_t *pids = NULL;
	_cleanup_free_ char *events = NULL;
	size_t n = 0;

	/* cgroup2 counts the whole subtree for us: one read */
	if (u && cg_read(u->path, "cgroup.events", &events) == 0)
		return strstr(events, "populated 0") != NULL;
	return cgroup_pids(cg, &pids, &n, NULL) == 0 && n == 0;
}

bool cgroup_is_frozen(const struct cgroup *cg)
{
	bool v2;
	const struct cgroup_dir *d = cg ? freezer(cg, &v2) : NULL;

	if (!d)
		return false;
	return v2 ? cg_v2_frozen(d) : cg_v1_frozen(d);
}

int cgroup_signal_all(const struct cgroup *cg, int sig, struct hako_err *err)
{
	const struct cgroup_dir *u = cg_v2_dir(cg);
	_cleanup_free_ pid_t *pids = NULL;
	bool was_frozen;
	size_t n;
	int r = 0;

	/* cgroup.kill (5.14) kills every process at once, forks included; on
	 * the hybrid layout the container's processes are in "unified" too.  A
	 * process frozen by the v1 freezer dies only once thawed. */
	if (sig == SIGKILL && u && cg_v2_kill(u, NULL) == 0) {
		if (cgroup_is_frozen(cg))
			cgroup_freeze(cg, false, NULL);
		return 0;
	}
	was_frozen = cgroup_is_frozen(cg);
	if (!was_frozen)
		cgroup_freeze(cg, true, NULL); /* best effort: no freezer, no freeze */
	r = cgroup_pids(cg, &pids, &n, err);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			r = hako_fail(err, errno, "kill", NULL, "cannot send signal %d to pid %d", sig,
				      (int)pids[i]);
	/* a frozen process dies only once thawed */
	if (!was_frozen || sig == SIGKILL)
		cgroup_freeze(cg, false, NULL);
	return r;
}

int cgroup_update(struct cgroup *cg, const struct spec_resources *r, struct hako_err *err)
{
	return cg_apply(cg, r, NULL, true, err);
}

/* ---- removal ---------------------------------------------------------------- */

/* rmdir of a cgroup whose last process is exiting can fail with EBUSY
 * for a moment; retry for up to about two seconds. */
static int rmdir_retry(const char *path)
{
	for (int i = 0; i < 200; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return -EBUSY;
}

/* Cgroups the container made below its own (a nested runtime, systemd):
 * depth first, they have to go before the container's. */
static void remove_children(const char *path, int depth)
{
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *e;

	while (d && depth < 32 && (e = readdir(d))) {
		char sub[CG_PATH_MAX];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= sizeof(sub))
			continue;
		remove_children(sub, depth + 1);
		rmdir_retry(sub);
	}
}

int cgroup_destroy(struct cgroup *cg, struct hako_err *err)
{
	int first = 0;

	for (size_t i = 0; cg && i < cg->n; i++) {
		struct cgroup_dir *d = &cg->dirs[i];
		char path[CG_PATH_MAX];

		snprintf(path, sizeof(path), "%s", d->path);
		/* sub-cgroups (a nested runtime, systemd) are rare: look for them
		 * only when the container's own directory does not go at once */
		if (d->created > 0 && rmdir(path) < 0 && errno != ENOENT)
			remove_children(path, 0);
		for (int level = 0; level < d->created; level++) {
			int r = rmdir_retry(path);
			/* only the container's own directory must go; shared parents
			 * may hold other containers */
			if (r < 0 && level == 0 && !first) {
				_cleanup_free_ pid_t *pids = NULL;
				char who[400] = "";
				size_t n = 0;
				cg_procs_recursive(path, &pids, &n);
				cg_describe_pids(pids, n, who, sizeof(who));
				first = hako_fail(err, -r, "rmdir cgroup", path,
						  "cannot remove cgroup '%s'%s%s", path,
						  n ? ": processes still in it: " : "", who);
			}
			if (r < 0)
				break;
			char *slash = strrchr(path, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
		d->created = 0;
	}
	return first;
}
