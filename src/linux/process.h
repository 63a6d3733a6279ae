/* process.h - becoming the container's process: AppArmor profile,
 * identity, capabilities, no_new_privs, seccomp, execve.
 *
 * process_prepare() runs at create time, process_exec() after start.
 * Between them the init waits, already as the configured user with its
 * final capabilities, so `start` only has to release it.
 */
#ifndef HAKO_LINUX_PROCESS_H
#define HAKO_LINUX_PROCESS_H

#include <limits.h>
#include <stdbool.h>

#include "linux/caps.h"
#include "linux/seccomp.h"
#include "spec/config.h"
#include "util/err.h"

struct process_ctx {
	struct spec *spec;
	const struct seccomp_prog *seccomp; /* NULL: no filter */
	unsigned preserve_fds;              /* fds 3 .. 3+n-1 pass to the process */
	int apparmor_fd;                    /* apparmor_prepare's attribute, -1: none */
	/* filled by process_prepare */
	char exe[PATH_MAX];                 /* args[0] resolved in the container */
	const char **env;                   /* the environment, HOME added */
	struct capsets final;               /* the config's sets */
	bool sysadmin_borrowed;             /* CAP_SYS_ADMIN kept in P to load seccomp */
};

int process_prepare(struct process_ctx *ctx, struct hako_err *err);

/* Last steps and execve.  Returns only on failure, with the error
 * explained (a missing #! interpreter, file capabilities outside the
 * bounding set, ...). */
int process_exec(struct process_ctx *ctx, struct hako_err *err);

/* Why execve(path) failed with errnum, as far as the file tells. */
void exec_explain(const char *path, int errnum, struct hako_err *err);

#endif
