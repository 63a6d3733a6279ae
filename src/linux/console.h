/* console.h - the container's terminal (process.terminal). */
#ifndef HAKO_LINUX_CONSOLE_H
#define HAKO_LINUX_CONSOLE_H

#include "spec/config.h"
#include "util/err.h"

/* In hako, before the init exists: connect to --console-socket, so a
 * wrong path fails create early and the init needs no host path later. */
int console_connect(const char *path, int *ret_fd, struct hako_err *err);

/* `hako run` with a terminal and no --console-socket: hako is the socket's
 * other end itself (a socketpair), and receives the master from it. */
int console_pair(int *ret_hako_end, int *ret_init_end, struct hako_err *err);
int console_recv(int sock, int *ret_master, struct hako_err *err);

/* In the init after pivot_root, before the uid switch: a pty from the
 * container's devpts, its slave on /dev/console and as stdio and
 * controlling terminal, its master sent over `sockfd`. */
int console_setup(int sockfd, const struct spec_process *p, struct hako_err *err);

#endif
