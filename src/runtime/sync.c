/* sync.c - messages between hako and the container's init. */
#include "runtime/sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

struct sync_wire {
	struct sync_msg msg;
	struct hako_err err;
};

const char *sync_type_name(enum sync_type t)
{
	static const char *const names[] = {
		[SYNC_NONE] = "none",
		[SYNC_USERNS_READY] = "userns-ready",
		[SYNC_USERNS_MAPPED] = "userns-mapped",
		[SYNC_CHILD_PID] = "child-pid",
		[SYNC_CGROUP_JOINED] = "cgroup-joined",
		[SYNC_PRESTART] = "prestart",
		[SYNC_PRESTART_DONE] = "prestart-done",
		[SYNC_READY] = "ready",
		[SYNC_COMMIT] = "commit",
		[SYNC_START] = "start",
		[SYNC_ERROR] = "error",
	};

	return t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "?";
}

int sync_send(int fd, enum sync_type type, int32_t value, struct hako_err *err)
{
	struct sync_msg m = { .type = type, .value = value };

	while (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			return hako_fail(err, errno, "sync", NULL, "cannot send '%s' to the %s",
					 sync_type_name(type), "other side of container setup");
	}
	return 0;
}

void sync_send_error(int fd, const struct hako_err *e)
{
	struct sync_wire w = { .msg = { .type = SYNC_ERROR } };

	w.err = *e;
	while (send(fd, &w, sizeof(w), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int sync_recv(int fd, struct sync_msg *msg, struct hako_err *err)
{
	struct sync_wire w;
	ssize_t n;

	do
		n = recv(fd, &w, sizeof(w), 0);
	while (n < 0 && errno == EINTR);
	/* The other side closed with a message of ours unread (the init
	 * failed before reading CGROUP_JOINED): the first recv reports
	 * ECONNRESET and clears it; what it sent before dying is still
	 * queued behind. */
	if (n < 0 && errno == ECONNRESET)
		n = recv(fd, &w, sizeof(w), MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN)
		n = 0;
	if (n < 0)
		return hako_fail(err, errno, "sync", NULL, "cannot read from the container's init");
	if (n == 0)
		return hako_fail(err, EPIPE, "sync", NULL,
				 "the container's init exited during setup without reporting why");
	if ((size_t)n < sizeof(w.msg))
		return hako_fail(err, EPROTO, "sync", NULL, "short message during container setup");
	*msg = w.msg;
	if (w.msg.type == SYNC_ERROR) {
		if ((size_t)n < sizeof(w))
			return hako_fail(err, EPROTO, "sync", NULL, "truncated error message");
		*err = w.err;
		/* the struct crossed a process boundary: make the strings safe */
		err->step[sizeof(err->step) - 1] = '\0';
		err->path[sizeof(err->path) - 1] = '\0';
		err->config[sizeof(err->config) - 1] = '\0';
		err->msg[sizeof(err->msg) - 1] = '\0';
		err->hint[sizeof(err->hint) - 1] = '\0';
		return hako_err_code(err);
	}
	return 0;
}

void sync_take_error(int fd, struct hako_err *err)
{
	struct sync_wire w;
	ssize_t n = recv(fd, &w, sizeof(w), MSG_DONTWAIT | MSG_PEEK);

	if (n == (ssize_t)sizeof(w) && w.msg.type == SYNC_ERROR) {
		struct sync_msg m;
		sync_recv(fd, &m, err);
	}
}

int sync_expect(int fd, enum sync_type type, int32_t *value, struct hako_err *err)
{
	struct sync_msg m;
	int r = sync_recv(fd, &m, err);

	if (r < 0)
		return r;
	if (m.type != type)
		return hako_fail(err, EPROTO, "sync", NULL,
				 "container setup out of step: expected '%s', got '%s'",
				 sync_type_name(type), sync_type_name(m.type));
	if (value)
		*value = m.value;
	return 0;
}
