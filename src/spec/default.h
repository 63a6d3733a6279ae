/* default.h - the config.json that `hako spec` writes. */
#ifndef HAKO_SPEC_DEFAULT_H
#define HAKO_SPEC_DEFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct default_opts {
	bool rootless;            /* user namespace mapping the caller to root */
	uid_t host_uid;           /* for rootless: the caller */
	gid_t host_gid;
	const char *const *args;  /* the process (default: sh) */
	size_t n_args;
};

/* A runtime-spec 1.3 config for a busybox-style rootfs in ./rootfs. */
char *spec_default_json(const struct default_opts *o);

#endif
