/* tty.c - the terminal proxy of a foreground `hako run`. */
#include "runtime/tty.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/fs.h"

static void copy_size(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		ioctl(to, TIOCSWINSZ, &ws);
}

void tty_proxy_start(struct tty_proxy *t, int master, const struct spec_process *p)
{
	struct termios raw;

	t->master = master;
	t->in_open = true;
	t->raw = false;
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (!isatty(0))
		return;
	if (!p->console_size.present)
		copy_size(0, master);
	/* keys go to the container as typed: ^C is a byte for its shell, not
	 * a SIGINT for hako */
	if (tcgetattr(0, &t->saved) == 0) {
		raw = t->saved;
		cfmakeraw(&raw);
		t->raw = tcsetattr(0, TCSANOW, &raw) == 0;
	}
}

int tty_proxy_fds(const struct tty_proxy *t, struct pollfd *pfd)
{
	int n = 0;

	if (t->master < 0)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = t->master, .events = POLLIN };
	if (t->in_open)
		pfd[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
	return n;
}

/* Everything readable from the master to stdout; false once the pty is
 * gone (EIO: the last slave closed). */
static bool drain_master(struct tty_proxy *t)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(t->master, buf, sizeof(buf));
		if (n > 0) {
			write_all(1, buf, (size_t)n);
			continue;
		}
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	}
}

void tty_proxy_pump(struct tty_proxy *t, const struct pollfd *pfd)
{
	char buf[4096];

	if (t->master < 0)
		return;
	if (pfd[0].revents & (POLLIN | POLLHUP))
		drain_master(t);
	if (t->in_open && (pfd[1].revents & (POLLIN | POLLHUP))) {
		ssize_t n = read(0, buf, sizeof(buf));
		if (n > 0) {
			write_all(t->master, buf, (size_t)n);
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			/* input ended: the terminal's end-of-file character, as if
			 * typed, so a reading shell sees EOF */
			t->in_open = false;
			write_all(t->master, "\x04", 1);
		}
	}
}

void tty_proxy_resize(struct tty_proxy *t)
{
	if (t->master >= 0 && isatty(0))
		copy_size(0, t->master);
}

void tty_proxy_stop(struct tty_proxy *t)
{
	if (t->master < 0)
		return;
	drain_master(t);
	if (t->raw)
		tcsetattr(0, TCSANOW, &t->saved);
	close(t->master);
	t->master = -1;
}
