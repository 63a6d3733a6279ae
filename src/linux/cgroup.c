/* cgroup.c - placing a container in cgroup v1 or v2 directories. */
#include "linux/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "linux/cgroup_hier.h"
#include "spec/json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

struct cgroup_dir {
	char name[64];   /* hierarchy directory below /sys/fs/cgroup ("" on v2) */
	char path[1024]; /* the container's cgroup directory */
	int created;     /* how many trailing path levels setup created */
};

struct cgroup {
	bool v2;
	struct cgroup_dir *dirs;
	size_t n;
	int v2_fd;
};

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

/* runtime-spec: an absolute cgroupsPath is below the hierarchy's root, a
 * relative one below hako's own cgroup; without one, /hako/<id>. */
static void container_path(const struct spec *s, const char *id, const struct cgroup_hier *h,
			   char *out, size_t size)
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
}

/* cgroup v1 cpuset: a new cgroup starts with empty cpuset.cpus and
 * cpuset.mems unless cgroup.clone_children is set, and joining it fails
 * with ENOSPC.  Copy the parent's values into each level we create (the
 * LXC story, seed 2). */
static int cpuset_inherit(const char *dir, struct hako_err *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char parent[1024];

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *mine = NULL, *theirs = NULL;
		char path[1200];
		int r;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (read_file_at(AT_FDCWD, path, &mine, NULL, NULL) < 0)
			continue;
		if (mine[0] != '\n' && mine[0] != '\0')
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, files[i]);
		if (read_file_at(AT_FDCWD, path, &theirs, NULL, err) < 0)
			return hako_err_code(err);
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		r = write_file_at(AT_FDCWD, path, theirs, strlen(theirs), 0, 0, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* mkdir -p, counting the levels made so destroy removes exactly those. */
static int make_dir(struct cgroup_dir *d, bool cpuset, struct hako_err *err)
{
	char *p;

	for (p = d->path + strlen(CGROUP_ROOT) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		int made = mkdir(d->path, 0755) == 0;
		int e = errno;
		*p = '/';
		if (!made && e != EEXIST)
			return hako_fail(err, e, "mkdir cgroup", d->path, "cannot create cgroup '%s'",
					 d->path);
		if (made) {
			d->created++;
			if (cpuset) {
				*p = '\0';
				int r = cpuset_inherit(d->path, err);
				*p = '/';
				if (r < 0)
					return r;
			}
		}
	}
	if (mkdir(d->path, 0755) == 0)
		d->created++;
	else if (errno != EEXIST)
		return hako_fail(err, errno, "mkdir cgroup", d->path, "cannot create cgroup '%s'",
				 d->path);
	if (cpuset)
		return cpuset_inherit(d->path, err);
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

		container_path(s, id, &h[i], rel, sizeof(rel));
		snprintf(d->name, sizeof(d->name), "%s", h[i].name);
		snprintf(d->path, sizeof(d->path), "%s%s%s%s", CGROUP_ROOT, h[i].name[0] ? "/" : "",
			 h[i].name, rel);
		r = make_dir(d, !strcmp(h[i].controllers, "cpuset"), err);
		if (r < 0) {
			hako_err_config(err, "linux.cgroupsPath");
			cgroup_destroy(cg, NULL);
			return r;
		}
	}
	if (cg->v2 && cg->n) {
		cg->v2_fd = open(cg->dirs[0].path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cg->v2_fd < 0) {
			r = hako_fail(err, errno, "open cgroup", cg->dirs[0].path,
				      "cannot open cgroup '%s'", cg->dirs[0].path);
			cgroup_destroy(cg, NULL);
			return r;
		}
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
		char path[1100];
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dirs[i].path);
		if (write_file_at(AT_FDCWD, path, value, strlen(value), 0, 0, err) < 0) {
			snprintf(err->step, sizeof(err->step), "write cgroup.procs");
			if (err->errnum == ENOSPC)
				hako_err_hint(err, "ENOSPC here means an empty cpuset.cpus or "
						   "cpuset.mems in '%s' or a parent, not a full disk",
					      cg->dirs[i].path);
			return hako_err_code(err);
		}
	}
	return 0;
}

