/* err.c - filling and formatting struct hako_err. */
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void vset(char *dst, size_t size, const char *fmt, va_list ap)
{
	vsnprintf(dst, size, fmt, ap);
}

static void set(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

int hako_fail(struct hako_err *err, int errnum, const char *step, const char *path,
	      const char *fmt, ...)
{
	va_list ap;
	const char *hint;

	if (!err)
		return errnum ? -errnum : -EINVAL;
	memset(err, 0, sizeof(*err));
	err->errnum = errnum;
	set(err->step, sizeof(err->step), step);
	set(err->path, sizeof(err->path), path);
	va_start(ap, fmt);
	vset(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	hint = hint_lookup(step, errnum);
	if (hint)
		set(err->hint, sizeof(err->hint), hint);
	return hako_err_code(err);
}

int hako_fail_config(struct hako_err *err, const char *config, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;
	memset(err, 0, sizeof(*err));
	set(err->step, sizeof(err->step), "validate config");
	set(err->config, sizeof(err->config), config);
	va_start(ap, fmt);
	vset(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void hako_err_config(struct hako_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->config[0])
		return;
	va_start(ap, fmt);
	vset(err->config, sizeof(err->config), fmt, ap);
	va_end(ap);
}

void hako_err_hint(struct hako_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vset(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void hako_err_prefix(struct hako_err *err, const char *fmt, ...)
{
	char prefix[256], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vset(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
}

int hako_err_code(const struct hako_err *err)
{
	return err->errnum > 0 ? -err->errnum : -EINVAL;
}

bool hako_err_is_set(const struct hako_err *err)
{
	return err->msg[0] != '\0';
}

const char *errno_name(int errnum)
{
	const char *name = strerrorname_np(errnum);

	return name ? name : "E?";
}

void hako_err_format(const struct hako_err *err, bool with_hint, char *buf, size_t size)
{
	int n;

	if (err->errnum > 0)
		n = snprintf(buf, size, "%s: %s (%s)", err->msg, strerror(err->errnum),
			     errno_name(err->errnum));
	else
		n = snprintf(buf, size, "%s", err->msg);
	if (n < 0 || (size_t)n >= size)
		return;
	if (err->config[0] && !strstr(err->msg, err->config))
		n += snprintf(buf + n, size - n, " [config: %s]", err->config);
	if (with_hint && err->hint[0] && (size_t)n < size)
		snprintf(buf + n, size - n, "; %s", err->hint);
}
