/* seccomp.c - loading the compiled filter in the init, and handing its
 * listener fd on; the flags and architectures hako knows. */
#include "linux/seccomp_prog.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"

/* The runtime-spec version of the containerProcessState hako sends. */
#define PROCESS_STATE_OCI_VERSION "1.3.0"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

const char *const seccomp_flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};
static const unsigned flag_values[] = {
	SECCOMP_FILTER_FLAG_TSYNC,
	SECCOMP_FILTER_FLAG_LOG,
	SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
};
const size_t seccomp_n_flags = ARRAY_SIZE(flag_values);

int seccomp_flag_value(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(flag_values); i++)
		if (!strcmp(seccomp_flag_names[i], name))
			return (int)flag_values[i];
	return -1;
}

/* The kernel checks the flags before it reads the program, so a NULL
 * program answers EFAULT for a known flag and EINVAL for an unknown one,
 * and installs nothing.  WAIT_KILLABLE_RECV is only valid with a
 * listener. */
bool seccomp_flag_supported_value(unsigned flag)
{
	unsigned probe = flag;

	if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		probe |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, probe, NULL) < 0 && errno == EFAULT;
}

bool seccomp_flag_supported(size_t i)
{
	return i < ARRAY_SIZE(flag_values) && seccomp_flag_supported_value(flag_values[i]);
}

const char *const *seccomp_arch_names(void)
{
	/* the names runtime-spec defines (spec/names.c) that libseccomp knows */
	const char *const *all = oci_seccomp_archs;
	static const char *known[OCI_SECCOMP_ARCH_COUNT + 1];
	size_t n = 0;

	for (size_t i = 0; i < OCI_SECCOMP_ARCH_COUNT; i++)
		if (seccomp_arch_token(all[i]))
			known[n++] = all[i];
	known[n] = NULL;
	return known;
}

/* ---- in the init ------------------------------------------------------------------ */

bool seccomp_prog_wants_state(const struct seccomp_prog *p)
{
	return p && p->notify && p->listener_path;
}

/* runtime-spec "containerProcessState": what a seccomp agent gets with
 * the fd (fds[i] names the i-th fd of SCM_RIGHTS). */
void seccomp_prog_set_state(struct seccomp_prog *p, pid_t pid, const char *state_json)
{
	struct buf b = { 0 };

	buf_printf(&b, "{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%d",
		   PROCESS_STATE_OCI_VERSION, (int)pid);
	if (p->listener_metadata) {
		buf_puts(&b, ",\"metadata\":");
		buf_json_str(&b, p->listener_metadata);
	}
	buf_printf(&b, ",\"state\":%s}", state_json);
	free(p->msg);
	p->msg_len = b.len;
	p->msg = buf_steal(&b);
}

/* One sendmsg carries the message and the fd (SCM_RIGHTS), as
 * runtime-spec asks of listenerPath; a stream socket may take the rest of
 * a long message in more writes. */
static int hand_on(const struct seccomp_prog *p, int fd, struct hako_err *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = { 0 };
	struct iovec iov = { .iov_base = p->msg, .iov_len = p->msg_len };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	size_t sent = 0;
	ssize_t n;

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	do
		n = sendmsg(p->channel, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	while (n >= 0) {
		sent += (size_t)n;
		if (sent >= p->msg_len)
			break;
		do
			n = send(p->channel, p->msg + sent, p->msg_len - sent, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
	}
	if (n < 0) {
		int e = errno;
		/* Nobody will answer: with the listener closed, the filter's
		 * notifications fail with ENOSYS instead of waiting forever. */
		close(fd);
		return hako_fail(err, e, "sendmsg", p->listener_path,
				 "cannot hand the seccomp listener to %s",
				 p->report ? "hako's seccomp monitor" : p->listener_path);
	}
	return 0;
}

static int load_failed(int e, unsigned flags, size_t len, struct hako_err *err)
{
	int r = hako_fail(err, e, "seccomp(SECCOMP_SET_MODE_FILTER)", NULL,
			  "cannot load the seccomp filter (%zu instructions, flags 0x%x)", len, flags);

	hako_err_config(err, "linux.seccomp");
	if (e == EACCES)
		hako_err_hint(err, "loading a filter needs no_new_privs or CAP_SYS_ADMIN");
	else if (e == EBUSY)
		hako_err_hint(err, "a filter hako itself runs under already has a listener (is hako "
				   "running inside a container with SCMP_ACT_NOTIFY?); a process "
				   "can be under only one");
	else if (e == EINVAL)
		hako_err_hint(err, "the kernel refused the program or one of linux.seccomp.flags");
	else if (e == ENOMEM)
		hako_err_hint(err, "the filter is too long for the kernel; name fewer syscalls");
	return r;
}

int seccomp_prog_load(const struct seccomp_prog *p, struct hako_err *err)
{
	struct sock_fprog fp = { .len = (unsigned short)p->len, .filter = p->insns };
	unsigned flags = p->flags;
	long fd;

	if (p->notify) {
		if (p->channel < 0)
			return hako_fail(err, EBADF, "seccomp", NULL,
					 "the filter has a listener but nowhere to send it");
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* TSYNC alone reports a failing thread by its tid, which
		 * cannot be told from the listener fd */
		if (flags & SECCOMP_FILTER_FLAG_TSYNC)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	}
	fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);
	if (fd < 0)
		return load_failed(errno, flags, p->len, err);
	if (!p->notify)
		return 0;
	/* The listener fd is O_CLOEXEC (kernel/seccomp.c): execve closes
	 * the init's copy, so only the agent or the monitor holds it. */
	return hand_on(p, (int)fd, err);
}

/* ---- in hako ---------------------------------------------------------------------- */

void seccomp_prog_detach_parent(struct seccomp_prog *p)
{
	if (p && p->channel >= 0) {
		close(p->channel);
		p->channel = -1;
	}
}

void seccomp_prog_free(struct seccomp_prog *p)
{
	if (!p)
		return;
	seccomp_prog_detach_parent(p);
	free(p->insns);
	free(p->profile);
	free(p->msg);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p);
}
