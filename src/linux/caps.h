/* caps.h - the five capability sets of a process, as 64-bit masks
 * (bit n = capability n, see spec/names.h). */
#ifndef HAKO_LINUX_CAPS_H
#define HAKO_LINUX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

struct capsets {
	uint64_t effective, permitted, inheritable;
};

int caps_get(struct capsets *out, struct hako_err *err);
int caps_set(const struct capsets *c, struct hako_err *err);

/* Drop every capability not in `keep` from the bounding set (needs
 * CAP_SETPCAP). */
int caps_bound(uint64_t keep, struct hako_err *err);

/* Clear the ambient set, then raise each capability in `ambient` (each
 * must be permitted and inheritable). */
int caps_ambient(uint64_t ambient, struct hako_err *err);

/* "CAP_IPC_LOCK CAP_NET_ADMIN" for messages; writes at most size bytes. */
void caps_format(uint64_t set, char *out, size_t size);

#endif
