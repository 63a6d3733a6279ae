/* tap.h - a minimal TAP producer for unit tests (meson test, protocol tap).
 *
 *   TEST(parses_uid) { ... ok(cond, "what"); is_int(a, b, "what"); ... }
 *   int main(void) { return tap_main(tests); }   with a NULL-terminated table
 *
 * Each check prints one "ok N - name" line; a failure prints the values as
 * TAP diagnostics ("# got: ...").  tap_skip() prints "ok N # SKIP reason".
 */
#ifndef HAKO_TESTS_TAP_H
#define HAKO_TESTS_TAP_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline bool tap_ok(bool cond, const char *name, const char *file, int line)
{
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, name);
	if (!cond) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	return cond;
}

#define ok(cond, name) tap_ok((cond), (name), __FILE__, __LINE__)

#define is_int(got, want, name)                                                        \
	do {                                                                           \
		long long g_ = (long long)(got), w_ = (long long)(want);               \
		if (!tap_ok(g_ == w_, (name), __FILE__, __LINE__))                     \
			printf("#   got: %lld\n#   want: %lld\n", g_, w_);             \
	} while (0)

#define is_str(got, want, name)                                                        \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                  \
		bool same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;              \
		if (!tap_ok(same_, (name), __FILE__, __LINE__))                        \
			printf("#   got: \"%s\"\n#   want: \"%s\"\n", g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                                    \
	} while (0)

/* `got` contains `part`. */
#define like(got, part, name)                                                          \
	do {                                                                           \
		const char *g_ = (got), *p_ = (part);                                  \
		if (!tap_ok(g_ && strstr(g_, p_), (name), __FILE__, __LINE__))         \
			printf("#   got: \"%s\"\n#   should contain: \"%s\"\n",          \
			       g_ ? g_ : "(null)", p_);                                \
	} while (0)

static inline void tap_skip(const char *name, const char *reason)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_count, name, reason);
}

#define TEST(name) static void name(void)

typedef void (*tap_test_fn)(void);

static inline int tap_main(const tap_test_fn *tests)
{
	for (const tap_test_fn *t = tests; *t; t++)
		(*t)();
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
