/* sysctl_rules.h - which namespace owns a sysctl key, and whether the
 * container's namespaces make linux.sysctl settable without touching the
 * host.  The kernel has no "is this key namespaced?" query, so this is a
 * table (reference doc section 5). */
#ifndef HAKO_SPEC_SYSCTL_RULES_H
#define HAKO_SPEC_SYSCTL_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "spec/config.h"
#include "util/err.h"

/* The namespace that owns `key` (normalized form): NS_IPC, NS_UTS, NS_NET,
 * NS_USER, NS_PID; -1 for a host-global key. */
int sysctl_owner(const char *key);

/* "net/ipv4/ip_forward" -> "net.ipv4.ip_forward" when the first separator
 * is '/', as runc reads it: '/' and '.' swap, so a dotted interface name
 * ("net/ipv4/conf/eth0.100/forwarding") stays one component and is kept
 * as "eth0/100" in the normalized key.  Otherwise a copy.  Writes at most
 * size bytes. */
void sysctl_normalize(const char *key, char *out, size_t size);

/* The /proc/sys path of a normalized key: '.' separates components, a '/'
 * inside a component is a literal dot ("eth0/100" -> "eth0.100"). */
void sysctl_proc_path(const char *key, char *out, size_t size);

/* A normalized key names a file below /proc/sys: no empty, "." or ".."
 * component once separators are resolved. */
bool sysctl_key_valid(const char *key);

/* Does `path` name the namespace of type t that hako itself is in?
 * Joining it "by path" shares it with the host. */
bool ns_path_is_own(const char *path, enum ns_type t);

/* One linux.sysctl entry (as written, with its value) against the
 * container's namespaces; `hako check` reports every refused key, not
 * only the first. */
int sysctl_check_key(const struct spec *s, const char *raw, const char *value,
		     struct hako_err *err);

int sysctl_validate(const struct spec *s, struct hako_err *err);

#endif
