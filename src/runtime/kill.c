/* kill.c - signals for a container's processes. */
#include "runtime/container.h"

#include <errno.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "runtime/state.h"
#include "util/cleanup.h"

int container_kill(const char *root, const char *id, int sig, bool all, struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	_cleanup_close_ int pidfd = -1;
	enum container_status status;
	int r;

	if ((r = state_open(root, id, &st, err)) < 0)
		return r;
	status = state_status(st);
	if (status == STATUS_STOPPED || status == STATUS_CREATING) {
		r = hako_fail(err, 0, "kill", NULL, "cannot signal container \"%s\": it is %s", id,
			      status_name(status));
		return r;
	}
	if (all && st->cgroup) {
		if ((r = cgroup_open(st->cgroup, &cg, err)) < 0)
			return r;
		return cgroup_signal_all(cg, sig, err);
	}
	/* A pidfd, checked against the start time, cannot hit a reused pid. */
	pidfd = pidfd_open(st->pid, 0);
	if (pidfd < 0 || !process_alive(st->pid, st->pid_start))
		return hako_fail(err, ESRCH, "kill", NULL, "container \"%s\" is not running", id);
	if (pidfd_send_signal(pidfd, sig, NULL, 0) < 0)
		return hako_fail(err, errno, "kill", NULL, "cannot send signal %d to container \"%s\"",
				 sig, id);
	return 0;
}
