/* sync.h - the protocol between hako and the container's init while the
 * container is being created.
 *
 * One SOCK_SEQPACKET socketpair; each message is a header, and an error
 * message carries a whole struct hako_err, so a failure deep in the init
 * (a mount, a capability) reaches the user with its step, path and hint.
 * The init's end is O_CLOEXEC: if execve succeeds the parent reads EOF, if
 * it fails the parent reads the error (used by `run`).
 *
 *   init                                   hako (parent)
 *   [USERNS_READY pid] ------------------>  write uid_map/gid_map (and cgroup
 *                      <------------------  USERNS_MAPPED   for a v1 join)
 *   [CHILD_PID pid] ---------------------> (intermediate process only)
 *   mounts...
 *   [PRESTART] --------------------------> run prestart, createRuntime hooks
 *              <-------------------------  PRESTART_DONE
 *   pivot_root, sysctl, caps, uid, ...
 *   READY ------------------------------->  write state.json
 *         <-------------------------------  COMMIT (create: wait on exec.fifo)
 *                                           or START (run: exec now)
 *   ERROR err ---------------------------> at any point: report, clean up
 */
#ifndef HAKO_RUNTIME_SYNC_H
#define HAKO_RUNTIME_SYNC_H

#include <stdint.h>

#include "util/err.h"

enum sync_type {
	SYNC_NONE,
	SYNC_USERNS_READY,  /* value: pid of the process that owns the new user namespace */
	SYNC_USERNS_MAPPED,
	SYNC_CHILD_PID,     /* value: pid of the init, from the intermediate process */
	SYNC_CGROUP_JOINED, /* hako put the init in its v1 cgroups (see init.c, join_cgroup) */
	SYNC_PRESTART,
	SYNC_PRESTART_DONE,
	SYNC_READY,
	SYNC_COMMIT,
	SYNC_START,
	SYNC_ERROR,         /* followed by struct hako_err in the same message */
};

const char *sync_type_name(enum sync_type t);

struct sync_msg {
	uint32_t type;
	int32_t value;
};

int sync_send(int fd, enum sync_type type, int32_t value, struct hako_err *err);
/* Send an error to the other side; best effort (the init exits after). */
void sync_send_error(int fd, const struct hako_err *e);

/* Receive one message.  An SYNC_ERROR fills `err` with the remote error
 * and returns its code; EOF returns -EPIPE with an error saying the other
 * side went away. */
int sync_recv(int fd, struct sync_msg *msg, struct hako_err *err);

/* If the other side already sent an error (and maybe exited), put it in
 * `err`: it explains a failure to talk to it better than EPIPE does. */
void sync_take_error(int fd, struct hako_err *err);

/* Receive and require `type`. */
int sync_expect(int fd, enum sync_type type, int32_t *value, struct hako_err *err);

#endif
