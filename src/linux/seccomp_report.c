/* seccomp_report.c - where the filter's listener fd goes: an agent at
 * linux.seccomp.listenerPath, or hako's own report monitor.
 *
 * The init creates the listener when it loads the filter, after `start`,
 * when `hako create` is long gone.  So hako prepares the way out before
 * it clones the init, and the init inherits it:
 *   - listenerPath: hako connects at create (a missing agent fails
 *     `create`, not `start`), the init sends the containerProcessState and
 *     the fd in one sendmsg right after loading, and execve closes its end;
 *   - report mode: hako forks the monitor, connected to the init by a
 *     socketpair; the init sends the fd over it the same way.
 *
 * The monitor is the one process hako leaves resident, and only in report
 * mode.  It answers every notification with what the profile says (it
 * runs the profile's own program on the call, so args and errnoRet count)
 * and reports the call once per process: the syscall, the pid as the
 * container sees it, the program, and what would allow it.  The line goes
 * to the stderr `create` had - the container's stderr, also for detached
 * containers - and, when hako has a --log file, to that file as well, as a
 * warning in its format.  It exits when the init goes away before loading
 * the filter (EOF on the socket) or when no process uses the filter any
 * more (POLLHUP on the listener, Linux 5.8).
 */
#include "linux/seccomp_prog.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/seccomp_bpf.h"
#include "linux/seccomp_groups.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/log.h"

/* ---- listenerPath ---------------------------------------------------------------- */

static int connect_agent(struct seccomp_prog *p, struct hako_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;
	int r;

	if (strlen(p->listener_path) >= sizeof(sa.sun_path))
		return hako_fail_config(err, "linux.seccomp.listenerPath",
					"linux.seccomp.listenerPath '%s' is longer than a unix socket "
					"path can be (%zu bytes)",
					p->listener_path, sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, p->listener_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hako_fail(err, errno, "socket", NULL, "cannot create a unix socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = hako_fail(err, errno, "connect", p->listener_path,
			      "cannot connect to the seccomp agent at '%s'", p->listener_path);
		hako_err_config(err, "linux.seccomp.listenerPath");
		if (errno == ENOENT || errno == ECONNREFUSED)
			hako_err_hint(err, "nothing listens there; start the agent before creating "
					   "the container");
		return r;
	}
	p->channel = TAKE_FD(fd);
	return 0;
}

/* ---- the monitor -------------------------------------------------------------------- */

