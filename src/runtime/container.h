/* container.h - the lifecycle operations of runtime.md: create, start,
 * run (create + start + wait), kill, delete, state.
 *
 * No daemon: `create` leaves only the container's init behind, blocked on
 * <state>/exec.fifo; `start` opens the fifo, waits until the init has
 * exec'd (or reports why it could not), and returns.  `run` needs no fifo:
 * hako holds the sync socket and releases the init directly.
 */
#ifndef HAKO_RUNTIME_CONTAINER_H
#define HAKO_RUNTIME_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/err.h"

enum run_mode {
	MODE_CREATE,       /* `create`: leave the init waiting for `start` */
	MODE_RUN,          /* `run`: start it and wait for its exit */
	MODE_RUN_DETACHED, /* `run -d`: start it and return */
};

struct create_opts {
	const char *root; /* state root, e.g. /run/hako */
	const char *id;
	const char *bundle;
	const char *pid_file;
	const char *console_socket;
	bool no_pivot;
	bool no_new_keyring;
	unsigned preserve_fds;
	enum run_mode mode;
	bool seccomp_report; /* --seccomp-report: report denied syscalls while it runs */
};

/* create, run and run -d.  For MODE_RUN, *exit_status is the container
 * process's exit status (128 + signal when killed). */
int container_create(const struct create_opts *o, int *exit_status, struct hako_err *err);

int container_start(const char *root, const char *id, struct hako_err *err);

/* `all`: every process in the container's cgroup. */
int container_kill(const char *root, const char *id, int sig, bool all, struct hako_err *err);

int container_delete(const char *root, const char *id, bool force, struct hako_err *err);

/* The OCI state JSON of one container. */
int container_state(const char *root, const char *id, char **ret_json, struct hako_err *err);

#endif
