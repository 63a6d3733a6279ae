/* seccomp.h - the container's seccomp filter.
 *
 * The filter is compiled once, by hako, before the init is created (errors
 * and warnings about the profile then come from hako, and a compiled
 * filter can be cached).  The init loads the compiled program with one
 * seccomp(2) call as the last step before execve, so nothing hako runs is
 * filtered except what must follow it (capset when noNewPrivileges is off,
 * the sendmsg that hands a listener fd on, and execve itself); the
 * compiler checks that the profile lets those through.
 *
 * Names in linux.seccomp.syscalls[].names may be systemd's @groups
 * (seccomp_groups.h), expanded here.  A syscall named directly is governed
 * only by the rules that name it directly; one that comes from groups only
 * by the rules with the smallest group.  So "allow @system-service" and
 * "deny mlockall" combine as one would read them.  docs/seccomp.md has the
 * whole design (ENOSYS for syscalls newer than the profile, report mode).
 */
#ifndef HAKO_LINUX_SECCOMP_H
#define HAKO_LINUX_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

struct seccomp_prog;

/* The annotation that turns report mode on ("true"/"false"). */
#define SECCOMP_REPORT_ANNOTATION "org.hako.seccomp.report"

struct seccomp_opts {
	bool report;           /* --seccomp-report: as if the annotation were "true" */
	const char *cache_dir; /* keep and reuse compiled programs here (seccomp_cache.c) */
};

/* NULL in *ret when the config has no linux.seccomp.  Warnings (unknown
 * syscall names, rules split for libseccomp) go out through hako_warn. */
int seccomp_prog_compile(const struct spec *s, struct seccomp_prog **ret, struct hako_err *err);
int seccomp_prog_compile_opts(const struct spec *s, const struct seccomp_opts *o,
			      struct seccomp_prog **ret, struct hako_err *err);

/* In hako, before the init is cloned: when the filter has a listener,
 * open the way the init will send it on - connect to listenerPath, or, in
 * report mode, start the monitor process.  The init inherits the socket. */
int seccomp_prog_attach(struct seccomp_prog *p, struct hako_err *err);
/* In hako, after the clone: drop hako's copy of that socket, so that the
 * agent or the monitor sees EOF when the init goes away. */
void seccomp_prog_detach_parent(struct seccomp_prog *p);

/* In the init, before seccomp_prog_load: listenerPath receives the
 * container's state with the fd (runtime-spec "containerProcessState"). */
bool seccomp_prog_wants_state(const struct seccomp_prog *p);
void seccomp_prog_set_state(struct seccomp_prog *p, pid_t pid, const char *state_json);

/* In the init.  Needs no_new_privs or CAP_SYS_ADMIN.  With a listener,
 * sends the notification fd where the config says.  Allocates nothing. */
int seccomp_prog_load(const struct seccomp_prog *p, struct hako_err *err);

/* What the compiled profile answers for `syscall` on the native
 * architecture with all arguments 0: SECCOMP_RET_* | data.  -ENOENT when
 * libseccomp does not know the name.  For `hako check` and tests. */
int seccomp_prog_action(const struct seccomp_prog *p, const char *syscall, uint32_t *ret);

void seccomp_prog_free(struct seccomp_prog *p);

/* Does libseccomp know this syscall name (on any architecture)? */
bool seccomp_syscall_known(const char *name);
/* Does it exist on one of these architectures ("SCMP_ARCH_X86_64", ...)? */
bool seccomp_syscall_on_archs(const char *name, const char *const *archs, size_t n);

/* ---- the kernel and libseccomp, for `hako features` ------------------------------ */

/* SECCOMP_FILTER_FLAG_* names as runtime-spec spells them. */
extern const char *const seccomp_flag_names[];
extern const size_t seccomp_n_flags;
/* Does the running kernel accept this flag (index into seccomp_flag_names)? */
bool seccomp_flag_supported(size_t i);
/* SCMP_ARCH_* names libseccomp can build filters for, NULL-terminated. */
const char *const *seccomp_arch_names(void);

#endif