/* Close every fd but the ones in keep[] (ascending, deduplicated). */
static void close_all_but(const int *keep, size_t n)
{
	unsigned from = 0;

	for (size_t i = 0; i < n; i++) {
		if ((unsigned)keep[i] > from)
			close_range(from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

static int receive_fd(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	char data[64];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The pid in the innermost pid namespace: what the container calls it. */
static long ns_pid(pid_t pid)
{
	char path[64], *line = NULL;
	size_t size = 0;
	long last = pid;
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	while (f && getline(&line, &size, f) > 0) {
		if (strncmp(line, "NSpid:", 6))
			continue;
		char *save = NULL;
		for (char *tok = strtok_r(line + 6, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			last = strtol(tok, NULL, 10);
		break;
	}
	free(line);
	return last;
}

static void program_of(pid_t pid, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, out, size - 1);
	if (n > 0) {
		out[n] = '\0';
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, out, size - 1) : -1;
	out[n > 0 ? n : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

/* "allow @memlock or grant CAP_IPC_LOCK" */
static void advice(const struct seccomp_prog *p, const char *name, char *out, size_t size)
{
	const char *group = seccomp_group_of(name);
	int cap = seccomp_cap_for_syscall(name);

	if (cap >= 0 && !(p->caps & (1ULL << cap)))
		snprintf(out, size, "allow %s or grant %s", group ? group : name, cap_name(cap));
	else
		snprintf(out, size, "allow %s", group ? group : name);
}

struct seen_call {
	pid_t pid;
	int nr;
	uint32_t arch;
};

/* Once per process and syscall: a program that retries in a loop would
 * otherwise bury everything else. */
static bool first_time(const struct seccomp_notif *req)
{
	static struct seen_call seen[512];
	static size_t next;

	for (size_t i = 0; i < ARRAY_SIZE(seen); i++)
		if (seen[i].pid == (pid_t)req->pid && seen[i].nr == req->data.nr &&
		    seen[i].arch == req->data.arch)
			return false;
	seen[next] = (struct seen_call){ (pid_t)req->pid, req->data.nr, req->data.arch };
	next = (next + 1) % ARRAY_SIZE(seen);
	return true;
}

static void report(const struct seccomp_prog *p, int listener, const struct seccomp_notif *req)
{
	_cleanup_free_ char *name = seccomp_syscall_name(req->data.arch, req->data.nr);
	char program[512], what[64], help[160];
	_cleanup_buf_ struct buf line = { 0 };
	long pid;

	if (!first_time(req))
		return;
	if (name)
		snprintf(what, sizeof(what), "%s", name);
	else
		snprintf(what, sizeof(what), "syscall %d", req->data.nr);
	pid = ns_pid((pid_t)req->pid);
	program_of((pid_t)req->pid, program, sizeof(program));
	/* the id is still pending: the pid was not reused while we read /proc */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return;
	advice(p, what, help, sizeof(help));
	buf_printf(&line, "seccomp denied %s for pid %ld (%s): %s", what, pid, program, help);
	if (log_fd() != STDERR_FILENO)
		log_msg(LOG_WARNING, "%s", line.p);
	buf_puts(&line, "\n");
	dprintf(STDERR_FILENO, "hako: %s", line.p);
}

/* What the profile itself answers; in report mode that is always an
 * errno (kills and traps are not turned into notifications). */
static void answer(const struct seccomp_prog *p, int listener, const struct seccomp_notif *req)
{
	uint32_t ret = seccomp_bpf_run(p->profile, p->profile_len, &req->data);
	struct seccomp_notif_resp resp = { .id = req->id };

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		resp.error = -(int32_t)(ret & SECCOMP_RET_DATA);
		break;
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		break;
	default:
		resp.error = -EPERM;
	}
	report(p, listener, req);
	/* ENOENT: the caller died (or was interrupted) meanwhile */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void serve(const struct seccomp_prog *p, int listener)
{
	for (;;) {
		struct pollfd pfd = { .fd = listener, .events = POLLIN };
		struct seccomp_notif req;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd.revents & POLLIN) {
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0)
				answer(p, listener, &req);
			else if (errno != EINTR && errno != ENOENT)
				return;
			continue;
		}
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			return; /* no process uses the filter any more */
	}
}

_Noreturn void seccomp_monitor_run(const struct seccomp_prog *p, int sock, int log)
{
	int keep[3], n_keep = 0, null, listener;
	sigset_t none;

	keep[n_keep++] = STDERR_FILENO;
	if (log != STDERR_FILENO && log < sock)
		keep[n_keep++] = log;
	keep[n_keep++] = sock;
	if (log != STDERR_FILENO && log > sock)
		keep[n_keep++] = log;

	/* Its own session: Ctrl-C on `hako run` is for the container, and
	 * a listener that dies leaves the container's denied calls failing
	 * with ENOSYS instead of its errno. */
	setsid();
	prctl(PR_SET_NAME, "hako-seccomp", 0, 0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (chdir("/") < 0) {
		/* keeps the cwd; harmless */
	}
	/* stdin and stdout stay with the container: a caller reading them
	 * to EOF must not wait for the monitor */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	/* hako's state lock, the sync socket, cgroup fds: none of them ours */
	close_all_but(keep, (size_t)n_keep);
	listener = receive_fd(sock);
	close(sock);
	if (listener >= 0)
		serve(p, listener);
	_exit(0);
}

static int start_monitor(struct seccomp_prog *p, struct hako_err *err)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return hako_fail(err, errno, "socketpair", NULL,
				 "cannot create the seccomp monitor's socket");
	/* Forked twice: the monitor is nobody's child, so neither `create`
	 * nor `run` has to reap it, and it outlives `create`. */
	pid = fork();
	if (pid == 0) {
		pid_t monitor = fork();
		if (monitor != 0)
			_exit(monitor < 0);
		close(sv[1]);
		seccomp_monitor_run(p, sv[0], log_fd());
	}
	close(sv[0]);
	if (pid < 0) {
		close(sv[1]);
		return hako_fail(err, errno, "fork", NULL, "cannot start the seccomp monitor");
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		close(sv[1]);
		return hako_fail(err, EAGAIN, "fork", NULL, "cannot start the seccomp monitor");
	}
	p->channel = sv[1];
	free(p->msg);
	p->msg = xstrdup("seccomp listener");
	p->msg_len = strlen(p->msg);
	return 0;
}

int seccomp_prog_attach(struct seccomp_prog *p, struct hako_err *err)
{
	if (!p || !p->notify)
		return 0;
	return p->report ? start_monitor(p, err) : connect_agent(p, err);
}
