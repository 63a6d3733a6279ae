/* console.c - process.terminal: a pty inside the container whose master
 * goes to the caller over --console-socket (as runc does for containerd,
 * podman/conmon and CRI-O). */
#include "linux/console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "util/cleanup.h"

int console_connect(const char *path, int *ret_fd, struct hako_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(addr.sun_path))
		return hako_fail(err, ENAMETOOLONG, "connect console socket", path,
				 "--console-socket path is too long for a unix socket");
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return hako_fail(err, errno, "connect console socket", path,
				 "cannot connect to --console-socket '%s'", path);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int console_pair(int *ret_hako_end, int *ret_init_end, struct hako_err *err)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return hako_fail(err, errno, "socketpair", NULL,
				 "cannot create the socket for the container's terminal");
	*ret_hako_end = sv[0];
	*ret_init_end = sv[1];
	return 0;
}

int console_recv(int sock, int *ret_master, struct hako_err *err)
{
	char name[128], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	ssize_t n;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return hako_fail(err, errno, "receive console", NULL,
				 "cannot receive the container's terminal");
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			memcpy(ret_master, CMSG_DATA(c), sizeof(int));
			return 0;
		}
	return hako_fail(err, EPROTO, "receive console", NULL,
			 "the container's init sent no terminal");
}

/* The pty master with its name as the payload, as runc's SendFd does. */
static int send_master(int sockfd, int master, const char *name, struct hako_err *err)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
	if (sendmsg(sockfd, &msg, MSG_NOSIGNAL) < 0)
		return hako_fail(err, errno, "send console", NULL,
				 "cannot send the terminal to --console-socket");
	return 0;
}

/* runtime-linux.md: with a terminal, /dev/console is the pty (a bind
 * mount of the slave). */
static int bind_console(const char *slave, struct hako_err *err)
{
	int fd = open("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 && errno != EEXIST)
		return hako_fail(err, errno, "create /dev/console", "/dev/console",
				 "cannot create /dev/console");
	if (fd >= 0)
		close(fd);
	if (mount(slave, "/dev/console", NULL, MS_BIND, NULL) < 0)
		return hako_fail(err, errno, "mount", "/dev/console",
				 "cannot bind the terminal on /dev/console");
	return 0;
}

int console_setup(int sockfd, const struct spec_process *p, struct hako_err *err)
{
	_cleanup_close_ int master = -1, slave = -1;
	char name[64];
	int r;

	/* /dev/ptmx of the container's own devpts (newinstance), so the pty
	 * number space is the container's. */
	master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0) {
		r = hako_fail(err, errno, "open ptmx", "/dev/pts/ptmx",
			      "cannot allocate a terminal for the container");
		hako_err_hint(err, "process.terminal needs a devpts mount on /dev/pts (with "
				   "newinstance,ptmxmode=0666)");
		return r;
	}
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		return hako_fail(err, errno, "unlockpt", NULL, "cannot unlock the terminal");
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return hako_fail(err, errno, "open pty", name, "cannot open the terminal '%s'",
				 name);
	if (p->console_size.present) {
		struct winsize ws = { .ws_row = (unsigned short)p->console_size.height,
				      .ws_col = (unsigned short)p->console_size.width };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return hako_fail(err, errno, "ioctl(TIOCSWINSZ)", name,
					 "cannot set the terminal size (process.consoleSize)");
	}
	if ((r = bind_console(name, err)) < 0 || (r = send_master(sockfd, master, name, err)) < 0)
		return r;
	/* A session of its own with the pty as controlling terminal, as a
	 * login shell expects. */
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return hako_fail(err, errno, "ioctl(TIOCSCTTY)", name,
				 "cannot make '%s' the controlling terminal", name);
	for (int fd = 0; fd <= 2; fd++)
		if (dup3(slave, fd, 0) < 0)
			return hako_fail(err, errno, "dup3", name,
					 "cannot attach the terminal to stdio");
	return 0;
}
