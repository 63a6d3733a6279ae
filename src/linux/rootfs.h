/* rootfs.h - the container's root: preparing it as a mount, devices and
 * /dev links, switching into it, and hiding or freezing paths.
 *
 * Called by the init in this order (runtime.md and runc's order):
 *   rootfs_prepare -> mounts[] -> rootfs_devices -> [createContainer hooks]
 *   -> rootfs_switch -> [sysctls] -> rootfs_mask_paths -> rootfs_finish
 */
#ifndef HAKO_LINUX_ROOTFS_H
#define HAKO_LINUX_ROOTFS_H

#include <stdbool.h>

#include "spec/config.h"
#include "util/err.h"

/* Set "/" to the propagation the config asks (rslave by default, so host
 * mounts still propagate in but none leak out), make the rootfs a mount
 * point of its own with that propagation (rootfsPropagation), and return
 * an O_PATH fd of it. */
int rootfs_prepare(const struct spec *s, int *ret_rootfd, struct hako_err *err);

/* The default devices of runtime-linux.md and linux.devices, then the
 * /dev/fd, /dev/std* and /dev/ptmx links.  In a user namespace device nodes
 * cannot be made, so the host's are bind-mounted instead.  Skipped when
 * /dev is bind-mounted from the host. */
int rootfs_devices(const struct spec *s, int rootfd, bool userns, struct hako_err *err);

/* pivot_root into the rootfs and drop the old root (or, with no_pivot,
 * move it over / and chroot, for an initramfs host). */
int rootfs_switch(int rootfd, bool no_pivot, struct hako_err *err);

/* maskedPaths and readonlyPaths, inside the new root. */
int rootfs_mask_paths(const struct spec *s, struct hako_err *err);

/* A shared or rshared rootfsPropagation (pivot_root refuses a shared
 * root), then root.readonly, last: masks and read-only paths are mounted
 * below "/". */
int rootfs_finish(const struct spec *s, struct hako_err *err);

#endif
