/* sysctl.h - writing linux.sysctl inside the container. */
#ifndef HAKO_LINUX_SYSCTL_H
#define HAKO_LINUX_SYSCTL_H

#include "spec/config.h"
#include "util/err.h"

/* In the init after pivot_root, before /proc/sys is made read-only: the
 * container's /proc belongs to its namespaces, so the values never reach
 * the host's (spec/sysctl_rules.c checked that each key is namespaced). */
int sysctl_apply(const struct spec *s, struct hako_err *err);

/* Reword a failed write of `key` by its errno (ENOENT: not in this
 * namespace on this kernel; EACCES: read-only there; EINVAL: the value),
 * naming the kernel release.  `hako check` uses it for its predictions. */
void sysctl_explain(const char *key, const char *value, struct hako_err *err);

#endif
