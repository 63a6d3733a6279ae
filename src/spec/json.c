/* json.c - typed reads from a yajl tree with path-carrying errors. */
#include "spec/json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_identifier(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

size_t json_push_key(struct jctx *c, const char *key)
{
	size_t old = c->len;
	int n;

	if (is_identifier(key))
		n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "%s%s",
			     c->len ? "." : "", key);
	else
		n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "[\"%s\"]", key);
	if (n > 0)
		c->len = c->len + (size_t)n < sizeof(c->path) ? c->len + (size_t)n
							      : sizeof(c->path) - 1;
	return old;
}

void json_path_key(char *out, size_t size, const char *prefix, const char *key)
{
	if (is_identifier(key))
		snprintf(out, size, "%s%s%s", prefix, *prefix ? "." : "", key);
	else
		snprintf(out, size, "%s[\"%s\"]", prefix, key);
}

size_t json_push_index(struct jctx *c, size_t i)
{
	size_t old = c->len;
	int n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "[%zu]", i);

	if (n > 0)
		c->len = c->len + (size_t)n < sizeof(c->path) ? c->len + (size_t)n
							      : sizeof(c->path) - 1;
	return old;
}

void json_pop(struct jctx *c, size_t len)
{
	c->len = len;
	c->path[len] = '\0';
}

int json_fail(struct jctx *c, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hako_fail_config(c->err, c->path, "%s: %s", c->len ? c->path : "config.json",
				msg);
}

/* How a value looks in an error message: strings quoted and cut short. */
static void describe(yajl_val v, char *out, size_t size)
{
	if (!v) {
		snprintf(out, size, "nothing");
		return;
	}
	switch (v->type) {
	case yajl_t_string:
		snprintf(out, size, "\"%.40s%s\"", v->u.string,
			 strlen(v->u.string) > 40 ? "..." : "");
		break;
	case yajl_t_number:
		snprintf(out, size, "%.40s", v->u.number.r);
		break;
	case yajl_t_object:
		snprintf(out, size, "an object");
		break;
	case yajl_t_array:
		snprintf(out, size, "an array");
		break;
	case yajl_t_true:
		snprintf(out, size, "true");
		break;
	case yajl_t_false:
		snprintf(out, size, "false");
		break;
	default:
		snprintf(out, size, "null");
	}
}

int json_type_error(struct jctx *c, yajl_val v, const char *expected)
{
	char got[64];

	describe(v, got, sizeof(got));
	return json_fail(c, "expected %s, got %s", expected, got);
}

int json_string(struct jctx *c, yajl_val v, const char **out)
{
	if (!YAJL_IS_STRING(v))
		return json_type_error(c, v, "a string");
	*out = v->u.string;
	return 0;
}

/* JSON numbers are read from their text so that uint64 values above
 * INT64_MAX (seccomp arguments) survive. */
int json_u64(struct jctx *c, yajl_val v, uint64_t max, uint64_t *out)
{
	const char *what = max == UINT16_MAX	 ? "an unsigned 16-bit integer"
			   : max == UINT32_MAX ? "an unsigned 32-bit integer"
					       : "an unsigned integer";
	unsigned long long n;
	char *end;

	if (!YAJL_IS_NUMBER(v) || !isdigit((unsigned char)v->u.number.r[0]))
		return json_type_error(c, v, what);
	errno = 0;
	n = strtoull(v->u.number.r, &end, 10);
	if (*end)
		return json_type_error(c, v, what);
	if (errno == ERANGE || n > max)
		return json_fail(c, "%s is out of range (at most %" PRIu64 ")", v->u.number.r, max);
	*out = n;
	return 0;
}

int json_i64(struct jctx *c, yajl_val v, int64_t min, int64_t max, int64_t *out)
{
	const char *what = max == INT32_MAX ? "a 32-bit integer" : "an integer";
	long long n;
	char *end;

	if (!YAJL_IS_NUMBER(v))
		return json_type_error(c, v, what);
	errno = 0;
	n = strtoll(v->u.number.r, &end, 10);
	if (*end)
		return json_type_error(c, v, what);
	if (errno == ERANGE || n < min || n > max)
		return json_fail(c, "%s is out of range (%" PRId64 " to %" PRId64 ")",
				 v->u.number.r, min, max);
	*out = n;
	return 0;
}

