/* rlimit.h - process.rlimits. */
#ifndef HAKO_LINUX_RLIMIT_H
#define HAKO_LINUX_RLIMIT_H

#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

/* Refuse, before anything is created, a hard limit above hako's own that
 * hako cannot raise (no CAP_SYS_RESOURCE): it would fail later anyway. */
int rlimit_check(const struct spec *s, struct hako_err *err);

/* Set the limits of `pid` from hako with prlimit(2): raising a hard limit
 * needs CAP_SYS_RESOURCE in the initial user namespace, which the init
 * no longer has once it is in its own user namespace. */
int rlimit_apply(pid_t pid, const struct spec *s, struct hako_err *err);

#endif
