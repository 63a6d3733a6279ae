/* arena.h - allocations released all at once.  The parsed config is a tree of
 * small arrays that live exactly as long as the config; one arena frees them
 * without a destructor per type. */
#ifndef HAKO_UTIL_ARENA_H
#define HAKO_UTIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
};

/* Zeroed memory, aligned for any type; aborts when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_array(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
void arena_release(struct arena *a);

#endif
