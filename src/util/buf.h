/* buf.h - a growable byte buffer, and JSON string writing into it.
 *
 * Invariant: `p` is NUL-terminated whenever it is not NULL.  Allocation
 * failure aborts (a CLI that cannot allocate a few KiB cannot recover).
 */
#ifndef HAKO_UTIL_BUF_H
#define HAKO_UTIL_BUF_H

#include <stddef.h>

#include "util/err.h"

struct buf {
	char *p;
	size_t len, cap;
};

void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) HAKO_PRINTF(2, 3);
/* s as a JSON string literal, quotes included; NULL becomes null. */
void buf_json_str(struct buf *b, const char *s);
void buf_release(struct buf *b);
/* The string, owned by the caller; the buffer is empty afterwards. */
char *buf_steal(struct buf *b);

static inline void buf_releasep(struct buf *b)
{
	buf_release(b);
}
#define _cleanup_buf_ __attribute__((cleanup(buf_releasep)))

/* xalloc: allocation that cannot fail from the caller's point of view. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) HAKO_PRINTF(1, 2);

#endif
