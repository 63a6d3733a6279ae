/* check.h - `hako check`: predict, from a bundle and the host, the failures
 * a container would meet, before anything is created.
 *
 * A check is a row of check_rules[] (check.c): a function that looks at
 * the spec and the host facts and adds findings.  Each finding says how
 * bad it is, where in config.json, what will happen, why, and what to
 * change.  Rows marked at_create also run inside `hako create`
 * (check_preflight): their warnings are printed, their errors refuse the
 * create before anything exists.  Later issues add rows.
 */
#ifndef HAKO_RUNTIME_CHECK_H
#define HAKO_RUNTIME_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "linux/seccomp.h"
#include "spec/config.h"
#include "util/err.h"

enum severity { SEVERITY_NOTE, SEVERITY_WARNING, SEVERITY_ERROR, SEVERITY_MAX };

extern const char *const severity_names[SEVERITY_MAX];

struct finding {
	enum severity severity;
	const char *check; /* the row that found it: "capabilities" */
	char *config;      /* JSON path in config.json, "" when none */
	char *what;        /* what will happen */
	char *why;         /* the mechanism, "" when the what says it */
	char *fix;         /* what to change, "" when unknown */
};

struct check_report {
	struct finding *v;
	size_t n, cap;
	size_t count[SEVERITY_MAX];
};

void check_report_free(struct check_report *r);

/* What the checks need to know about the host, read once.  Unit tests
 * fill it by hand. */
struct check_host {
	char release[65];            /* uname -r */
	int cap_last;                /* /proc/sys/kernel/cap_last_cap */
	uint64_t own_permitted;      /* hako's own capabilities */
	uint64_t own_inheritable;
	bool initial_userns;         /* hako runs in the initial user namespace */
	bool can_raise_rlimits;      /* CAP_SYS_RESOURCE where prlimit asks for it */
	struct rlimit own_rlimit[RLIM_NLIMITS];
	bool has_seccomp;            /* /proc/sys/kernel/seccomp/actions_avail exists */
	char seccomp_actions[256];   /* its content: "kill_process kill_thread ..." */
	long max_user_namespaces;    /* -1: unknown */
	int userns_errno;            /* clone(CLONE_NEWUSER) probe: 0 works, -1 not probed */
	bool time_ns;                /* /proc/self/ns/time exists */
	signed char apparmor;        /* AppArmor is enabled: 1, 0; -1 not read yet (read
	                                only for a config that names a profile) */
	bool probe;                  /* rows may fork short-lived probes */
};

/* Fill from /proc and the process itself; `probe` allows short-lived
 * children that try namespaces (nothing outlives them). */
void check_host_read(struct check_host *h, bool probe);

struct check_ctx;

struct check_rule {
	const char *name;
	const char *about;
	bool at_create; /* also run by check_preflight() */
	void (*run)(struct check_ctx *c);
};

/* NULL-terminated. */
extern const struct check_rule check_rules[];

/* Every row on a loaded and validated spec, with its compiled seccomp
 * filter (NULL: none, or it did not compile).  `at_create` runs only the
 * rows marked so and tells them that hooks may still change the rootfs. */
void check_spec(struct spec *s, const struct seccomp_prog *prog, const struct check_host *h,
		bool at_create, struct check_report *out);

/* `hako check`: load <bundle>/config.json, run the validator of create
 * (its first error and its warnings become findings, and the checks go
 * on where the config could be loaded), compile the seccomp profile, then
 * every row.  Creates nothing. */
void check_bundle(const char *bundle, struct check_report *out);

/* `hako create`: the at_create rows on the validated spec and its
 * compiled filter.  Warnings are logged; the first error is returned, so
 * the create stops before anything is made. */
int check_preflight(struct spec *s, const struct seccomp_prog *prog, struct hako_err *err);

/* ---- for the rows (check_*.c) ----------------------------------------------- */

/* The capabilities a process holds after its execve (capabilities(7)),
 * from the config's sets, uid and no_new_privs and the file capabilities
 * of the program. */
struct file_caps {
	bool present;
	bool effective; /* VFS_CAP_FLAGS_EFFECTIVE */
	uint64_t permitted, inheritable;
};

struct exec_caps {
	uint64_t permitted, effective, ambient;
	uint64_t missing; /* file capabilities that make execve fail with EPERM */
};

struct exec_caps caps_after_exec(const struct spec_process *p, const struct file_caps *f,
				 int cap_last);

struct check_ctx {
	struct spec *spec;
	const struct seccomp_prog *seccomp;
	const struct check_host *host;
	bool at_create;
	struct check_report *report;
	/* process.args[0]'s file capabilities, read once (check_exec_caps) */
	bool fcaps_read;
	struct file_caps fcaps;
};

/* Add a finding; what/why/fix are plain text, NULL or "" for none.  An
 * identical finding (same config and what) is added once: the validator
 * and a row may both see a bad sysctl. */
void check_add(struct check_ctx *c, enum severity sev, const char *check, const char *config,
	       const char *what, const char *why, const char *fix);
/* The same from a struct hako_err (its message, errno and hint). */
void check_add_err(struct check_report *r, enum severity sev, const char *check,
		   const struct hako_err *err);

/* The rows, one file each. */
void check_program(struct check_ctx *c);
void check_capabilities(struct check_ctx *c);
void check_memlock(struct check_ctx *c);
void check_seccomp(struct check_ctx *c);
void check_sysctl(struct check_ctx *c);
void check_rlimits(struct check_ctx *c);
void check_rootfs(struct check_ctx *c);
void check_kernel(struct check_ctx *c);
void check_netdevices(struct check_ctx *c);
void check_apparmor(struct check_ctx *c);

/* The file capabilities of process.args[0] in the rootfs (resolved as
 * execvp would, with the container's PATH); false when there are none or
 * the program cannot be read.  `path` gets the container path. */
bool check_program_caps(const struct spec *s, struct file_caps *out, char *path, size_t size);

/* caps_after_exec() for the container's process and program. */
struct exec_caps check_exec_caps(struct check_ctx *c);

#endif
