/* json.h - reading a yajl tree into C structs, with the JSON path of every
 * error ("process.user.uid: expected an unsigned integer, got \"x\"").
 *
 * Objects are read through tables of fields (name, kind, offset), after
 * systemd's sd_json_dispatch: the model reads as data, and every type error
 * is reported the same way.  Unknown keys are ignored, as runtime-spec
 * requires; JSON null reads as absent; a known key given twice is an error
 * (glossary.md: names in an object are unique) where a Go runtime would
 * silently keep the last one.
 */
#ifndef HAKO_SPEC_JSON_H
#define HAKO_SPEC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <yajl/yajl_tree.h>

#include "spec/config.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

struct jctx {
	struct arena *arena;
	struct hako_err *err;
	char path[192];
	size_t len;
};

typedef int (*jparse_fn)(struct jctx *c, yajl_val v, void *out);

enum jkind {
	JK_STRING, /* const char * */
	JK_BOOL,   /* bool */
	JK_U16,
	JK_U32,
	JK_I32,
	JK_U64,
	JK_I64,
	JK_STRV,   /* struct strv */
	JK_STRMAP, /* struct strmap */
	JK_CUSTOM, /* parse(c, v, target + offset) */
};

struct jfield {
	const char *name;
	enum jkind kind;
	size_t offset;
	ssize_t set_offset; /* bool marking presence (opt_* .set, .present), or -1 */
	jparse_fn parse;
};

#define JF(type, key, kind, member) { key, kind, offsetof(type, member), -1, NULL }
/* An opt_* member: the value and its .set flag. */
#define JF_OPT(type, key, kind, member) \
	{ key, kind, offsetof(type, member.v), (ssize_t)offsetof(type, member.set), NULL }
/* A plain member with a bool beside it that records presence (for values
 * where absent and 0 differ but the member is not an opt_*). */
#define JF_SET(type, key, kind, member, flag) \
	{ key, kind, offsetof(type, member), (ssize_t)offsetof(type, flag), NULL }
#define JF_FN(type, key, member, fn) { key, JK_CUSTOM, offsetof(type, member), -1, fn }
/* A custom reader whose success also sets a bool flag. */
#define JF_FN_SET(type, key, member, flag, fn) \
	{ key, JK_CUSTOM, offsetof(type, member), (ssize_t)offsetof(type, flag), fn }
/* fn gets the object that holds the field (for arrays with a count beside them). */
#define JF_WHOLE(key, fn) { key, JK_CUSTOM, 0, -1, fn }
#define JF_END { NULL, 0, 0, -1, NULL }

int json_object(struct jctx *c, yajl_val v, const struct jfield *fields, void *target);

/* Read an array of objects: allocates n elements of `size` and calls fn on
 * each with the path extended by [i]. */
int json_array(struct jctx *c, yajl_val v, size_t size, jparse_fn fn, void **ret,
	       size_t *ret_n);

/* Read an object whose keys are names (rdma devices, clocks, network
 * devices) into n elements of `size`: fn reads each value with the path
 * extended by the key, and the key is stored as a const char * at
 * key_offset in the element. */
int json_map(struct jctx *c, yajl_val v, size_t size, size_t key_offset, jparse_fn fn,
	     void **ret, size_t *ret_n);

/* Path handling: push returns the old length for pop. */
size_t json_push_key(struct jctx *c, const char *key);
size_t json_push_index(struct jctx *c, size_t i);
void json_pop(struct jctx *c, size_t len);

/* prefix + key as json_push_key writes it: "linux.netDevices.eth0",
 * "linux.sysctl[\"net.ipv4.ip_forward\"]".  For rules outside the loader
 * that name an element by its key. */
void json_path_key(char *out, size_t size, const char *prefix, const char *key);

/* A type error at the current path. */
int json_type_error(struct jctx *c, yajl_val v, const char *expected);
int json_fail(struct jctx *c, const char *fmt, ...) HAKO_PRINTF(2, 3);

/* Scalar readers (JSON null is an error here; callers treat null as absent). */
int json_string(struct jctx *c, yajl_val v, const char **out);
int json_u64(struct jctx *c, yajl_val v, uint64_t max, uint64_t *out);
int json_i64(struct jctx *c, yajl_val v, int64_t min, int64_t max, int64_t *out);
int json_strv(struct jctx *c, yajl_val v, struct strv *out);
int json_strmap(struct jctx *c, yajl_val v, struct strmap *out);

/* Parse text into a tree; errors name `what` (a file name) and the
 * parser's message on one line. */
int json_parse(const char *text, const char *what, yajl_val *ret, struct hako_err *err);

/* The object has `key` with a value other than null. */
bool json_has(yajl_val obj, const char *key);

/* Lookup helpers for code that reads its own JSON (state.json). */
yajl_val json_get(yajl_val obj, const char *key);
const char *json_get_string(yajl_val obj, const char *key);
bool json_get_int(yajl_val obj, const char *key, long long *out);

/* Serialize a tree back to JSON text (state.json keeps parts of config.json). */
void json_write_value(struct buf *b, yajl_val v);

/* Parse the "hooks" object of a config (state.json keeps poststart/poststop). */
int spec_parse_hooks(yajl_val v, struct spec_hooks *out, struct arena *arena,
		     struct hako_err *err);

#endif
