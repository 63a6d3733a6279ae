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
 * ignored values) are logged.  Also normalizes what the spec says to read
 * differently: relative mount destinations become "/"-relative, relative
 * bind sources bundle-relative, and capabilities the kernel lacks are
 * dropped. */
int spec_validate(struct spec *s, const struct validate_opts *o, struct hako_err *err);

/* ociVersion is 1, 1.MINOR or 1.MINOR.PATCH, with an optional SemVer
 * pre-release or build suffix.  A minor above hako's is accepted (with a
 * warning from spec_validate): unknown fields are ignored anyway. */
bool spec_version_supported(const char *v);

/* The highest capability of the running kernel (/proc/sys/kernel/cap_last_cap). */
int kernel_cap_last(void);

#endif
