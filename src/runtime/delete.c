/* delete.c - removing a container: what create made, and nothing else. */
#include "runtime/container.h"

#include <errno.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "runtime/destroy.h"
#include "runtime/state.h"
#include "spec/json.h"
#include "util/cleanup.h"

/* SIGKILL the init and wait (briefly) until it is gone. */
static int kill_init(struct container_state *st, struct hako_err *err)
{
	_cleanup_close_ int pidfd = pidfd_open(st->pid, 0);
	struct pollfd pfd;

	if (pidfd < 0 || !process_alive(st->pid, st->pid_start))
		return 0;
	if (pidfd_send_signal(pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
		return hako_fail(err, errno, "kill", NULL, "cannot kill container \"%s\"", st->id);
	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	while (poll(&pfd, 1, 10000) < 0 && errno == EINTR)
		;
	return 0;
}

int container_delete(const char *root, const char *id, bool force, struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	struct spec_hooks hooks = { 0 };
	struct arena arena = { 0 };
	enum container_status status;
	int r;

	if ((r = state_open(root, id, &st, err)) < 0)
		return r;
	status = state_status(st);
	/* runc deletes a created container without --force (clients such as
	 * containerd rely on it); a running or paused one needs --force. */
	if ((status == STATUS_RUNNING || status == STATUS_PAUSED) && !force) {
		r = hako_fail(err, 0, "delete", NULL, "cannot delete container \"%s\": it is %s", id,
			      status_name(status));
		hako_err_hint(err, "stop it first ('hako kill %s KILL') or use 'hako delete --force'",
			      id);
		return r;
	}
	if (st->cgroup && (r = cgroup_open(st->cgroup, &cg, err)) < 0)
		return r;
	/* a frozen (paused) init dies only once thawed: kill through the
	 * cgroup, which thaws, before waiting for the init */
	if (status == STATUS_PAUSED && cg) {
		struct hako_err ignored;
		cgroup_signal_all(cg, SIGKILL, &ignored);
	}
	if (status != STATUS_STOPPED && (r = kill_init(st, err)) < 0)
		return r;
	if (st->hooks && spec_parse_hooks(st->hooks, &hooks, &arena, err) < 0)
		memset(&hooks, 0, sizeof(hooks));
	r = container_destroy(st, cg, &hooks, err);
	arena_release(&arena);
	return r;
}

int container_state(const char *root, const char *id, char **ret_json, struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	int r = state_open(root, id, &st, err);

	if (r < 0)
		return r;
	*ret_json = state_oci_json(st, state_status(st));
	return 0;
}
