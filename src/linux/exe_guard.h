/* exe_guard.h - hako's own binary never runs inside a container.
 *
 * hako does not re-exec: the init is a clone of hako until its execve, so
 * its /proc/self/exe is the host's hako binary.  Were the container's
 * program that binary again (args[0] or a "#!" line naming /proc/self/exe
 * or /proc/1/exe, or a symlink to them), hako would run in the container,
 * dumpable, and a process there could open /proc/<pid>/exe and write the
 * host's binary through it once it exits (CVE-2019-5736).  runc and crun
 * re-exec from a sealed copy of themselves on every start so that such a
 * write lands nowhere; hako refuses the exec instead, for the price of a
 * stat and a read of the file's head.
 *
 * What is compared is the inode, so every path to the binary counts: the
 * magic links, a symlink in the image, a hard link.  The check runs right
 * before execve; between the two nothing of the container runs yet, unless
 * the config shares its rootfs with another container (docs/security.md).
 */
#ifndef HAKO_LINUX_EXE_GUARD_H
#define HAKO_LINUX_EXE_GUARD_H

#include "util/err.h"

/* Remember which file hako runs from; in hako, before the init is cloned
 * (the container may have no /proc to ask later). */
void exe_guard_init(void);

/* Refuse, with config as the config path to blame, when execve(path)
 * would run hako's binary: path itself, its "#!" interpreters (up to the
 * kernel's four levels) or its ELF loader. */
int exe_guard_check(const char *path, const char *config, struct hako_err *err);

#endif
