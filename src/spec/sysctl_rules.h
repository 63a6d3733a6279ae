/* sysctl_rules.h - which namespace owns a sysctl key, and whether the
 * container's namespaces make linux.sysctl settable without touching the
 * host.  The kernel has no "is this key namespaced?" query, so this is a
 * table (reference doc section 5). */
#ifndef HAKO_SPEC_SYSCTL_RULES_H
#define HAKO_SPEC_SYSCTL_RULES_H

#include <stddef.h>

#include "spec/config.h"
#include "util/err.h"

/* The namespace that owns `key` (dotted form): NS_IPC, NS_UTS, NS_NET,
 * NS_USER; -1 for a host-global key. */
int sysctl_owner(const char *key);

/* "net/ipv4/ip_forward" -> "net.ipv4.ip_forward" when the first separator
 * is '/', as runc reads it (dotted interface names such as eth0.100 stay
 * intact); otherwise a copy. Writes at most size bytes. */
void sysctl_normalize(const char *key, char *out, size_t size);

/* The /proc/sys path of a normalized key: dots become slashes. */
void sysctl_proc_path(const char *key, char *out, size_t size);

int sysctl_validate(const struct spec *s, struct hako_err *err);

#endif
