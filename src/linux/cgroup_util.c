/* cgroup_util.c - reading and writing cgroup files, finding hierarchies. */
#include "linux/cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

bool cg_v1_has(const struct cgroup_dir *d, const char *controller)
{
	size_t len = strlen(controller);

	if (d->v2)
		return false;
	for (const char *p = d->controllers; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == len && !strncmp(p, controller, len))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

struct cgroup_dir *cg_v1_dir(const struct cgroup *cg, const char *controller)
{
	for (size_t i = 0; cg && i < cg->n; i++)
		if (cg_v1_has(&cg->dirs[i], controller))
			return &cg->dirs[i];
	return NULL;
}

struct cgroup_dir *cg_v2_dir(const struct cgroup *cg)
{
	for (size_t i = 0; cg && i < cg->n; i++)
		if (cg->dirs[i].v2)
			return &cg->dirs[i];
	return NULL;
}

void cg_file(const char *dir, const char *file, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", dir, file);
}

bool cg_exists(const char *dir, const char *file)
{
	char path[CG_PATH_MAX + 128];

	cg_file(dir, file, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int cg_read(const char *dir, const char *file, char **ret)
{
	char path[CG_PATH_MAX + 128];
	char *text = NULL;
	size_t len = 0;
	int r;

	cg_file(dir, file, path, sizeof(path));
	r = read_file_at(AT_FDCWD, path, &text, &len, NULL);
	if (r < 0)
		return r;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	*ret = text;
	return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *ret)
{
	_cleanup_free_ char *text = NULL;
	unsigned long long v;
	int r = cg_read(dir, file, &text);

	if (r < 0)
		return r;
	if (!strcmp(text, "max")) {
		*ret = UINT64_MAX;
		return 0;
	}
	/* v1 prints "no limit" as a huge signed value; negative means unlimited */
	if (text[0] == '-') {
		*ret = UINT64_MAX;
		return 0;
	}
	if (parse_u64(text, &v) < 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *ret)
{
	_cleanup_free_ char *text = NULL;
	size_t klen = strlen(key);
	int r = cg_read(dir, file, &text);

	if (r < 0)
		return r;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			*ret = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

int cg_write(const char *dir, const char *file, const char *value, const char *config,
	     struct hako_err *err)
{
	char path[CG_PATH_MAX + 128];
	int r;

	cg_file(dir, file, path, sizeof(path));
	r = write_file_at(AT_FDCWD, path, value, strlen(value), 0, 0, NULL);
	if (r == 0)
		return 0;
	r = -r;
	hako_fail(err, r, "write cgroup", path, "%s%scannot write \"%s\" to '%s'",
		  config ? config : "", config ? ": " : "", value, path);
	if (r == ENOENT)
		hako_err_hint(err, "the kernel has no %s in this cgroup: the controller is not "
				   "enabled or this kernel lacks the feature",
			      file);
	if (config)
		hako_err_config(err, "%s", config);
	return -r;
}

int cg_writef(const char *dir, const char *file, const char *config, struct hako_err *err,
	      const char *fmt, ...)
{
	char value[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	return cg_write(dir, file, value, config, err);
}

bool cg_word_in(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		size_t n = strcspn(p, " \n");
		if (n == len && !strncmp(p, word, len))
			return true;
		p += n;
	}
	return false;
}

int cg_missing(struct hako_err *err, const char *config, const char *controller,
	       const struct cgroup *cg)
{
	int r;

	if (cg && cg->v2) {
		r = hako_fail(err, 0, "cgroup controller", NULL,
			      "%s needs the %s cgroup controller, which is not available in this "
			      "cgroup v2 hierarchy",
			      config, controller);
		hako_err_hint(err, "the controller is missing from /sys/fs/cgroup/cgroup.controllers "
				   "(or from a parent's); enable it in the kernel or remove %s "
				   "from config.json",
			      config);
	} else {
		r = hako_fail(err, 0, "cgroup controller", NULL,
			      "%s needs the %s cgroup controller, which is not mounted on this "
			      "host (no cgroup v1 hierarchy under " CGROUP_ROOT
			      " has it, see /proc/cgroups)",
			      config, controller);
		hako_err_hint(err, "mount the %s hierarchy, or remove %s from config.json",
			      controller, config);
	}
	hako_err_config(err, "%s", config);
	return r;
}

static void add_procs(const char *dir, pid_t **pids, size_t *n)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (cg_read(dir, "cgroup.procs", &text) < 0)
		return;
	for (char *t = strtok_r(text, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		int pid = atoi(t);
		if (pid <= 0)
			continue; /* kill(0) or kill(-1) would hit far more than the container */
		*pids = xrealloc(*pids, (*n + 1) * sizeof(pid_t));
		(*pids)[(*n)++] = pid;
	}
}

/* Depth-first; a container may make cgroups of its own below its cgroup. */
static void walk_procs(const char *dir, int depth, pid_t **pids, size_t *n)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *e;

	add_procs(dir, pids, n);
	if (depth > 32 || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		char sub[CG_PATH_MAX];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >= sizeof(sub))
			continue;
		walk_procs(sub, depth + 1, pids, n);
	}
}

int cg_procs_recursive(const char *dir, pid_t **pids, size_t *n)
{
	*pids = NULL;
	*n = 0;
	if (access(dir, F_OK) < 0)
		return -errno;
	walk_procs(dir, 0, pids, n);
	return 0;
}

void cg_describe_pids(const pid_t *pids, size_t n, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && i < 5; i++) {
		char path[64], cmd[128] = "";
		_cleanup_free_ char *text = NULL;
		size_t tlen = 0;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pids[i]);
		if (read_file_at(AT_FDCWD, path, &text, &tlen, NULL) == 0) {
			for (size_t k = 0; k + 1 < tlen; k++)
				if (text[k] == '\0')
					text[k] = ' ';
			snprintf(cmd, sizeof(cmd), "%s", text);
		}
		int w = snprintf(out + len, size - len, "%s%d (%s)", i ? ", " : "", (int)pids[i],
				 cmd[0] ? cmd : "?");
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
	if (n > 5)
		snprintf(out + len, size - len, " and %zu more", n - 5);
}
