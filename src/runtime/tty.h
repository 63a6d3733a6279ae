/* tty.h - `hako run` in the foreground with process.terminal and no
 * --console-socket: hako holds the pty's master and copies between it and
 * its own stdin/stdout, as runc does, with the caller's terminal in raw
 * mode and its window size passed on. */
#ifndef HAKO_RUNTIME_TTY_H
#define HAKO_RUNTIME_TTY_H

#include <poll.h>
#include <stdbool.h>
#include <termios.h>

#include "spec/config.h"
#include "util/err.h"

struct tty_proxy {
	int master;  /* -1: no proxy */
	bool in_open; /* stdin not at EOF yet */
	bool raw;    /* stdin is a terminal put in raw mode */
	struct termios saved;
};

/* Take over the master: raw mode for a terminal on stdin, and its window
 * size for the pty unless process.consoleSize sets one. */
void tty_proxy_start(struct tty_proxy *t, int master, const struct spec_process *p);

/* The fds to poll (stdin, master), after `n` others; returns how many. */
int tty_proxy_fds(const struct tty_proxy *t, struct pollfd *pfd);

/* Copy what poll found ready. */
void tty_proxy_pump(struct tty_proxy *t, const struct pollfd *pfd);

/* SIGWINCH of hako: the caller's terminal changed size. */
void tty_proxy_resize(struct tty_proxy *t);

/* The container exited: copy what is left, restore the caller's terminal. */
void tty_proxy_stop(struct tty_proxy *t);

#endif
