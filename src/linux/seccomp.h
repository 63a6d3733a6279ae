/* seccomp.h - the container's seccomp filter.
 *
 * The filter is compiled once, by hako, before the init is created (errors
 * and warnings about the profile then come from hako, and a compiled
 * filter can be cached).  The init loads the compiled program with one
 * seccomp(2) call as the last step before execve, so nothing hako runs is
 * filtered except what must follow it (capset when noNewPrivileges is off,
 * and execve itself).
 */
#ifndef HAKO_LINUX_SECCOMP_H
#define HAKO_LINUX_SECCOMP_H

#include <stdbool.h>

#include "spec/config.h"
#include "util/err.h"

struct seccomp_prog;

/* NULL in *ret when the config has no linux.seccomp. */
int seccomp_prog_compile(const struct spec *s, struct seccomp_prog **ret, struct hako_err *err);

/* In the init.  Needs no_new_privs or CAP_SYS_ADMIN.  With a listener,
 * sends the notification fd where the config says. */
int seccomp_prog_load(const struct seccomp_prog *p, struct hako_err *err);

void seccomp_prog_free(struct seccomp_prog *p);

#endif