int json_strv(struct jctx *c, yajl_val v, struct strv *out)
{
	size_t n;

	if (!YAJL_IS_ARRAY(v))
		return json_type_error(c, v, "an array of strings");
	n = v->u.array.len;
	out->v = arena_array(c->arena, n + 1, sizeof(char *));
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t old = json_push_index(c, i);
		int r = json_string(c, v->u.array.values[i], &out->v[i]);
		json_pop(c, old);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The key at index k appeared before it in the same object. */
static bool key_repeated(yajl_val obj, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (strcmp(obj->u.object.keys[j], obj->u.object.keys[k]) == 0)
			return true;
	return false;
}

static int repeated_error(struct jctx *c, const char *key)
{
	size_t old = json_push_key(c, key);
	int r = json_fail(c, "given twice in the same object");

	hako_err_hint(c->err, "a JSON object must not repeat a name; keep one \"%s\"", key);
	json_pop(c, old);
	return r;
}

int json_strmap(struct jctx *c, yajl_val v, struct strmap *out)
{
	size_t n;

	if (!YAJL_IS_OBJECT(v))
		return json_type_error(c, v, "an object of strings");
	n = v->u.object.len;
	out->key = arena_array(c->arena, n + 1, sizeof(char *));
	out->value = arena_array(c->arena, n + 1, sizeof(char *));
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		if (key_repeated(v, i))
			return repeated_error(c, v->u.object.keys[i]);
		size_t old = json_push_key(c, v->u.object.keys[i]);
		int r = json_string(c, v->u.object.values[i], &out->value[i]);
		json_pop(c, old);
		if (r < 0)
			return r;
		out->key[i] = v->u.object.keys[i];
	}
	return 0;
}

bool json_has(yajl_val obj, const char *key)
{
	yajl_val v = json_get(obj, key);

	return v && !YAJL_IS_NULL(v);
}

static int read_field(struct jctx *c, const struct jfield *f, yajl_val v, char *target)
{
	void *dst = target + f->offset;
	uint64_t u;
	int64_t i;
	int r;

	switch (f->kind) {
	case JK_STRING:
		return json_string(c, v, (const char **)dst);
	case JK_BOOL:
		if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
			return json_type_error(c, v, "true or false");
		*(bool *)dst = YAJL_IS_TRUE(v);
		return 0;
	case JK_U16:
		r = json_u64(c, v, UINT16_MAX, &u);
		if (r == 0)
			*(uint16_t *)dst = (uint16_t)u;
		return r;
	case JK_U32:
		r = json_u64(c, v, UINT32_MAX, &u);
		if (r == 0)
			*(uint32_t *)dst = (uint32_t)u;
		return r;
	case JK_U64:
		return json_u64(c, v, UINT64_MAX, (uint64_t *)dst);
	case JK_I32:
		r = json_i64(c, v, INT32_MIN, INT32_MAX, &i);
		if (r == 0)
			*(int32_t *)dst = (int32_t)i;
		return r;
	case JK_I64:
		return json_i64(c, v, INT64_MIN, INT64_MAX, (int64_t *)dst);
	case JK_STRV:
		return json_strv(c, v, dst);
	case JK_STRMAP:
		return json_strmap(c, v, dst);
	case JK_CUSTOM:
		return f->parse(c, v, dst);
	}
	return -EINVAL;
}

