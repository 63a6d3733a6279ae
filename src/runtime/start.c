/* start.c - releasing a created container.
 *
 * Opening exec.fifo for reading unblocks the init's open for writing.  The
 * init then runs startContainer hooks and execs; its fifo fd is
 * close-on-exec, so POLLHUP on our end means the program runs, and data
 * means it wrote the error that kept it from running.  A pidfd covers an
 * init that died.
 */
#include "runtime/container.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "runtime/hooks.h"
#include "runtime/state.h"
#include "spec/json.h"
#include "util/cleanup.h"

static int wait_exec(int fifo, int pidfd, struct hako_err *err)
{
	for (;;) {
		struct pollfd pfd[2] = { { .fd = fifo, .events = POLLIN },
					 { .fd = pidfd, .events = POLLIN } };
		struct hako_err remote;
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return hako_fail(err, errno, "poll", NULL, "cannot wait for the container");
		}
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			n = read(fifo, &remote, sizeof(remote));
			if (n == (ssize_t)sizeof(remote)) {
				*err = remote;
				err->msg[sizeof(err->msg) - 1] = '\0';
				err->hint[sizeof(err->hint) - 1] = '\0';
				err->path[sizeof(err->path) - 1] = '\0';
				err->step[sizeof(err->step) - 1] = '\0';
				err->config[sizeof(err->config) - 1] = '\0';
				return hako_err_code(err);
			}
			if (n == 0)
				return 0;
		}
		if (pfd[1].revents & POLLIN) {
			/* the init is gone; an error it wrote is still in the fifo */
			n = read(fifo, &remote, sizeof(remote));
			if (n == (ssize_t)sizeof(remote)) {
				*err = remote;
				return hako_err_code(err);
			}
			return hako_fail(err, ESRCH, "start", NULL,
					 "the container's init exited before its program started");
		}
	}
}

/* A failed start (execve, a startContainer or poststart hook) stops the
 * container (runtime-spec 1.3), and it is stopped when `start` returns:
 * a `delete` right after must not find it running. */
static void stop_init(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	while (poll(&pfd, 1, 10000) < 0 && errno == EINTR)
		;
}

static int run_poststart(struct container_state *st, struct hako_err *err)
{
	struct spec_hooks hooks = { 0 };
	struct arena arena = { 0 };
	_cleanup_free_ char *state = NULL;
	int r = 0;

	if (!st->hooks)
		return 0;
	r = spec_parse_hooks(st->hooks, &hooks, &arena, err);
	if (r == 0 && hooks.n[HOOK_POSTSTART]) {
		state = state_oci_json(st, STATUS_RUNNING);
		r = hooks_run(&hooks, HOOK_POSTSTART, state, err);
	}
	arena_release(&arena);
	return r;
}

int container_start(const char *root, const char *id, struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_close_ int fifo = -1, pidfd = -1;
	enum container_status status;
	int r;

	if ((r = state_open(root, id, &st, err)) < 0)
		return r;
	status = state_status(st);
	if (status != STATUS_CREATED) {
		r = hako_fail(err, 0, "start", NULL, "cannot start container \"%s\": it is %s", id,
			      status_name(status));
		if (status == STATUS_RUNNING || status == STATUS_PAUSED)
			hako_err_hint(err, "a container starts once; 'hako exec' runs more processes");
		else if (status == STATUS_STOPPED)
			hako_err_hint(err, "its process has exited; 'hako delete %s' removes it", id);
		return r;
	}
	pidfd = pidfd_open(st->pid, 0);
	fifo = openat(st->dirfd, EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (pidfd < 0 || fifo < 0)
		return hako_fail(err, errno, "open exec.fifo", EXEC_FIFO,
				 "cannot release container \"%s\"", id);
	r = wait_exec(fifo, pidfd, err);
	/* Started or failed, it cannot start again. */
	unlinkat(st->dirfd, EXEC_FIFO, 0);
	if (r == 0)
		r = run_poststart(st, err);
	if (r < 0)
		stop_init(pidfd);
	return r;
}
