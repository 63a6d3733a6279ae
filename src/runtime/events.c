/* events.c - `hako events`: runc's event stream.  Stats every interval
 * (runc: 5 s by default), an "oom" event whenever the kernel reports one,
 * until the container's init exits; with --stats one stats event. */
#include "runtime/cgroup_cmds.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "runtime/state.h"
#include "util/cleanup.h"
#include "util/log.h"

static int emit_stats(const struct cgroup *cg, const char *id, const struct events_opts *o,
		      struct hako_err *err)
{
	_cleanup_buf_ struct buf b = { 0 };

	buf_puts(&b, "{\"type\":\"stats\",\"id\":");
	buf_json_str(&b, id);
	buf_puts(&b, ",\"data\":");
	if (cgroup_stats(cg, &b, err) < 0)
		return hako_err_code(err);
	buf_putc(&b, '}');
	o->emit(b.p, o->arg);
	return 0;
}

static void emit_oom(const char *id, const struct events_opts *o)
{
	_cleanup_buf_ struct buf b = { 0 };

	buf_puts(&b, "{\"type\":\"oom\",\"id\":");
	buf_json_str(&b, id);
	buf_putc(&b, '}');
	o->emit(b.p, o->arg);
}

/* Returns 1 when the watch should end (the cgroup is gone). */
static int drain_oom(struct cgroup_oom *oom, const char *id, const struct events_opts *o)
{
	int n = oom ? cgroup_oom_events(oom) : 0;

	for (int i = 0; i < n; i++)
		emit_oom(id, o);
	return n == -ENOENT;
}

static int stream(const struct cgroup *cg, const char *id, int pidfd,
		  const struct events_opts *o, struct hako_err *err)
{
	struct cgroup_oom *oom = NULL;
	_cleanup_close_ int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec its = { 0 };
	struct hako_err oerr = { 0 };
	int r = 0;

	if (tfd < 0)
		return hako_fail(err, errno, "timerfd_create", NULL, "cannot start the interval timer");
	its.it_interval.tv_sec = o->interval_ms / 1000;
	its.it_interval.tv_nsec = (long)(o->interval_ms % 1000) * 1000000;
	its.it_value = its.it_interval;
	timerfd_settime(tfd, 0, &its, NULL);
	if (cgroup_oom_open(cg, &oom, &oerr) < 0)
		hako_debug("events: no OOM notification: %s", oerr.msg);
	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = tfd, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
			{ .fd = oom ? cgroup_oom_fd(oom) : -1, .events = POLLIN },
		};
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = hako_fail(err, errno, "poll", NULL, "cannot wait for events");
			break;
		}
		if ((pfd[2].revents & POLLIN) && drain_oom(oom, id, o))
			break;
		if (pfd[0].revents & POLLIN) {
			uint64_t ticks;
			if (read(tfd, &ticks, sizeof(ticks)) < 0) {
				/* nothing: the next poll tells */
			}
			if ((r = emit_stats(cg, id, o, err)) < 0)
				break;
		}
		if (pfd[1].revents & POLLIN) {
			/* the init is gone: report an OOM kill that ended it, then stop */
			drain_oom(oom, id, o);
			break;
		}
	}
	cgroup_oom_free(oom);
	return r;
}

int container_events(const char *root, const char *id, const struct events_opts *o,
		     struct hako_err *err)
{
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	_cleanup_close_ int pidfd = -1;
	enum container_status status;
	int r;

	{
		/* read the state and let go of the lock: the stream may last long,
		 * and delete must not wait for it */
		_cleanup_state_ struct container_state *st = NULL;
		if ((r = state_open(root, id, &st, err)) < 0)
			return r;
		status = state_status(st);
		if (status == STATUS_STOPPED || status == STATUS_CREATING || !st->cgroup)
			return hako_fail(err, 0, "events", NULL, "container \"%s\" is not running",
					 id);
		if ((r = cgroup_open(st->cgroup, &cg, err)) < 0)
			return r;
		pidfd = pidfd_open(st->pid, 0);
		if (pidfd < 0 || !process_alive(st->pid, st->pid_start))
			return hako_fail(err, ESRCH, "events", NULL, "container \"%s\" is not running",
					 id);
	}
	if (o->stats_only)
		return emit_stats(cg, id, o, err);
	return stream(cg, id, pidfd, o, err);
}
