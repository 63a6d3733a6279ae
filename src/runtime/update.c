/* update.c - `hako update`: new resources for a live container. */
#include "runtime/cgroup_cmds.h"

#include <errno.h>

#include "linux/cgroup.h"
#include "runtime/state.h"
#include "spec/resources_json.h"
#include "util/cleanup.h"
#include "util/log.h"

int container_update(const char *root, const char *id, const char *json, struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	_cleanup_spec_ struct spec *s = NULL;
	enum container_status status;
	int r;

	if ((r = state_open(root, id, &st, err)) < 0)
		return r;
	status = state_status(st);
	if (status != STATUS_CREATED && status != STATUS_RUNNING && status != STATUS_PAUSED)
		return hako_fail(err, 0, "update", NULL,
				 "cannot update container \"%s\": it is %s (only a created, running "
				 "or paused container has resources to change)",
				 id, status_name(status));
	if ((r = spec_load_resources(json, &s, err)) < 0)
		return r;
	if (!st->cgroup)
		return hako_fail(err, ENOENT, "update", NULL,
				 "container \"%s\" has no cgroup record in its state", id);
	if ((r = cgroup_open(st->cgroup, &cg, err)) < 0)
		return r;
	/* runc does not change device rules on update either: they were part
	 * of what create set up, with the device nodes */
	if (s->lnx.resources.n_devices)
		hako_warn("linux.resources.devices is not updated; the rules from create stay");
	return cgroup_update(cg, &s->lnx.resources, err);
}
