/* ns.h - creating the container's init inside its namespaces.
 *
 * Three ways, cheapest first (see ns_spawn() for why each exists):
 *   1. nothing to join: one clone3() with every CLONE_NEW* flag;
 *   2. joins, no user namespace involved: clone3() with the new flags, pid
 *      and time namespaces joined by hako itself around the clone (they act
 *      on children), the others joined by the init;
 *   3. a user namespace joined, or created together with joins: an
 *      intermediate process joins, unshares, and forks the init, because
 *      namespaces must be joined while hako still holds its host privileges
 *      and created after the user namespace that is to own them.
 */
#ifndef HAKO_LINUX_NS_H
#define HAKO_LINUX_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

struct ns_plan {
	unsigned long new_flags;  /* CLONE_NEW* to create (time excluded: see ns.c) */
	unsigned long late_flags; /* created by the init itself: CLONE_NEWCGROUP when
				   * the init must first join a v1 cgroup */
	int join_fd[NS_MAX];      /* namespaces to join, -1 if none */
	bool new_user, new_time;
	bool intermediate;
	int cgroup_fd; /* cgroup v2 directory for CLONE_INTO_CGROUP, or -1 */
	const struct spec_time_offset *time_offsets;
	size_t n_time_offsets;
};

/* `cgroup_fd`: a v2 cgroup to clone into, or -1 (then CLONE_NEWCGROUP is
 * left to the init, after it joined its cgroups).  Opens and type-checks
 * every namespace path. */
int ns_plan_init(const struct spec *s, int cgroup_fd, struct ns_plan *p, struct hako_err *err);
void ns_plan_release(struct ns_plan *p);

struct ns_spawn_ops {
	/* In the first process created, before it joins or creates anything,
	 * while it still has hako's privileges - unless the clone itself made
	 * a new user namespace (in_new_userns).  Where a v1 cgroup is joined. */
	int (*early)(void *arg, bool in_new_userns, struct hako_err *err);
	/* The init, running in its namespaces; must not return on success. */
	int (*init)(void *arg);
	/* In hako, when the new user namespace exists: write the id maps of
	 * `pid` (and join it to v1 cgroups, which the mapped init cannot). */
	int (*on_userns)(pid_t pid, void *arg, struct hako_err *err);
	void *arg;
};

/* Start the init.  `sync_fd` is the init's end of the sync socket (used
 * by the init and the intermediate), `parent_fd` hako's end.  Returns the
 * init's pid in hako's pid namespace and a pidfd for it. */
int ns_spawn(struct ns_plan *p, int sync_fd, int parent_fd, const struct ns_spawn_ops *ops,
	     pid_t *ret_pid, int *ret_pidfd, struct hako_err *err);

/* CLONE_NEW* flag of a namespace type. */
int ns_clone_flag(enum ns_type t);

/* setns() into the namespace of type t at `path` (for exec and checks). */
int ns_join_path(const char *path, enum ns_type t, struct hako_err *err);

#endif
