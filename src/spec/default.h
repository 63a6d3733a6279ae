/* default.h - the config.json that `hako spec` writes. */
#ifndef HAKO_SPEC_DEFAULT_H
#define HAKO_SPEC_DEFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

struct default_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

struct default_opts {
	bool rootless;            /* user namespace mapping the caller to root */
	uid_t host_uid;           /* for rootless: the caller */
	gid_t host_gid;
	const char *const *args;  /* the process (default: sh) */
	size_t n_args;

	bool user_set;            /* --user UID:GID (default 0:0) */
	uint32_t uid, gid;
	uint64_t cap_add, cap_drop; /* bit n = capability n; drop wins */
	struct default_rlimit *rlimits; /* replace the default of the same type */
	size_t n_rlimits;
	const char *const *sysctls; /* "KEY=VALUE" */
	size_t n_sysctls;
	const char *const *seccomp_allow; /* syscall names and @groups */
	size_t n_seccomp_allow;
};

/* Check what the command line cannot (syscall names, sysctl syntax). */
int spec_default_check(const struct default_opts *o, struct hako_err *err);

/* A runtime-spec 1.3 config for a busybox-style rootfs in ./rootfs. */
char *spec_default_json(const struct default_opts *o);

/* The capabilities the process gets: runc's three, plus --cap-add, minus
 * --cap-drop.  The bounding set; a non-root user gets the added ones in
 * every set, ambient included. */
uint64_t spec_default_caps(const struct default_opts *o);

#endif
