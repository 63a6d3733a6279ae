/* log.h - hako's output for humans and for the programs that drive it.
 *
 * Text (default):  "hako: warning: ..." / the error block of log_error().
 * JSON (--log-format json): one object per line as runc writes them,
 *   {"level":"error","msg":"...","time":"<RFC 3339>", ...}; containerd keeps
 *   the last error-level "msg" and shows it to Kubernetes users, so "msg"
 *   carries the whole message with its hint, and the structured fields
 *   (errno, step, path, config, hint) come as extra keys that Go ignores.
 *
 * Destination: the --log file when given, else stderr.  Errors also go to
 * stderr as text when a log file is used, as runc does.
 */
#ifndef HAKO_UTIL_LOG_H
#define HAKO_UTIL_LOG_H

#include <stdbool.h>

#include "util/err.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR };

enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* Returns the fd of the log file (or 2); log output after fork/clone goes
 * through the same fd, so the container's init can still warn. */
int log_setup(const char *path, enum log_format format, bool debug, struct hako_err *err);

void log_msg(enum log_level level, const char *fmt, ...) HAKO_PRINTF(2, 3);
bool log_debug_enabled(void);
/* Warnings logged so far (a caller can tell whether a step warned). */
unsigned log_warning_count(void);

#define hako_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define hako_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define hako_debug(...)                                  \
	do {                                             \
		if (log_debug_enabled())                 \
			log_msg(LOG_DEBUG, __VA_ARGS__); \
	} while (0)

/* Hand warnings (and errors logged with log_msg) to `fn` instead of
 * printing them, until called again with NULL: `hako check` reports the
 * validator's warnings as findings. */
void log_capture(void (*fn)(enum log_level level, const char *msg, void *arg), void *arg);

/* Print an error once, in the configured format. */
void log_error(const struct hako_err *err);

/* The text form of an error, as printed on stderr (exposed for tests). */
void log_error_text(const struct hako_err *err, int fd);

/* The JSON-line form of an error or message, newline included (for tests). */
char *log_json_line(const char *level, const struct hako_err *err, const char *msg);

/* Now in RFC 3339, UTC, nanoseconds: the form Go's time.Time decodes
 * (containerd parses the "time" of log lines, and state's "created"). */
void rfc3339_now(char *out, size_t size);

/* Keep the log fd open across close_range() in the container's init. */
int log_fd(void);

#endif
