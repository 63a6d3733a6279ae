/* destroy.c - tearing a container down. */
#include "runtime/destroy.h"

#include <signal.h>

#include "runtime/hooks.h"
#include "util/cleanup.h"
#include "util/log.h"

int container_destroy(struct container_state *st, struct cgroup *cg,
		      const struct spec_hooks *hooks, struct hako_err *err)
{
	int r = 0;

	if (cg) {
		/* Processes outside a pid namespace of their own outlive the
		 * init; nothing of the container may stay behind. */
		struct hako_err ignored;
		if (!cgroup_empty(cg))
			cgroup_signal_all(cg, SIGKILL, &ignored);
		r = cgroup_destroy(cg, err);
		/* Keep the state: without it nothing could find the cgroup to
		 * try again, and it would be left behind for good. */
		if (r < 0) {
			hako_err_hint(err, "the container's state is kept; once its processes are "
					   "gone, 'hako delete --force %s' removes the cgroup",
				      st->id);
			return r;
		}
	}
	if (hooks && hooks->n[HOOK_POSTSTOP]) {
		_cleanup_free_ char *state = state_oci_json(st, STATUS_STOPPED);
		hooks_run_warn(hooks, HOOK_POSTSTOP, state);
	}
	state_remove(st);
	return r;
}
