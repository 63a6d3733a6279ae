/* seccomp_cache.h - compiled seccomp filters reused across creates. */
#ifndef HAKO_LINUX_SECCOMP_CACHE_H
#define HAKO_LINUX_SECCOMP_CACHE_H

#include <stdbool.h>

#include "linux/seccomp.h"
#include "spec/config.h"
#include "util/buf.h"

/* Where programs are kept: $HAKO_SECCOMP_CACHE, else (as root)
 * /var/cache/hako/seccomp; NULL when there is no such place (an ordinary
 * user without the variable compiles every time). */
const char *seccomp_cache_dir(void);

/* Everything a compile of this config depends on, as text. */
int seccomp_cache_key(const struct spec *s, bool report, struct buf *key);

/* Fill the compiled parts of p (insns, profile, flags, notify) from the
 * entry whose key is exactly `key`; false when there is none. */
bool seccomp_cache_load(const char *dir, const struct buf *key, struct seccomp_prog *p);

void seccomp_cache_store(const char *dir, const struct buf *key, const struct seccomp_prog *p);

#endif