int json_object(struct jctx *c, yajl_val v, const struct jfield *fields, void *target)
{
	if (!YAJL_IS_OBJECT(v))
		return json_type_error(c, v, "an object");
	for (size_t k = 0; k < v->u.object.len; k++) {
		const char *key = v->u.object.keys[k];
		yajl_val value = v->u.object.values[k];
		const struct jfield *f;

		if (YAJL_IS_NULL(value))
			continue;
		for (f = fields; f->name; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (!f->name)
			continue; /* unknown keys MUST be ignored (config.md) */
		if (key_repeated(v, k))
			return repeated_error(c, key);
		size_t old = json_push_key(c, key);
		int r = read_field(c, f, value, target);
		json_pop(c, old);
		if (r < 0)
			return r;
		if (f->set_offset >= 0)
			*(bool *)((char *)target + f->set_offset) = true;
	}
	return 0;
}

int json_array(struct jctx *c, yajl_val v, size_t size, jparse_fn fn, void **ret,
	       size_t *ret_n)
{
	char *items;
	size_t n;

	if (!YAJL_IS_ARRAY(v))
		return json_type_error(c, v, "an array");
	n = v->u.array.len;
	items = arena_array(c->arena, n ? n : 1, size);
	for (size_t i = 0; i < n; i++) {
		size_t old = json_push_index(c, i);
		int r = fn(c, v->u.array.values[i], items + i * size);
		json_pop(c, old);
		if (r < 0)
			return r;
	}
	*ret = items;
	*ret_n = n;
	return 0;
}

int json_map(struct jctx *c, yajl_val v, size_t size, size_t key_offset, jparse_fn fn,
	     void **ret, size_t *ret_n)
{
	char *items;
	size_t n;

	if (!YAJL_IS_OBJECT(v))
		return json_type_error(c, v, "an object");
	n = v->u.object.len;
	items = arena_array(c->arena, n + 1, size);
	for (size_t i = 0; i < n; i++) {
		const char *key = v->u.object.keys[i];
		if (key_repeated(v, i))
			return repeated_error(c, key);
		size_t old = json_push_key(c, key);
		int r = fn(c, v->u.object.values[i], items + i * size);
		json_pop(c, old);
		if (r < 0)
			return r;
		memcpy(items + i * size + key_offset, &key, sizeof(key));
	}
	*ret = items;
	*ret_n = n;
	return 0;
}

int json_parse(const char *text, const char *what, yajl_val *ret, struct hako_err *err)
{
	char msg[512];
	yajl_val tree;

	msg[0] = '\0';
	tree = yajl_tree_parse(text, msg, sizeof(msg));
	if (!tree) {
		/* yajl's message spans lines (text, then a caret); keep one line. */
		for (char *p = msg; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		for (char *p = msg + strlen(msg); p > msg && p[-1] == ' '; p--)
			p[-1] = '\0';
		return hako_fail(err, 0, "parse json", what, "%s is not valid JSON: %s", what,
				 msg[0] ? msg : "unknown error");
	}
	*ret = tree;
	return 0;
}

yajl_val json_get(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

const char *json_get_string(yajl_val obj, const char *key)
{
	yajl_val v = json_get(obj, key);

	return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

bool json_get_int(yajl_val obj, const char *key, long long *out)
{
	yajl_val v = json_get(obj, key);

	if (!YAJL_IS_INTEGER(v))
		return false;
	*out = v->u.number.i;
	return true;
}

void json_write_value(struct buf *b, yajl_val v)
{
	if (!v) {
		buf_puts(b, "null");
		return;
	}
	switch (v->type) {
	case yajl_t_string:
		buf_json_str(b, v->u.string);
		break;
	case yajl_t_number:
		buf_puts(b, v->u.number.r);
		break;
	case yajl_t_object:
		buf_putc(b, '{');
		for (size_t i = 0; i < v->u.object.len; i++) {
			if (i)
				buf_putc(b, ',');
			buf_json_str(b, v->u.object.keys[i]);
			buf_putc(b, ':');
			json_write_value(b, v->u.object.values[i]);
		}
		buf_putc(b, '}');
		break;
	case yajl_t_array:
		buf_putc(b, '[');
		for (size_t i = 0; i < v->u.array.len; i++) {
			if (i)
				buf_putc(b, ',');
			json_write_value(b, v->u.array.values[i]);
		}
		buf_putc(b, ']');
		break;
	case yajl_t_true:
		buf_puts(b, "true");
		break;
	case yajl_t_false:
		buf_puts(b, "false");
		break;
	case yajl_t_null:
	case yajl_t_any:
		buf_puts(b, "null");
		break;
	}
}
