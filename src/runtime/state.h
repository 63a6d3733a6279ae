/* state.h - a container's state directory, <root>/<id>/:
 *
 *   state.json  the OCI state (ociVersion, id, pid, bundle, annotations) plus
 *               what later commands need under "hako" (pid start time,
 *               cgroup, the poststart/poststop hooks as they were at create,
 *               so later edits of config.json do not matter - runtime.md)
 *   exec.fifo   exists between create and start; the init blocks on it
 *
 * The directory itself is the lock: commands on one id take flock(2) on its
 * fd, so they are serialised; `create` makes it with mkdir(2), so a second
 * create of a live id fails atomically.  state.json is replaced by rename.
 * Status is derived, never stored: a dead init means "stopped" whatever the
 * file says.
 */
#ifndef HAKO_RUNTIME_STATE_H
#define HAKO_RUNTIME_STATE_H

#include <stdbool.h>
#include <sys/types.h>
#include <yajl/yajl_tree.h>

#include "spec/config.h"
#include "util/err.h"

#define HAKO_OCI_VERSION "1.3.0"
#define HAKO_DEFAULT_ROOT "/run/hako"
#define EXEC_FIFO "exec.fifo"

enum container_status {
	STATUS_CREATING,
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_PAUSED,
	STATUS_STOPPED,
};

const char *status_name(enum container_status s);

struct container_state {
	char *id;
	char *root;   /* the state root, e.g. /run/hako */
	int dirfd;    /* <root>/<id>, locked */

	/* state.json */
	pid_t pid;
	unsigned long long pid_start; /* /proc/<pid>/stat starttime: pid reuse guard */
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 */
	uid_t owner;
	bool userns;        /* the container has its own user namespace */
	bool detached_init; /* hako is not the init's parent (create, run -d) */
	char *annotations_json; /* written as is */
	char *cgroup_json;      /* the cgroup driver's record, written as is */
	char *hooks_json;       /* {"poststart":[...],"poststop":[...]} as given */
	char *extra_json;       /* other modules' records: {"seccompReport": ...} */

	/* From reading state.json: the tree the fields below point into. */
	yajl_val tree;
	yajl_val annotations;
	yajl_val cgroup;
	yajl_val hooks;
	yajl_val extra;
};

/* Ids as runc accepts them: [A-Za-z0-9_+.-]+, not "." or "..". */
int state_check_id(const char *id, struct hako_err *err);

/* mkdir <root>/<id> and lock it; EEXIST is "container exists". */
int state_create(const char *root, const char *id, struct container_state **ret,
		 struct hako_err *err);

/* Open and lock an existing container, and read state.json. */
int state_open(const char *root, const char *id, struct container_state **ret,
	       struct hako_err *err);

/* Read state.json without taking the lock (list): consistent because it is
 * replaced by rename, never rewritten in place. */
int state_peek(const char *root, const char *id, struct container_state **ret,
	       struct hako_err *err);

int state_write(struct container_state *st, struct hako_err *err);

/* Remove the directory and everything in it. */
void state_remove(struct container_state *st);

void state_free(struct container_state *st);
static inline void state_freep(struct container_state **st)
{
	state_free(*st);
}
#define _cleanup_state_ __attribute__((cleanup(state_freep)))

enum container_status state_status(const struct container_state *st);

/* Is `pid` still the process that was started at `start` (not a zombie,
 * not a reused pid)? */
bool process_alive(pid_t pid, unsigned long long start);

/* starttime (field 22) of /proc/<pid>/stat, 0 on error. */
unsigned long long process_start_time(pid_t pid);

/* The OCI state JSON (runtime.md "State"), for `state` and hooks' stdin. */
char *state_oci_json(const struct container_state *st, enum container_status status);

/* Every id below root, sorted. */
int state_list(const char *root, char ***ret, size_t *ret_n, struct hako_err *err);

/* RFC 3339 timestamp of now, UTC. */
char *timestamp_now(void);

#endif
