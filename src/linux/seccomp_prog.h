/* seccomp_prog.h - the compiled filter, shared by the files of the seccomp
 * module (compiler, loader, report monitor); the rest of hako sees an
 * opaque struct through seccomp.h. */
#ifndef HAKO_LINUX_SECCOMP_PROG_H
#define HAKO_LINUX_SECCOMP_PROG_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linux/seccomp.h"

struct seccomp_prog {
	/* What the init loads: libseccomp's program behind hako's ENOSYS
	 * stub; in report mode, with the profile's denials turned into
	 * SECCOMP_RET_USER_NOTIF. */
	struct sock_filter *insns;
	size_t len;
	/* Report mode: the profile's own program, which the monitor runs to
	 * learn the errno each denied call must get.  NULL otherwise. */
	struct sock_filter *profile;
	size_t profile_len;

	unsigned int flags;  /* SECCOMP_FILTER_FLAG_* from linux.seccomp.flags */
	bool notify;         /* the program can return USER_NOTIF: needs a listener */
	bool report;         /* ... and hako's monitor is that listener */
	uint64_t caps;       /* the container's bounding set, for the report's advice */
	char *listener_path, *listener_metadata; /* copies of the spec's */

	/* The listener fd's way out of the init (seccomp_prog_attach), and
	 * the message that carries it. */
	int channel;
	char *msg;
	size_t msg_len;
};

/* seccomp_report.c: the monitor's main loop; never returns. */
_Noreturn void seccomp_monitor_run(const struct seccomp_prog *p, int sock, int out_fd);

/* seccomp_compile.c: the name of syscall `nr` of an audit architecture,
 * malloc'd; NULL if libseccomp does not know it. */
char *seccomp_syscall_name(uint32_t audit_arch, int nr);

/* seccomp_compile.c: "SCMP_ARCH_X86_64" -> libseccomp's token for "x86_64";
 * 0 if libseccomp does not know it. */
uint32_t seccomp_arch_token(const char *name);

/* seccomp.c: SECCOMP_FILTER_FLAG_* by runtime-spec name, -1 if unknown;
 * and whether the running kernel accepts a flag value. */
int seccomp_flag_value(const char *name);
bool seccomp_flag_supported_value(unsigned flag);

#endif
