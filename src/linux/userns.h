/* userns.h - uid/gid maps of a new user namespace. */
#ifndef HAKO_LINUX_USERNS_H
#define HAKO_LINUX_USERNS_H

#include <sys/types.h>

#include "spec/config.h"
#include "util/err.h"

/* Write linux.uidMappings/gidMappings for the process `pid` that owns the
 * new user namespace.  gid_map first: once uid_map is written the
 * process's credentials in the namespace are fixed. */
int userns_write_maps(pid_t pid, const struct spec *s, struct hako_err *err);

/* Host uid that container uid `id` maps to, or -1. */
long long userns_host_id(const struct spec_idmap *maps, size_t n, unsigned id);

#endif
