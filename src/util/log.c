/* log.c - text and JSON-line output of messages and errors. */
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

static int out_fd = 2;
static enum log_format out_format = LOG_FORMAT_TEXT;
static bool out_debug;
static unsigned warning_count;

unsigned log_warning_count(void)
{
	return warning_count;
}
static void (*capture_fn)(enum log_level, const char *, void *);
static void *capture_arg;

void log_capture(void (*fn)(enum log_level level, const char *msg, void *arg), void *arg)
{
	capture_fn = fn;
	capture_arg = arg;
}

int log_setup(const char *path, enum log_format format, bool debug, struct hako_err *err)
{
	out_format = format;
	out_debug = debug;
	if (path && *path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0)
			return hako_fail(err, errno, "open log", path, "cannot open log file '%s'",
					 path);
		out_fd = fd;
	}
	return out_fd;
}

bool log_debug_enabled(void)
{
	return out_debug;
}

int log_fd(void)
{
	return out_fd;
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

static const char *level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG:
		return "debug";
	case LOG_INFO:
		return "info";
	case LOG_WARNING:
		return "warning";
	case LOG_ERROR:
		return "error";
	}
	return "info";
}

void rfc3339_now(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%09ldZ", base, ts.tv_nsec);
}

static void json_field(struct buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	buf_printf(b, ",\"%s\":", key);
	buf_json_str(b, value);
}

char *log_json_line(const char *level, const struct hako_err *err, const char *msg)
{
	struct buf b = { 0 };
	char when[64], text[2048];

	rfc3339_now(when, sizeof(when));
	if (err)
		hako_err_format(err, true, text, sizeof(text));
	buf_printf(&b, "{\"level\":\"%s\",\"msg\":", level);
	buf_json_str(&b, err ? text : msg);
	buf_printf(&b, ",\"time\":\"%s\"", when);
	if (err) {
		if (err->errnum > 0)
			json_field(&b, "errno", errno_name(err->errnum));
		json_field(&b, "step", err->step);
		json_field(&b, "path", err->path);
		json_field(&b, "config", err->config);
		json_field(&b, "hint", err->hint);
	}
	buf_puts(&b, "}\n");
	return buf_steal(&b);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	int saved = errno;

	if (level == LOG_DEBUG && !out_debug)
		return;
	if (level == LOG_WARNING)
		warning_count++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (capture_fn && level >= LOG_WARNING) {
		capture_fn(level, msg, capture_arg);
		errno = saved;
		return;
	}
	if (out_format == LOG_FORMAT_JSON) {
		_cleanup_free_ char *line = log_json_line(level_name(level), NULL, msg);
		write_all(out_fd, line, strlen(line));
	} else {
		_cleanup_buf_ struct buf b = { 0 };
		if (level == LOG_INFO)
			buf_printf(&b, "hako: %s\n", msg);
		else
			buf_printf(&b, "hako: %s: %s\n", level_name(level), msg);
		write_all(out_fd, b.p, b.len);
	}
	errno = saved;
}

void log_error_text(const struct hako_err *err, int fd)
{
	_cleanup_buf_ struct buf b = { 0 };
	char line[2048];

	hako_err_format(err, false, line, sizeof(line));
	buf_printf(&b, "hako: %s\n", line);
	if (err->path[0] && !strstr(err->msg, err->path))
		buf_printf(&b, "  path: %s\n", err->path);
	if (err->hint[0])
		buf_printf(&b, "  hint: %s\n", err->hint);
	write_all(fd, b.p, b.len);
}

void log_error(const struct hako_err *err)
{
	if (out_format == LOG_FORMAT_JSON) {
		_cleanup_free_ char *line = log_json_line("error", err, NULL);
		write_all(out_fd, line, strlen(line));
		if (out_fd != 2)
			log_error_text(err, 2);
		return;
	}
	log_error_text(err, out_fd);
	if (out_fd != 2)
		log_error_text(err, 2);
}
