/* seccomp_groups.h - systemd's syscall groups (@default, @memlock, ...) and
 * nspawn's capability -> syscall table, as data.
 *
 * Groups are accepted wherever a syscall name is (config.json, the command
 * line) and expanded at load time.  The capability table says which
 * syscalls a granted capability makes useful, so the default profile allows
 * them and `hako check` can say "CAP_IPC_LOCK is granted but @memlock is
 * denied" and the reverse.
 */
#ifndef HAKO_LINUX_SECCOMP_GROUPS_H
#define HAKO_LINUX_SECCOMP_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

struct syscall_group {
	const char *name;            /* "@memlock" */
	const char *help;            /* one line */
	const char *const *members;  /* syscall names and nested "@groups", NULL-terminated */
};

/* All groups, in the order `hako seccomp groups` prints them. */
const struct syscall_group *seccomp_groups(size_t *ret_n);

/* "@memlock" -> its record; NULL if unknown. */
const struct syscall_group *seccomp_group_find(const char *name);

/* Call fn for every syscall name of `name` (a syscall or an @group,
 * nested groups expanded, each name once).  Returns -ENOENT for an
 * unknown @group. */
int seccomp_expand(const char *name, void (*fn)(const char *syscall, void *arg), void *arg);

/* The smallest group that holds `syscall` ("mlockall" -> "@memlock"), for
 * messages; NULL if none.  @privileged and @system-service, which collect
 * other groups, are never the answer: "allow @privileged" is no advice. */
const char *seccomp_group_of(const char *syscall);

/* nspawn's table: the syscalls (names or @groups) a capability makes
 * useful (CAP_IPC_LOCK -> @memlock); NULL-terminated, or NULL. */
const char *const *seccomp_cap_syscalls(int cap);

/* The capability whose grant implies `syscall`, or -1. */
int seccomp_cap_for_syscall(const char *syscall);

#endif
