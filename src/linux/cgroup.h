/* cgroup.h - a container's cgroup, one interface over cgroup v1 (and the
 * hybrid layout) and cgroup v2.
 *
 * Lifecycle: cgroup_setup() in hako before the init exists (create the
 * directories, apply linux.resources); the init enters it - on v2 by
 * clone3(CLONE_INTO_CGROUP) with cgroup_clone_fd(), on v1 by
 * cgroup_enter(); its record goes into state.json (cgroup_record) so that
 * later commands reopen it (cgroup_open); cgroup_destroy() removes what
 * setup created, on delete and on every failure of create.
 *
 * Paths (linux.cgroupsPath): absolute = below each hierarchy's root,
 * relative = below hako's own cgroup in each hierarchy, absent =
 * /hako/<id>.  A cgroup left at that path by a crashed start is reused
 * when it holds no process, and refused (naming its processes) when it
 * does.
 */
#ifndef HAKO_LINUX_CGROUP_H
#define HAKO_LINUX_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>
#include <yajl/yajl_tree.h>

#include "spec/config.h"
#include "util/buf.h"
#include "util/err.h"

struct cgroup;

/* The host's layout: cgroup2 mounted at /sys/fs/cgroup, or v1 (with or
 * without a cgroup2 "unified" beside it). */
bool cgroup_host_v2(void);

/* Create the container's cgroups and apply s->lnx.resources. */
int cgroup_setup(const struct spec *s, const char *id, struct cgroup **ret,
		 struct hako_err *err);

/* v2: an O_PATH fd of the directory, for CLONE_INTO_CGROUP (when the
 * kernel has it, Linux 5.7); -1 otherwise: the init joins by writing
 * cgroup.procs (cgroup_enter). */
int cgroup_clone_fd(const struct cgroup *cg);

/* Move `pid` (0: the caller) into the container's cgroup(s). */
int cgroup_enter(const struct cgroup *cg, pid_t pid, struct hako_err *err);

/* The JSON record for state.json, and reopening from it. */
void cgroup_record(const struct cgroup *cg, struct buf *out);
int cgroup_open(yajl_val record, struct cgroup **ret, struct hako_err *err);

/* Processes in the container's cgroup and the cgroups below it. */
int cgroup_pids(const struct cgroup *cg, pid_t **ret, size_t *ret_n, struct hako_err *err);

/* Send sig to every process in the cgroup: SIGKILL through cgroup.kill
 * where the kernel has it, else pid by pid with the cgroup frozen so that
 * nothing forks away meanwhile. */
int cgroup_signal_all(const struct cgroup *cg, int sig, struct hako_err *err);

/* Pause / resume: the v1 freezer, or cgroup.freeze on cgroup2. */
int cgroup_freeze(const struct cgroup *cg, bool freeze, struct hako_err *err);
bool cgroup_is_frozen(const struct cgroup *cg);

/* No process in the container's cgroup or below it.  (Cheap: cleanup asks
 * it first, because killing an empty cgroup still costs a freeze or an
 * RCU grace period.) */
bool cgroup_empty(const struct cgroup *cg);

/* `hako update`: write the resources given, leave the others alone. */
int cgroup_update(struct cgroup *cg, const struct spec_resources *r, struct hako_err *err);

/* The stats object of runc's `events` JSON ({"cpu":..,"memory":..,...}). */
int cgroup_stats(const struct cgroup *cg, struct buf *out, struct hako_err *err);

/* OOM notification for `events`: a pollable fd; cgroup_oom_events() tells
 * how many OOM events happened since the last call (0 on a spurious
 * wake-up), -ENOENT once the cgroup is gone. */
struct cgroup_oom;
int cgroup_oom_open(const struct cgroup *cg, struct cgroup_oom **ret, struct hako_err *err);
int cgroup_oom_fd(const struct cgroup_oom *o);
int cgroup_oom_events(struct cgroup_oom *o);
void cgroup_oom_free(struct cgroup_oom *o);

/* Remove the directories setup created (and any the container made below
 * them), waiting briefly for exiting processes to leave. */
int cgroup_destroy(struct cgroup *cg, struct hako_err *err);

void cgroup_free(struct cgroup *cg);
static inline void cgroup_freep(struct cgroup **cg)
{
	cgroup_free(*cg);
}
#define _cleanup_cgroup_ __attribute__((cleanup(cgroup_freep)))

#endif
