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
 *
 * The container is on the other side of every notification, so the
 * monitor trusts nothing it reads about the caller: the program name is
 * escaped before it goes into a line, a stderr that does not drain cannot
 * hold up the answers (the line is dropped and counted), and after setup
 * the monitor keeps only CAP_SYS_PTRACE, the one capability its job needs.
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
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/caps.h"
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

/* The container chooses its program's path and comm: a newline in it
 * would start a line of its own making in the report (and in a log read
 * by tools), an escape sequence would drive the reader's terminal.  So
 * control bytes, backslash and everything outside printable ASCII are
 * written as \n, \t, \r, \\ or \xNN. */
static void escape_name(const char *in, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c == '\r')
			buf_puts(out, "\\r");
		else if (c == '\\')
			buf_puts(out, "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(out, "\\x%02x", c);
		else
			buf_putc(out, (char)c);
	}
}

/* /proc/PID/exe (CAP_SYS_PTRACE: the process may have another uid or be
 * non-dumpable), else its comm; escaped. */
static void program_of(pid_t pid, struct buf *out)
{
	char path[64], name[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, name, sizeof(name));
	if (n <= 0) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd >= 0 ? read(fd, name, sizeof(name)) : -1;
		if (n > 0 && name[n - 1] == '\n')
			n--; /* the kernel's line end, not the name's */
	}
	escape_name(name, n > 0 ? (size_t)n : 0, out);
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

/*
 * The report's stderr is shared with the container (a pipe, a pty, a
 * socket), and a reader that stops reading would block a write, and with
 * it the answer to every notified call of the container.  So the monitor
 * writes without blocking: stderr reopened as a file description of its
 * own with O_NONBLOCK (setting the flag on the shared one would change
 * the container's stderr too), MSG_DONTWAIT for a socket; a regular file
 * does not block.  A line that does not fit is dropped and counted, and
 * the count goes out with the next line that does.
 */
static bool out_is_socket;
static unsigned long dropped;

static void output_setup(void)
{
	struct stat st;
	int fd;

	if (fstat(STDERR_FILENO, &st) < 0 || S_ISREG(st.st_mode))
		return;
	if (S_ISSOCK(st.st_mode)) {
		out_is_socket = true;
		return;
	}
	/* O_NOCTTY: the monitor has a session of its own, and a terminal it
	 * opens would become its controlling terminal */
	fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* One write: a line (at most a few KiB, below PIPE_BUF) is whole or not
 * at all. */
static bool output(const char *s, size_t len)
{
	ssize_t n;

	do
		n = out_is_socket ? send(STDERR_FILENO, s, len, MSG_DONTWAIT | MSG_NOSIGNAL)
				  : write(STDERR_FILENO, s, len);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len;
}

static void emit(const char *line)
{
	char note[160];

	if (dropped) {
		snprintf(note, sizeof(note),
			 "hako: seccomp monitor: %lu report line%s dropped: stderr was not "
			 "being read\n",
			 dropped, dropped == 1 ? "" : "s");
		if (!output(note, strlen(note))) {
			dropped++;
			return;
		}
		dropped = 0;
	}
	if (!output(line, strlen(line)))
		dropped++;
}

static void report(const struct seccomp_prog *p, int listener, const struct seccomp_notif *req)
{
	_cleanup_free_ char *name = seccomp_syscall_name(req->data.arch, req->data.nr);
	char what[64], help[160];
	_cleanup_buf_ struct buf line = { 0 }, program = { 0 }, text = { 0 };
	long pid;

	if (!first_time(req))
		return;
	if (name)
		snprintf(what, sizeof(what), "%s", name);
	else
		snprintf(what, sizeof(what), "syscall %d", req->data.nr);
	pid = ns_pid((pid_t)req->pid);
	program_of((pid_t)req->pid, &program);
	/* the id is still pending: the pid was not reused while we read /proc */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return;
	advice(p, what, help, sizeof(help));
	buf_printf(&line, "seccomp denied %s for pid %ld (%s): %s", what, pid,
		   program.p ? program.p : "", help);
	if (log_fd() != STDERR_FILENO)
		log_msg(LOG_WARNING, "%s", line.p);
	buf_printf(&text, "hako: %s\n", line.p);
	emit(text.p);
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

/*
 * What a process that answers notifications and reads /proc/PID/exe of
 * the container's processes needs: CAP_SYS_PTRACE, as those may run under
 * another uid or be non-dumpable (ptrace_may_access, PTRACE_MODE_READ).
 * Everything else goes for good - bounding, inheritable and ambient sets
 * emptied, no_new_privs set - so a monitor turned by a hostile container
 * is not a root process with every capability; non-dumpable, so no
 * same-uid process can read its memory.  Best effort: a failure leaves
 * the monitor as it was, still reporting.
 */
static void drop_privileges(void)
{
	const uint64_t keep = 1ULL << CAP_SYS_PTRACE;
	struct capsets c = { keep, keep, 0 };

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (caps_bound(keep, NULL) < 0 || caps_ambient(0, NULL) < 0 || caps_set(&c, NULL) < 0)
		hako_debug("seccomp monitor: cannot drop its capabilities: %s", strerror(errno));
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* Insert fd into the ascending, deduplicated keep[]. */
static size_t keep_add(int *keep, size_t n, int fd)
{
	size_t i = 0;

	while (i < n && keep[i] < fd)
		i++;
	if (i < n && keep[i] == fd)
		return n;
	memmove(keep + i + 1, keep + i, (n - i) * sizeof(*keep));
	keep[i] = fd;
	return n + 1;
}

_Noreturn void seccomp_monitor_run(const struct seccomp_prog *p, int sock, int log)
{
	int keep[5], null, listener;
	size_t n_keep = 0;
	sigset_t none;

	n_keep = keep_add(keep, n_keep, STDIN_FILENO);
	n_keep = keep_add(keep, n_keep, STDOUT_FILENO);
	n_keep = keep_add(keep, n_keep, STDERR_FILENO);
	n_keep = keep_add(keep, n_keep, sock);
	if (log >= 0)
		n_keep = keep_add(keep, n_keep, log);

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
	 * to EOF must not wait for the monitor.  /dev/null takes their place
	 * (0 and 1 are kept below), so the listener cannot land on them. */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (null > STDERR_FILENO && null != sock && null != log)
			close(null);
	}
	/* hako's state lock, the sync socket, cgroup fds: none of them ours */
	close_all_but(keep, n_keep);
	output_setup();
	drop_privileges();
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
