/* cgroup_hier.h - the host's cgroup hierarchies, as /proc/self/mountinfo
 * and /proc/self/cgroup describe them. */
#ifndef HAKO_LINUX_CGROUP_HIER_H
#define HAKO_LINUX_CGROUP_HIER_H

#include <stddef.h>

#include "util/err.h"

struct cgroup_hier {
	char name[64];         /* directory below /sys/fs/cgroup ("memory", "unified");
				  "" when cgroup2 is mounted on /sys/fs/cgroup itself */
	char type[16];         /* "cgroup" or "cgroup2" */
	char controllers[256]; /* "memory", "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
};

int cgroup_hierarchies(struct cgroup_hier **ret, size_t *ret_n, struct hako_err *err);

/* This process's path in the hierarchy, from /proc/self/cgroup. */
int cgroup_own_path(const struct cgroup_hier *h, char *out, size_t size);

#endif
