/* validate.h - rules between config.json values, checked before anything is
 * created.  `create` and `check` run the same rules. */
#ifndef HAKO_SPEC_VALIDATE_H
#define HAKO_SPEC_VALIDATE_H

#include <stdbool.h>

#include "spec/config.h"
#include "util/err.h"

struct validate_opts {
	/* Checking for `create`: a process is not required yet (runtime.md:
	 * only `start` needs it). */
	bool for_create;
};

/* First error found, with its config path.  Warnings (deprecated or
 * ignored values) are logged. */
int spec_validate(struct spec *s, const struct validate_opts *o, struct hako_err *err);

/* ociVersion is a 1.x SemVer. */
bool spec_version_supported(const char *v);

/* The highest capability of the running kernel (/proc/sys/kernel/cap_last_cap). */
int kernel_cap_last(void);

#endif
