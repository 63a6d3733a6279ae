/* pause.c - `hako pause` and `hako resume`: the freezer of the container's
 * cgroup.  `state` then says "paused" (state_status asks the cgroup). */
#include "runtime/cgroup_cmds.h"

#include <errno.h>

#include "linux/cgroup.h"
#include "runtime/state.h"
#include "util/cleanup.h"

static int freeze(const char *root, const char *id, bool pause, struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	enum container_status want = pause ? STATUS_RUNNING : STATUS_PAUSED, status;
	int r;

	if ((r = state_open(root, id, &st, err)) < 0)
		return r;
	status = state_status(st);
	if (status != want) {
		r = hako_fail(err, 0, pause ? "pause" : "resume", NULL,
			      "cannot %s container \"%s\": it is %s, not %s", pause ? "pause" : "resume",
			      id, status_name(status), status_name(want));
		if (pause && status == STATUS_CREATED)
			hako_err_hint(err, "start it first ('hako start %s')", id);
		return r;
	}
	if (!st->cgroup)
		return hako_fail(err, ENOENT, pause ? "pause" : "resume", NULL,
				 "container \"%s\" has no cgroup record in its state", id);
	if ((r = cgroup_open(st->cgroup, &cg, err)) < 0)
		return r;
	return cgroup_freeze(cg, pause, err);
}

int container_pause(const char *root, const char *id, struct hako_err *err)
{
	return freeze(root, id, true, err);
}

int container_resume(const char *root, const char *id, struct hako_err *err)
{
	return freeze(root, id, false, err);
}
