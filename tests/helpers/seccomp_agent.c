/*
 * seccomp-agent - a minimal seccomp notify agent for the integration tests
 * (runtime-spec linux.seccomp.listenerPath).
 *
 *   seccomp-agent SOCKET OUT [VALUE]
 *
 * Listens on the unix socket SOCKET, accepts one connection, reads the
 * container process state with the listener fd (SCM_RIGHTS) and writes the
 * state to OUT.  Then answers every notification with VALUE (default
 * 4242) as the syscall's return value, appending "notified NR" to OUT.NR,
 * until no process uses the filter (POLLHUP).  Gives up after 60 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int receive(int conn, char *buf, size_t size, int *fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b,
			     .msg_controllen = sizeof(control.b) };
	ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;

	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(fd, CMSG_DATA(c), sizeof(int));
	buf[n] = '\0';
	/* the rest of a long state, if the stream split it */
	while ((size_t)n < size - 1) {
		struct pollfd p = { .fd = conn, .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			break;
		ssize_t m = read(conn, buf + n, size - 1 - (size_t)n);
		if (m <= 0)
			break;
		n += m;
		buf[n] = '\0';
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char state[65536];
	char nrfile[4096];
	long value = argc > 3 ? strtol(argv[3], NULL, 0) : 4242;
	int sock, conn, listener;
	FILE *out, *nrs;

	if (argc < 3) {
		fprintf(stderr, "usage: seccomp-agent SOCKET OUT [VALUE]\n");
		return 2;
	}
	alarm(60);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	unlink(argv[1]);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(sock, 1) < 0)
		return perror("seccomp-agent: listen"), 1;
	conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0 || receive(conn, state, sizeof(state), &listener) < 0)
		return perror("seccomp-agent: receive"), 1;
	out = fopen(argv[2], "we");
	if (!out)
		return perror("seccomp-agent: open OUT"), 1;
	fputs(state, out);
	fclose(out);
	snprintf(nrfile, sizeof(nrfile), "%s.nr", argv[2]);
	nrs = fopen(nrfile, "we");
	if (!nrs)
		return perror("seccomp-agent: open OUT.nr"), 1;
	for (;;) {
		struct pollfd p = { .fd = listener, .events = POLLIN };
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		if (p.revents & POLLIN) {
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
				continue;
			fprintf(nrs, "notified %d\n", req.data.nr);
			fflush(nrs);
			resp = (struct seccomp_notif_resp){ .id = req.id, .val = value };
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			continue;
		}
		if (p.revents & (POLLHUP | POLLERR))
			break;
	}
	fclose(nrs);
	unlink(argv[1]);
	return 0;
}
