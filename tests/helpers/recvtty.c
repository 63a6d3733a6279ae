/*
 * recvtty - the receiving end of --console-socket, for tests.
 *
 *   recvtty SOCKET [INPUT]
 *
 * Listens on SOCKET, accepts one connection, receives the pty master sent
 * with SCM_RIGHTS, writes INPUT to it (if given), then copies everything
 * the container writes to stdout until the pty closes (all slaves gone) or
 * 20 seconds pass.  Prints "recvtty: name=<payload>" first.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char name[256] = "", control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	int lfd, cfd, master = -1;

	if (argc < 2) {
		fprintf(stderr, "usage: recvtty SOCKET [INPUT]\n");
		return 2;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0)
		return perror("recvtty: listen"), 1;
	/* ready: the socket exists */
	printf("recvtty: listening\n");
	fflush(stdout);
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0 || recvmsg(cfd, &msg, 0) < 0)
		return perror("recvtty: receive"), 1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&master, CMSG_DATA(c), sizeof(int));
	if (master < 0)
		return fprintf(stderr, "recvtty: no fd received\n"), 1;
	printf("recvtty: name=%s\n", name);
	fflush(stdout);
	if (argc > 2 && write(master, argv[2], strlen(argv[2])) < 0)
		return perror("recvtty: write"), 1;
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		char buf[4096];
		int n = poll(&p, 1, 20000);
		if (n <= 0)
			break;
		ssize_t r = read(master, buf, sizeof(buf));
		if (r <= 0)
			break; /* EIO: the last slave closed */
		fwrite(buf, 1, (size_t)r, stdout);
		fflush(stdout);
	}
	return 0;
}
