/* cgroup_hier.c - listing cgroup hierarchies. */
#include "linux/cgroup_hier.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* The options of a v1 mount that name its hierarchy: controllers and name=. */
static void hierarchy_controllers(const char *super, char *out, size_t size)
{
	_cleanup_free_ char *copy = xstrdup(super);
	char *save = NULL;
	size_t len = 0;

	out[0] = '\0';
	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (!strcmp(o, "rw") || !strcmp(o, "ro") || !strcmp(o, "clone_children") ||
		    !strcmp(o, "noprefix") || !strcmp(o, "xattr") || !strcmp(o, "cpuset_v2_mode") ||
		    !strncmp(o, "release_agent=", 14))
			continue;
		int n = snprintf(out + len, size - len, "%s%s", len ? "," : "", o);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

int cgroup_hierarchies(struct cgroup_hier **ret, size_t *ret_n, struct hako_err *err)
{
	_cleanup_fclose_ FILE *mi = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	struct cgroup_hier *h = NULL;
	size_t cap = 0, n = 0;

	if (!mi)
		return hako_fail(err, errno, "open", "/proc/self/mountinfo",
				 "cannot read the mount table");
	while (getline(&line, &cap, mi) > 0) {
		char mountpoint[512], type[32], super[512];
		const char *sep = strstr(line, " - "), *name;

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mountpoint) != 1 ||
		    sscanf(sep + 3, "%31s %*s %511s", type, super) != 2)
			continue;
		if (strcmp(type, "cgroup") && strcmp(type, "cgroup2"))
			continue;
		if (!strcmp(mountpoint, CGROUP_ROOT))
			name = "";
		else if (!strncmp(mountpoint, CGROUP_ROOT "/", sizeof(CGROUP_ROOT)) &&
			 !strchr(mountpoint + sizeof(CGROUP_ROOT), '/'))
			name = mountpoint + sizeof(CGROUP_ROOT);
		else
			continue;
		h = xrealloc(h, (n + 1) * sizeof(*h));
		memset(&h[n], 0, sizeof(*h));
		snprintf(h[n].name, sizeof(h[n].name), "%s", name);
		snprintf(h[n].type, sizeof(h[n].type), "%s", type);
		if (!strcmp(type, "cgroup"))
			hierarchy_controllers(super, h[n].controllers, sizeof(h[n].controllers));
		n++;
	}
	*ret = h;
	*ret_n = n;
	return 0;
}

int cgroup_own_path(const struct cgroup_hier *h, char *out, size_t size)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;
	const char *want = strcmp(h->type, "cgroup2") ? h->controllers : "";

	if (read_file_at(AT_FDCWD, "/proc/self/cgroup", &text, NULL, NULL) < 0)
		return -ENOENT;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		if (!strcmp(c1 + 1, want)) {
			snprintf(out, size, "%s", c2 + 1);
			return 0;
		}
	}
	return -ENOENT;
}
