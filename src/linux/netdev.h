/* netdev.h - linux.netDevices: host network devices moved into the
 * container's network namespace (runtime-spec v1.3.0, config-linux.md
 * "Network Devices"), over rtnetlink by hand.
 *
 * Everything runs in hako, in the runtime's (host's) network namespace:
 *
 *   netdev_preflight  before anything is created: every device exists on
 *                     the host, is not a loopback, and the kernel does not
 *                     mark it netns-immutable ("MUST check if moving the
 *                     network interface ... is possible")
 *   netdev_attach     after the init is cloned, while it mounts: check that
 *                     no target name is taken in the container's namespace,
 *                     then per device read its permanent global addresses,
 *                     move it, rename it, add the addresses again, bring it
 *                     up.  A socket opened inside the container's namespace
 *                     does the in-namespace half, so hako never stays there.
 *   netdev_rollback   create failed: move the devices back under their host
 *                     names, with their addresses and up state (runtime.md:
 *                     a failed operation leaves the environment as before)
 *   netdev_forget     create succeeded: the devices belong to the namespace;
 *                     the spec forbids moving them out before deletion (the
 *                     kernel returns physical devices to the initial
 *                     namespace when it dies and destroys virtual ones)
 */
#ifndef HAKO_LINUX_NETDEV_H
#define HAKO_LINUX_NETDEV_H

#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

struct netdev_moves;

/* One device of linux.netDevices against hako's network namespace. */
int netdev_preflight_one(const struct spec_net_device *d, struct hako_err *err);

/* Every device; the first error. */
int netdev_preflight(const struct spec *s, struct hako_err *err);

/* Move every device into the container's network namespace: `join_fd`
 * when the config joins one by path, else the new one of `init`.  On
 * success *ret records the moves (NULL when there are none); on failure
 * the devices already moved are back on the host. */
int netdev_attach(const struct spec *s, pid_t init, int join_fd, struct netdev_moves **ret,
		  struct hako_err *err);

/* Undo netdev_attach (best effort: what cannot be undone is a warning),
 * and free.  NULL is a no-op. */
void netdev_rollback(struct netdev_moves *m);

/* Free without moving anything.  NULL is a no-op. */
void netdev_forget(struct netdev_moves *m);

#endif
