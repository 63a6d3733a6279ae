/* init.h - what hako and the container's init share while the container is
 * created.  The init is a clone of hako (no re-exec), so it reads this
 * struct from its own copy of hako's memory. */
#ifndef HAKO_RUNTIME_INIT_H
#define HAKO_RUNTIME_INIT_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "linux/cgroup.h"
#include "linux/netdev.h"
#include "linux/ns.h"
#include "linux/process.h"
#include "linux/seccomp.h"
#include "runtime/container.h"
#include "runtime/state.h"
#include "spec/config.h"

struct container {
	const struct create_opts *opts;
	struct spec *spec;
	struct container_state *state;
	struct cgroup *cgroup;
	struct seccomp_prog *seccomp;
	struct ns_plan plan;
	int sync_parent, sync_init; /* the two ends of the sync socket */
	int fifo;                   /* O_PATH fd of exec.fifo (create), or -1 */
	int console;                /* connected --console-socket, or -1 */
	int console_peer;           /* hako's end when hako is the console socket (run) */
	pid_t hako_pid;
	sigset_t saved_mask;        /* hako's signal mask before `run` blocked signals */
	bool prestart_sync;         /* the init stops for the hooks that need hako */
	bool hako_joins_cgroup;     /* v1: hako writes the init's pid (init.c, join_cgroup) */
	bool cgroup_joined;         /* init side: the join is done */
	/* hako side */
	pid_t pid;
	int pidfd;
	struct netdev_moves *netdevs; /* linux.netDevices moved, until the create succeeds */
	bool fifo_made, cgroup_made;
};

/* The init's main: namespaces are joined; set up the container and exec
 * (or report and exit). */
int container_init(void *arg);

/* ns_spawn callbacks: in the first new process, and in hako. */
int container_early(void *arg, bool in_new_userns, struct hako_err *err);
int container_on_userns(pid_t pid, void *arg, struct hako_err *err);

#endif