void cgroup_record(const struct cgroup *cg, struct buf *out)
{
	buf_printf(out, "{\"v2\":%s,\"dirs\":[", cg->v2 ? "true" : "false");
	for (size_t i = 0; i < cg->n; i++) {
		buf_printf(out, "%s{\"name\":", i ? "," : "");
		buf_json_str(out, cg->dirs[i].name);
		buf_puts(out, ",\"path\":");
		buf_json_str(out, cg->dirs[i].path);
		buf_printf(out, ",\"created\":%d}", cg->dirs[i].created);
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
	for (size_t i = 0; i < dirs->u.array.len; i++) {
		yajl_val e = dirs->u.array.values[i];
		struct cgroup_dir *d = add_dir(cg);
		long long created = 0;
		snprintf(d->name, sizeof(d->name), "%s", json_get_string(e, "name") ?: "");
		snprintf(d->path, sizeof(d->path), "%s", json_get_string(e, "path") ?: "");
		json_get_int(e, "created", &created);
		d->created = (int)created;
	}
	*ret = cg;
	return 0;
}

/* The directory whose cgroup.procs lists every process of the container:
 * on v1 the pids or memory hierarchy, which every container joins. */
static const struct cgroup_dir *procs_dir(const struct cgroup *cg)
{
	static const char *const preferred[] = { "pids", "memory", "freezer", "cpu" };

	if (cg->v2 || !cg->n)
		return cg->n ? &cg->dirs[0] : NULL;
	for (size_t k = 0; k < ARRAY_SIZE(preferred); k++)
		for (size_t i = 0; i < cg->n; i++)
			if (!strcmp(cg->dirs[i].name, preferred[k]))
				return &cg->dirs[i];
	return &cg->dirs[0];
}

int cgroup_pids(const struct cgroup *cg, pid_t **ret, size_t *ret_n, struct hako_err *err)
{
	const struct cgroup_dir *d = procs_dir(cg);
	_cleanup_free_ char *text = NULL;
	char path[1100], *save = NULL;
	pid_t *pids = NULL;
	size_t n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!d)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", d->path);
	if (read_file_at(AT_FDCWD, path, &text, NULL, err) < 0)
		return err->errnum == ENOENT ? 0 : hako_err_code(err);
	for (char *t = strtok_r(text, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		int pid = atoi(t);
		if (pid <= 0)
			continue; /* kill(0) or kill(-1) would hit far more than the container */
		pids = xrealloc(pids, (n + 1) * sizeof(pid_t));
		pids[n++] = pid;
	}
	*ret = pids;
	*ret_n = n;
	return 0;
}

int cgroup_signal_all(const struct cgroup *cg, int sig, struct hako_err *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n;
	int r = cgroup_pids(cg, &pids, &n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			return hako_fail(err, errno, "kill", NULL, "cannot signal pid %d",
					 (int)pids[i]);
	return 0;
}

bool cgroup_is_frozen(const struct cgroup *cg)
{
	(void)cg;
	return false;
}

/* rmdir of a cgroup whose last process is exiting can fail with EBUSY
 * for a moment; retry for up to about a second. */
static int rmdir_retry(const char *path)
{
	for (int i = 0; i < 100; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return -EBUSY;
}

int cgroup_destroy(struct cgroup *cg, struct hako_err *err)
{
	int first = 0;

	for (size_t i = 0; cg && i < cg->n; i++) {
		struct cgroup_dir *d = &cg->dirs[i];
		char path[1024];

		snprintf(path, sizeof(path), "%s", d->path);
		for (int level = 0; level < d->created; level++) {
			int r = rmdir_retry(path);
			/* only the container's own directory must go; shared parents
			 * may hold other containers */
			if (r < 0 && level == 0 && !first)
				first = hako_fail(err, -r, "rmdir cgroup", path,
						  "cannot remove cgroup '%s'", path);
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
