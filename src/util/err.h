/* err.h - the one error convention of hako.
 *
 * Every fallible function returns int: >= 0 on success, a negative errno on
 * failure, and takes `struct hako_err *err` last, which it fills only on
 * failure.  The struct keeps apart what a user needs to act on:
 *
 *   errnum  the errno (0 for a pure validation error)
 *   step    the operation that failed: "mount", "pivot_root", "setns(net)"
 *   path    the file-system object involved, if any
 *   config  where in config.json: "process.user.uid", "mounts[3].options"
 *   msg     what failed, in words, problem first, lowercase
 *   hint    why it failed and what to change, when known
 *
 * The fields are fixed-size arrays so that an error can cross from the
 * container's init to hako over a socket as plain bytes and needs no cleanup.
 * Library code never prints an error it returns; the CLI prints it once
 * (log.h), as text or as a runc-style JSON line.
 */
#ifndef HAKO_UTIL_ERR_H
#define HAKO_UTIL_ERR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct hako_err {
	int errnum;
	char step[64];
	char path[256];
	char config[192];
	char msg[512];
	char hint[768];
};

#define HAKO_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Record a failure of `step` on `path` (may be NULL) with errno `errnum`
 * (0: not a system error).  Fills the hint from the hint table when one
 * matches (step, errnum).  Returns -errnum, or -EINVAL when errnum is 0. */
int hako_fail(struct hako_err *err, int errnum, const char *step, const char *path,
	      const char *fmt, ...) HAKO_PRINTF(5, 6);

/* A config.json value that is wrong in itself or against another value.
 * `config` is the path of the offending element.  Returns -EINVAL. */
int hako_fail_config(struct hako_err *err, const char *config, const char *fmt, ...)
	HAKO_PRINTF(3, 4);

/* Point an error at the config.json element it came from, unless a deeper
 * caller already did. */
void hako_err_config(struct hako_err *err, const char *fmt, ...) HAKO_PRINTF(2, 3);

/* Replace the hint: the caller knows the cause better than the table. */
void hako_err_hint(struct hako_err *err, const char *fmt, ...) HAKO_PRINTF(2, 3);

/* Prefix the message with context from an outer layer ("hook createRuntime[0]"). */
void hako_err_prefix(struct hako_err *err, const char *fmt, ...) HAKO_PRINTF(2, 3);

/* The negative return value that matches the error. */
int hako_err_code(const struct hako_err *err);

bool hako_err_is_set(const struct hako_err *err);

/* Symbolic name of an errno ("EPERM"), or "E?" when unknown. */
const char *errno_name(int errnum);

/* The full error on one line: "msg: strerror (ENAME)". `with_hint` appends
 * "; hint" - containerd shows only this line to Kubernetes users. */
void hako_err_format(const struct hako_err *err, bool with_hint, char *buf, size_t size);

/* hints.c: the hint for a (step, errno) pair, or NULL. */
const char *hint_lookup(const char *step, int errnum);

#endif
