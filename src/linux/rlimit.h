/* rlimit.h - process.rlimits. */
#ifndef HAKO_LINUX_RLIMIT_H
#define HAKO_LINUX_RLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

/* Refuse, before anything is created, a hard limit above hako's own that
 * hako cannot raise (no CAP_SYS_RESOURCE in the initial user namespace),
 * and RLIMIT_NOFILE above fs.nr_open: both would fail later anyway.  The
 * error names the entry, the requested and the possible value, and where
 * to raise the limit. */
int rlimit_check(const struct spec *s, struct hako_err *err);

/* One entry (process.rlimits[i]); `can_raise` from rlimit_can_raise(). */
int rlimit_check_one(const struct spec_rlimit *rl, size_t i, bool can_raise,
		     struct hako_err *err);

/* hako holds CAP_SYS_RESOURCE where prlimit(2) asks for it. */
bool rlimit_can_raise(void);

/* hako runs in the initial user namespace (not rootless, not nested). */
bool rlimit_in_initial_userns(void);

/* "8388608 (8 MiB)", "unlimited" for messages; with a unit after the
 * number: "8388608 bytes (8 MiB)". */
void rlimit_format(uint64_t v, char *out, size_t size);
void rlimit_format_unit(uint64_t v, const char *unit, char *out, size_t size);

/* Set the limits of `pid` (0: the caller) with prlimit(2).  Who calls it
 * matters (runtime/init.c and create.c): the init itself, before its
 * uid switch, when it still has hako's capabilities; hako, with the
 * init's pid, when the init is in a user namespace - there it lost them
 * (raising a hard limit needs CAP_SYS_RESOURCE in the initial user
 * namespace), while hako, owner of that namespace, may change a process
 * in it whatever its uid. */
int rlimit_apply(pid_t pid, const struct spec *s, struct hako_err *err);

#endif
