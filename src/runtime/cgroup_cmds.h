/* cgroup_cmds.h - the commands that act on a container through its cgroup:
 * pause, resume, update, ps, events (runc's verbs of the same names). */
#ifndef HAKO_RUNTIME_CGROUP_CMDS_H
#define HAKO_RUNTIME_CGROUP_CMDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/err.h"

/* Freeze every process of a running container / thaw a paused one. */
int container_pause(const char *root, const char *id, struct hako_err *err);
int container_resume(const char *root, const char *id, struct hako_err *err);

/* Write the resources of `json` (an OCI LinuxResources object) to a
 * created, running or paused container's cgroup. */
int container_update(const char *root, const char *id, const char *json, struct hako_err *err);

/* `hako ps`: with `json`, the container's pids as a JSON array; else ps(1)
 * run with `ps_args` (NULL: "-ef") and its lines cut down to the
 * container's processes.  The text goes to `out`. */
int container_ps(const char *root, const char *id, bool json, char *const *ps_args,
		 struct buf *out, struct hako_err *err);

/* `hako events`: runc's JSON events, one line each through emit():
 * {"type":"stats","id":...,"data":{...}} every interval (or once with
 * stats_only) and {"type":"oom","id":...} when the kernel reports an OOM.
 * Returns when the container stops. */
struct events_opts {
	bool stats_only;
	unsigned interval_ms;
	void (*emit)(const char *line, void *arg);
	void *arg;
};
int container_events(const char *root, const char *id, const struct events_opts *o,
		     struct hako_err *err);

#endif
