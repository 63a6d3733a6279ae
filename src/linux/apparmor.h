/* apparmor.h - process.apparmorProfile: the AppArmor profile the
 * container's program runs in from its first instruction.
 *
 * The init asks the kernel for the profile at its next execve: it writes
 * "exec PROFILE" to its own /proc/thread-self/attr/apparmor/exec (before
 * Linux 5.8: attr/exec), what libapparmor's aa_change_onexec() does and
 * runc and crun do.  The execve then enters the profile, so nothing of the
 * program runs unconfined, while hako's own last steps (seccomp, close_range)
 * are not held to a profile written for the program.
 *
 * The attribute is opened in the /proc of the host, before pivot_root,
 * and written to later through that fd: the container need not mount
 * /proc, and no image can put a file of its own where the kernel's
 * attribute should be (CVE-2019-16884, runc writing the profile through a
 * fake /proc of the image).  The kernel lets only the task that opened the
 * file write to it (proc_pid_attr_write compares the opener's mm), which
 * the init is, from open to write; credential changes between the two do
 * not matter.
 *
 * Where AppArmor is not enabled there is nothing to confine with: the
 * profile is not applied, the `apparmor` check row warns, and the
 * container runs unconfined, as with runc.
 */
#ifndef HAKO_LINUX_APPARMOR_H
#define HAKO_LINUX_APPARMOR_H

#include <stdbool.h>

#include "spec/config.h"
#include "util/err.h"

/* The kernel's AppArmor is on: /sys/module/apparmor/parameters/enabled. */
bool apparmor_enabled(void);

/* The profile the config asks for, or NULL when it asks for none (absent
 * or ""). */
const char *apparmor_profile_of(const struct spec_process *p);

/* In the init, before pivot_root: when the config names a profile and
 * AppArmor is on, open this thread's exec attribute into *fd; otherwise
 * *fd = -1. */
int apparmor_prepare(const struct spec_process *p, int *fd, struct hako_err *err);

/* Ask for the profile at the next execve through the fd of
 * apparmor_prepare (nothing when it is -1).  Must come before
 * no_new_privs and the seccomp filter (process.c says why). */
int apparmor_apply(int fd, const char *profile, struct hako_err *err);

/* The loaded profiles, one "NAME (MODE)" a line, in the policy namespace
 * of the reader. */
#define APPARMOR_PROFILES "/sys/kernel/security/apparmor/profiles"

/* For `hako check`: 1 when `profile` is loaded (in APPARMOR_PROFILES, or
 * "unconfined"), 0 when it is not, or a negative errno when the list
 * cannot be read. */
int apparmor_profile_loaded(const char *profile, struct hako_err *err);

/* The same against the text of a list; a stack ("a//&b") needs each. */
bool apparmor_profile_listed(const char *list, const char *profile);

#endif
