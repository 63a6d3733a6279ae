/* load.c - config.json into struct spec.
 *
 * One table per JSON object of runtime-spec v1.3.0 (config.md and
 * config-linux.md).  This file checks types and names (JSON kinds, ranges,
 * capability and rlimit names, enum spellings); rules between values live in
 * validate.c.  Windows, Solaris, VM and z/OS sections are ignored.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "spec/config.h"
#include "spec/json.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"


const char *strmap_get(const struct strmap *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->key[i], key) == 0)
			return m->value[i];
	return NULL;
}

/* ---- process ---------------------------------------------------------------- */

static int parse_gids(struct jctx *c, yajl_val v, void *out)
{
	struct spec_user *u = out;

	if (!YAJL_IS_ARRAY(v))
		return json_type_error(c, v, "an array of gids");
	u->n_additional_gids = v->u.array.len;
	u->additional_gids = arena_array(c->arena, v->u.array.len + 1, sizeof(uint32_t));
	for (size_t i = 0; i < v->u.array.len; i++) {
		uint64_t g;
		size_t old = json_push_index(c, i);
		int r = json_u64(c, v->u.array.values[i], UINT32_MAX, &g);
		json_pop(c, old);
		if (r < 0)
			return r;
		u->additional_gids[i] = (uint32_t)g;
	}
	return 0;
}

static const struct jfield user_fields[] = {
	JF(struct spec_user, "uid", JK_U32, uid),
	JF(struct spec_user, "gid", JK_U32, gid),
	JF_OPT(struct spec_user, "umask", JK_U32, umask),
	JF_WHOLE("additionalGids", parse_gids),
	JF(struct spec_user, "username", JK_STRING, username),
	JF_END,
};

static int parse_user(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, user_fields, out);
}

/* Capability names in one set.  A name hako does not know is an error that
 * names it (and a near miss); runtime-spec only asks for a warning, but a
 * typo that silently drops a capability is the confusion hako exists to
 * prevent. */
static int parse_capset(struct jctx *c, yajl_val v, void *out)
{
	uint64_t *set = out;

	if (!YAJL_IS_ARRAY(v))
		return json_type_error(c, v, "an array of capability names");
	*set = 0;
	for (size_t i = 0; i < v->u.array.len; i++) {
		const char *name;
		size_t old = json_push_index(c, i);
		int r = json_string(c, v->u.array.values[i], &name);
		if (r == 0) {
			int cap = cap_from_name(name);
			if (cap < 0) {
				const char *near = cap_suggest(name);
				r = json_fail(c, "unknown capability \"%s\"%s%s%s", name,
					      near ? " (did you mean " : "", near ? near : "",
					      near ? "?)" : "");
				hako_err_hint(c->err,
					      "capability names are spelled as in capabilities(7), "
					      "with the CAP_ prefix: CAP_NET_ADMIN, CAP_IPC_LOCK");
			} else {
				*set |= 1ULL << cap;
			}
		}
		json_pop(c, old);
		if (r < 0)
			return r;
	}
	return 0;
}

#define CAPSET_FIELD(key, kind) \
	JF_FN_SET(struct spec_capabilities, key, set[kind], listed[kind], parse_capset)
static const struct jfield capabilities_fields[] = {
	CAPSET_FIELD("bounding", CAPSET_BOUNDING),
	CAPSET_FIELD("effective", CAPSET_EFFECTIVE),
	CAPSET_FIELD("inheritable", CAPSET_INHERITABLE),
	CAPSET_FIELD("permitted", CAPSET_PERMITTED),
	CAPSET_FIELD("ambient", CAPSET_AMBIENT),
	JF_END,
};
#undef CAPSET_FIELD

static int parse_capabilities(struct jctx *c, yajl_val v, void *out)
{
	((struct spec_capabilities *)out)->present = true;
	return json_object(c, v, capabilities_fields, out);
}

static const struct jfield rlimit_fields[] = {
	JF(struct spec_rlimit, "type", JK_STRING, type),
	JF(struct spec_rlimit, "soft", JK_U64, soft),
	JF(struct spec_rlimit, "hard", JK_U64, hard),
	JF_END,
};

static int parse_rlimit(struct jctx *c, yajl_val v, void *out)
{
	struct spec_rlimit *rl = out;
	int r = json_object(c, v, rlimit_fields, out);

	if (r < 0)
		return r;
	if (!rl->type)
		return json_fail(c, "\"type\" is required");
	/* soft and hard are REQUIRED: an absent one would silently be 0 */
	if (!json_has(v, "soft") || !json_has(v, "hard"))
		return json_fail(c, "%s needs both \"soft\" and \"hard\"", rl->type);
	rl->resource = rlimit_from_name(rl->type);
	if (rl->resource < 0) {
		size_t old = json_push_key(c, "type");
		r = json_fail(c, "unknown rlimit \"%s\"", rl->type);
		hako_err_hint(c->err, "rlimit types are RLIMIT_CPU, RLIMIT_NOFILE, RLIMIT_MEMLOCK, "
				      "... as in getrlimit(2)");
		json_pop(c, old);
		return r;
	}
	return 0;
}

static int parse_rlimits(struct jctx *c, yajl_val v, void *out)
{
	struct spec_process *p = out;

	return json_array(c, v, sizeof(struct spec_rlimit), parse_rlimit, (void **)&p->rlimits,
			  &p->n_rlimits);
}

static const struct jfield console_fields[] = {
	JF(struct spec_process, "height", JK_U32, console_size.height),
	JF(struct spec_process, "width", JK_U32, console_size.width),
	JF_END,
};

static int parse_console_size(struct jctx *c, yajl_val v, void *out)
{
	struct spec_process *p = out;

	p->console_size.present = true;
	return json_object(c, v, console_fields, p);
}

static const struct jfield scheduler_fields[] = {
	JF(struct spec_scheduler, "policy", JK_STRING, policy),
	JF(struct spec_scheduler, "nice", JK_I32, nice),
	JF(struct spec_scheduler, "priority", JK_I32, priority),
	JF(struct spec_scheduler, "flags", JK_STRV, flags),
	JF(struct spec_scheduler, "runtime", JK_U64, runtime),
	JF(struct spec_scheduler, "deadline", JK_U64, deadline),
	JF(struct spec_scheduler, "period", JK_U64, period),
	JF_END,
};

static int parse_scheduler(struct jctx *c, yajl_val v, void *out)
{
	struct spec_scheduler *s = out;

	s->present = true;
	return json_object(c, v, scheduler_fields, out);
}

static const struct jfield io_priority_fields[] = {
	JF(struct spec_io_priority, "class", JK_STRING, class),
	JF(struct spec_io_priority, "priority", JK_I32, priority),
	JF_END,
};

static int parse_io_priority(struct jctx *c, yajl_val v, void *out)
{
	struct spec_io_priority *p = out;

	p->present = true;
	return json_object(c, v, io_priority_fields, out);
}

static const struct jfield affinity_fields[] = {
	JF(struct spec_process, "initial", JK_STRING, exec_cpu_affinity.initial),
	JF(struct spec_process, "final", JK_STRING, exec_cpu_affinity.final),
	JF_END,
};

static int parse_affinity(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, affinity_fields, out);
}

#define T struct spec_process
static const struct jfield process_fields[] = {
	JF(T, "terminal", JK_BOOL, terminal),
	JF_WHOLE("consoleSize", parse_console_size),
	JF_FN(T, "user", user, parse_user),
	JF(T, "args", JK_STRV, args),
	JF(T, "env", JK_STRV, env),
	JF(T, "cwd", JK_STRING, cwd),
	JF_FN(T, "capabilities", capabilities, parse_capabilities),
	JF_WHOLE("rlimits", parse_rlimits),
	JF(T, "noNewPrivileges", JK_BOOL, no_new_privileges),
	JF(T, "apparmorProfile", JK_STRING, apparmor_profile),
	JF_OPT(T, "oomScoreAdj", JK_I32, oom_score_adj),
	JF_FN(T, "scheduler", scheduler, parse_scheduler),
	JF(T, "selinuxLabel", JK_STRING, selinux_label),
	JF_FN(T, "ioPriority", io_priority, parse_io_priority),
	JF_WHOLE("execCPUAffinity", parse_affinity),
	JF_END,
};
#undef T

static int parse_process(struct jctx *c, yajl_val v, void *out)
{
	struct spec_process *p = out;

	p->present = true;
	return json_object(c, v, process_fields, out);
}

/* ---- root, mounts, hooks ------------------------------------------------------ */

static const struct jfield root_fields[] = {
	JF(struct spec_root, "path", JK_STRING, path),
	JF(struct spec_root, "readonly", JK_BOOL, readonly),
	JF_END,
};

static int parse_root(struct jctx *c, yajl_val v, void *out)
{
	struct spec_root *root = out;

	root->present = true;
	return json_object(c, v, root_fields, out);
}

static const struct jfield idmap_fields[] = {
	JF(struct spec_idmap, "containerID", JK_U32, container_id),
	JF(struct spec_idmap, "hostID", JK_U32, host_id),
	JF(struct spec_idmap, "size", JK_U32, size),
	JF_END,
};

static int parse_idmap(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, idmap_fields, out);
}

#define IDMAP_ARRAY_PARSER(fn, type, member, count)                                      \
	static int fn(struct jctx *c, yajl_val v, void *out)                             \
	{                                                                                \
		type *o = out;                \
		return json_array(c, v, sizeof(struct spec_idmap), parse_idmap,          \
				  (void **)&o->member, &o->count);                       \
	}

IDMAP_ARRAY_PARSER(parse_mount_uidmap, struct spec_mount, uid_mappings, n_uid_mappings)
IDMAP_ARRAY_PARSER(parse_mount_gidmap, struct spec_mount, gid_mappings, n_gid_mappings)
IDMAP_ARRAY_PARSER(parse_linux_uidmap, struct spec_linux, uid_mappings, n_uid_mappings)
IDMAP_ARRAY_PARSER(parse_linux_gidmap, struct spec_linux, gid_mappings, n_gid_mappings)

static const struct jfield mount_fields[] = {
	JF(struct spec_mount, "destination", JK_STRING, destination),
	JF(struct spec_mount, "type", JK_STRING, type),
	JF(struct spec_mount, "source", JK_STRING, source),
	JF(struct spec_mount, "options", JK_STRV, options),
	JF_WHOLE("uidMappings", parse_mount_uidmap),
	JF_WHOLE("gidMappings", parse_mount_gidmap),
	JF_END,
};

static int parse_mount(struct jctx *c, yajl_val v, void *out)
{
	struct spec_mount *m = out;
	int r = json_object(c, v, mount_fields, out);

	if (r < 0)
		return r;
	if (!m->destination)
		return json_fail(c, "\"destination\" is required");
	return 0;
}

static const struct jfield hook_fields[] = {
	JF(struct spec_hook, "path", JK_STRING, path),
	JF(struct spec_hook, "args", JK_STRV, args),
	JF(struct spec_hook, "env", JK_STRV, env),
	JF_OPT(struct spec_hook, "timeout", JK_I32, timeout),
	JF_END,
};

static int parse_hook(struct jctx *c, yajl_val v, void *out)
{
	struct spec_hook *h = out;
	int r = json_object(c, v, hook_fields, out);

	if (r < 0)
		return r;
	if (!h->path)
		return json_fail(c, "\"path\" is required");
	return 0;
}

#define HOOK_LIST_PARSER(fn, kind)                                                       \
	static int fn(struct jctx *c, yajl_val v, void *out)                             \
	{                                                                                \
		struct spec_hooks *h = out;                                              \
		return json_array(c, v, sizeof(struct spec_hook), parse_hook,            \
				  (void **)&h->list[kind], &h->n[kind]);                 \
	}
HOOK_LIST_PARSER(parse_prestart, HOOK_PRESTART)
HOOK_LIST_PARSER(parse_create_runtime, HOOK_CREATE_RUNTIME)
HOOK_LIST_PARSER(parse_create_container, HOOK_CREATE_CONTAINER)
HOOK_LIST_PARSER(parse_start_container, HOOK_START_CONTAINER)
HOOK_LIST_PARSER(parse_poststart, HOOK_POSTSTART)
HOOK_LIST_PARSER(parse_poststop, HOOK_POSTSTOP)
#undef HOOK_LIST_PARSER

/* Keys as in hook_kind_names[]. */
static const struct jfield hooks_fields[] = {
	JF_WHOLE("prestart", parse_prestart),
	JF_WHOLE("createRuntime", parse_create_runtime),
	JF_WHOLE("createContainer", parse_create_container),
	JF_WHOLE("startContainer", parse_start_container),
	JF_WHOLE("poststart", parse_poststart),
	JF_WHOLE("poststop", parse_poststop),
	JF_END,
};

static int parse_hooks(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, hooks_fields, out);
}

/* ---- linux ----------------------------------------------------------------------- */

static int parse_namespaces(struct jctx *c, yajl_val v, void *out)
{
	struct spec_linux *l = out;

	if (!YAJL_IS_ARRAY(v))
		return json_type_error(c, v, "an array");
	l->namespaces_listed = true;
	for (size_t i = 0; i < v->u.array.len; i++) {
		yajl_val e = v->u.array.values[i];
		size_t old = json_push_index(c, i);
		const char *type = json_get_string(e, "type");
		yajl_val path = json_get(e, "path");
		int t, r = 0;

		if (!YAJL_IS_OBJECT(e))
			r = json_type_error(c, e, "an object");
		else if (!type)
			r = json_fail(c, "\"type\" is required and must be a string");
		else if ((t = name_index(ns_type_names, NS_MAX, type)) < 0)
			r = json_fail(c, "unknown namespace type \"%s\" (known: pid, network, mount, "
					 "ipc, uts, user, cgroup, time)", type);
		else if (l->ns[t].present)
			r = json_fail(c, "namespace type \"%s\" is listed twice", type);
		else {
			l->ns[t].present = true;
			l->ns[t].index = i;
			if (path && !YAJL_IS_NULL(path)) {
				size_t o2 = json_push_key(c, "path");
				r = json_string(c, path, &l->ns[t].path);
				if (r == 0 && l->ns[t].path[0] == '\0')
					l->ns[t].path = NULL;
				json_pop(c, o2);
			}
		}
		json_pop(c, old);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct jfield device_fields[] = {
	JF(struct spec_device, "path", JK_STRING, path),
	JF(struct spec_device, "type", JK_STRING, type),
	JF_SET(struct spec_device, "major", JK_I64, major, major_set),
	JF_SET(struct spec_device, "minor", JK_I64, minor, minor_set),
	JF_OPT(struct spec_device, "fileMode", JK_U32, file_mode),
	JF_OPT(struct spec_device, "uid", JK_U32, uid),
	JF_OPT(struct spec_device, "gid", JK_U32, gid),
	JF_END,
};

static int parse_device(struct jctx *c, yajl_val v, void *out)
{
	struct spec_device *d = out;
	int r = json_object(c, v, device_fields, out);

	if (r < 0)
		return r;
	if (!d->path)
		return json_fail(c, "\"path\" is required");
	if (!d->type)
		return json_fail(c, "\"type\" is required (c, b, u or p)");
	return 0;
}

static int parse_devices(struct jctx *c, yajl_val v, void *out)
{
	struct spec_linux *l = out;

	return json_array(c, v, sizeof(struct spec_device), parse_device, (void **)&l->devices,
			  &l->n_devices);
}

/* resources */

static const struct jfield device_rule_fields[] = {
	JF(struct spec_device_rule, "allow", JK_BOOL, allow),
	JF(struct spec_device_rule, "type", JK_STRING, type),
	JF_OPT(struct spec_device_rule, "major", JK_I64, major),
	JF_OPT(struct spec_device_rule, "minor", JK_I64, minor),
	JF(struct spec_device_rule, "access", JK_STRING, access),
	JF_END,
};

static int parse_device_rule(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, device_rule_fields, out);
}

static int parse_device_rules(struct jctx *c, yajl_val v, void *out)
{
	struct spec_resources *res = out;

	return json_array(c, v, sizeof(struct spec_device_rule), parse_device_rule,
			  (void **)&res->devices, &res->n_devices);
}

#define M struct spec_memory
static const struct jfield memory_fields[] = {
	JF_OPT(M, "limit", JK_I64, limit),
	JF_OPT(M, "reservation", JK_I64, reservation),
	JF_OPT(M, "swap", JK_I64, swap),
	JF_OPT(M, "kernel", JK_I64, kernel),
	JF_OPT(M, "kernelTCP", JK_I64, kernel_tcp),
	JF_OPT(M, "swappiness", JK_U64, swappiness),
	JF_OPT(M, "disableOOMKiller", JK_BOOL, disable_oom_killer),
	JF_OPT(M, "useHierarchy", JK_BOOL, use_hierarchy),
	JF_OPT(M, "checkBeforeUpdate", JK_BOOL, check_before_update),
	JF_END,
};
#undef M

static int parse_memory(struct jctx *c, yajl_val v, void *out)
{
	((struct spec_memory *)out)->present = true;
	return json_object(c, v, memory_fields, out);
}

#define C struct spec_cpu
static const struct jfield cpu_fields[] = {
	JF_OPT(C, "shares", JK_U64, shares),
	JF_OPT(C, "quota", JK_I64, quota),
	JF_OPT(C, "burst", JK_U64, burst),
	JF_OPT(C, "period", JK_U64, period),
	JF_OPT(C, "realtimeRuntime", JK_I64, realtime_runtime),
	JF_OPT(C, "realtimePeriod", JK_U64, realtime_period),
	JF(C, "cpus", JK_STRING, cpus),
	JF(C, "mems", JK_STRING, mems),
	JF_OPT(C, "idle", JK_I64, idle),
	JF_END,
};
#undef C

static int parse_cpu(struct jctx *c, yajl_val v, void *out)
{
	((struct spec_cpu *)out)->present = true;
	return json_object(c, v, cpu_fields, out);
}

static const struct jfield pids_fields[] = {
	JF_SET(struct spec_resources, "limit", JK_I64, pids.limit, pids.limit_set),
	JF_END,
};

static int parse_pids(struct jctx *c, yajl_val v, void *out)
{
	struct spec_resources *res = out;

	res->pids.present = true;
	return json_object(c, v, pids_fields, res);
}

static const struct jfield block_device_fields[] = {
	JF(struct spec_block_device, "major", JK_I64, major),
	JF(struct spec_block_device, "minor", JK_I64, minor),
	JF_OPT(struct spec_block_device, "weight", JK_U16, weight),
	JF_OPT(struct spec_block_device, "leafWeight", JK_U16, leaf_weight),
	JF(struct spec_block_device, "rate", JK_U64, rate),
	JF_END,
};

/* major and minor are REQUIRED in every blockIO device entry; a throttle
 * entry also needs its rate (config-linux.md "Block IO"). */
static int block_device(struct jctx *c, yajl_val v, void *out, bool throttle)
{
	int r = json_object(c, v, block_device_fields, out);

	if (r < 0)
		return r;
	if (!json_has(v, "major") || !json_has(v, "minor"))
		return json_fail(c, "\"major\" and \"minor\" are required");
	if (throttle && !json_has(v, "rate"))
		return json_fail(c, "\"rate\" is required");
	return 0;
}

static int parse_weight_device(struct jctx *c, yajl_val v, void *out)
{
	return block_device(c, v, out, false);
}

static int parse_throttle_device(struct jctx *c, yajl_val v, void *out)
{
	return block_device(c, v, out, true);
}

static int parse_weight_devices(struct jctx *c, yajl_val v, void *out)
{
	struct spec_block_io *b = out;

	return json_array(c, v, sizeof(struct spec_block_device), parse_weight_device,
			  (void **)&b->weight_devices, &b->n_weight_devices);
}

#define THROTTLE_PARSER(fn, kind)                                                        \
	static int fn(struct jctx *c, yajl_val v, void *out)                             \
	{                                                                                \
		struct spec_block_io *b = out;                                           \
		return json_array(c, v, sizeof(struct spec_block_device),               \
				  parse_throttle_device, (void **)&b->throttle[kind],    \
				  &b->n_throttle[kind]);                                 \
	}
THROTTLE_PARSER(parse_read_bps, THROTTLE_READ_BPS)
THROTTLE_PARSER(parse_write_bps, THROTTLE_WRITE_BPS)
THROTTLE_PARSER(parse_read_iops, THROTTLE_READ_IOPS)
THROTTLE_PARSER(parse_write_iops, THROTTLE_WRITE_IOPS)
#undef THROTTLE_PARSER

static const struct jfield block_io_fields[] = {
	JF_OPT(struct spec_block_io, "weight", JK_U16, weight),
	JF_OPT(struct spec_block_io, "leafWeight", JK_U16, leaf_weight),
	JF_WHOLE("weightDevice", parse_weight_devices),
	JF_WHOLE("throttleReadBpsDevice", parse_read_bps),
	JF_WHOLE("throttleWriteBpsDevice", parse_write_bps),
	JF_WHOLE("throttleReadIOPSDevice", parse_read_iops),
	JF_WHOLE("throttleWriteIOPSDevice", parse_write_iops),
	JF_END,
};

static int parse_block_io(struct jctx *c, yajl_val v, void *out)
{
	((struct spec_block_io *)out)->present = true;
	return json_object(c, v, block_io_fields, out);
}

static const struct jfield hugepage_fields[] = {
	JF(struct spec_hugepage_limit, "pageSize", JK_STRING, page_size),
	JF(struct spec_hugepage_limit, "limit", JK_U64, limit),
	JF_END,
};

static int parse_hugepage(struct jctx *c, yajl_val v, void *out)
{
	struct spec_hugepage_limit *h = out;
	int r = json_object(c, v, hugepage_fields, out);

	if (r < 0)
		return r;
	if (!h->page_size || !json_has(v, "limit"))
		return json_fail(c, "\"pageSize\" and \"limit\" are required");
	return 0;
}

static int parse_hugepages(struct jctx *c, yajl_val v, void *out)
{
	struct spec_resources *res = out;

	return json_array(c, v, sizeof(struct spec_hugepage_limit), parse_hugepage,
			  (void **)&res->hugepage_limits, &res->n_hugepage_limits);
}

static const struct jfield if_priority_fields[] = {
	JF(struct spec_if_priority, "name", JK_STRING, name),
	JF(struct spec_if_priority, "priority", JK_U32, priority),
	JF_END,
};

static int parse_if_priority(struct jctx *c, yajl_val v, void *out)
{
	struct spec_if_priority *p = out;
	int r = json_object(c, v, if_priority_fields, out);

	if (r < 0)
		return r;
	if (!p->name || !json_has(v, "priority"))
		return json_fail(c, "\"name\" and \"priority\" are required");
	return 0;
}

static int parse_if_priorities(struct jctx *c, yajl_val v, void *out)
{
	struct spec_resources *res = out;

	return json_array(c, v, sizeof(struct spec_if_priority), parse_if_priority,
			  (void **)&res->network.priorities, &res->network.n_priorities);
}

static const struct jfield network_fields[] = {
	JF_OPT(struct spec_resources, "classID", JK_U32, network.class_id),
	JF_WHOLE("priorities", parse_if_priorities),
	JF_END,
};

static int parse_network(struct jctx *c, yajl_val v, void *out)
{
	struct spec_resources *res = out;

	res->network.present = true;
	return json_object(c, v, network_fields, res);
}

static const struct jfield rdma_fields[] = {
	JF_OPT(struct spec_rdma, "hcaHandles", JK_U32, hca_handles),
	JF_OPT(struct spec_rdma, "hcaObjects", JK_U32, hca_objects),
	JF_END,
};

static int parse_rdma_device(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, rdma_fields, out);
}

static int parse_rdma(struct jctx *c, yajl_val v, void *out)
{
	struct spec_resources *res = out;

	return json_map(c, v, sizeof(struct spec_rdma), offsetof(struct spec_rdma, device),
			parse_rdma_device, (void **)&res->rdma, &res->n_rdma);
}

#define R struct spec_resources
static const struct jfield resources_fields[] = {
	JF_WHOLE("devices", parse_device_rules),
	JF_FN(R, "memory", memory, parse_memory),
	JF_FN(R, "cpu", cpu, parse_cpu),
	JF_WHOLE("pids", parse_pids),
	JF_FN(R, "blockIO", block_io, parse_block_io),
	JF_WHOLE("hugepageLimits", parse_hugepages),
	JF_WHOLE("network", parse_network),
	JF_WHOLE("rdma", parse_rdma),
	JF(R, "unified", JK_STRMAP, unified),
	JF_END,
};
#undef R

static int parse_resources(struct jctx *c, yajl_val v, void *out)
{
	((struct spec_resources *)out)->present = true;
	return json_object(c, v, resources_fields, out);
}

/* seccomp */

static int parse_seccomp_action(struct jctx *c, yajl_val v, void *out)
{
	enum seccomp_action *a = out;
	const char *name;
	int r = json_string(c, v, &name);

	if (r < 0)
		return r;
	*a = name_index(seccomp_action_names, SCMP_ACTION_MAX, name);
	if ((int)*a < 0)
		return json_fail(c, "unknown seccomp action \"%s\" (known: SCMP_ACT_ALLOW, "
				    "SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, "
				    "SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE, "
				    "SCMP_ACT_LOG, SCMP_ACT_NOTIFY)", name);
	return 0;
}

static int parse_seccomp_op(struct jctx *c, yajl_val v, void *out)
{
	enum seccomp_op *op = out;
	const char *name;
	int r = json_string(c, v, &name);

	if (r < 0)
		return r;
	*op = name_index(seccomp_op_names, SCMP_OP_MAX, name);
	if ((int)*op < 0)
		return json_fail(c, "unknown seccomp operator \"%s\" (known: SCMP_CMP_NE, "
				    "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, "
				    "SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)", name);
	return 0;
}

static const struct jfield seccomp_arg_fields[] = {
	JF(struct spec_seccomp_arg, "index", JK_U32, index),
	JF(struct spec_seccomp_arg, "value", JK_U64, value),
	JF(struct spec_seccomp_arg, "valueTwo", JK_U64, value_two),
	JF_FN(struct spec_seccomp_arg, "op", op, parse_seccomp_op),
	JF_END,
};

static int parse_seccomp_arg(struct jctx *c, yajl_val v, void *out)
{
	struct spec_seccomp_arg *a = out;

	a->op = SCMP_OP_INVALID;
	int r = json_object(c, v, seccomp_arg_fields, out);
	if (r < 0)
		return r;
	if (a->op == SCMP_OP_INVALID)
		return json_fail(c, "\"op\" is required");
	return 0;
}

static int parse_seccomp_args(struct jctx *c, yajl_val v, void *out)
{
	struct spec_seccomp_rule *rule = out;

	return json_array(c, v, sizeof(struct spec_seccomp_arg), parse_seccomp_arg,
			  (void **)&rule->args, &rule->n_args);
}

static const struct jfield seccomp_rule_fields[] = {
	JF(struct spec_seccomp_rule, "names", JK_STRV, names),
	JF_FN(struct spec_seccomp_rule, "action", action, parse_seccomp_action),
	JF_OPT(struct spec_seccomp_rule, "errnoRet", JK_U32, errno_ret),
	JF_WHOLE("args", parse_seccomp_args),
	JF_END,
};

static int parse_seccomp_rule(struct jctx *c, yajl_val v, void *out)
{
	struct spec_seccomp_rule *rule = out;

	rule->action = SCMP_ACTION_INVALID;
	int r = json_object(c, v, seccomp_rule_fields, out);
	if (r < 0)
		return r;
	if (rule->action == SCMP_ACTION_INVALID)
		return json_fail(c, "\"action\" is required");
	return 0;
}

static int parse_seccomp_rules(struct jctx *c, yajl_val v, void *out)
{
	struct spec_seccomp *s = out;

	return json_array(c, v, sizeof(struct spec_seccomp_rule), parse_seccomp_rule,
			  (void **)&s->syscalls, &s->n_syscalls);
}

#define S struct spec_seccomp
static const struct jfield seccomp_fields[] = {
	JF_FN(S, "defaultAction", default_action, parse_seccomp_action),
	JF_OPT(S, "defaultErrnoRet", JK_U32, default_errno_ret),
	JF(S, "architectures", JK_STRV, architectures),
	JF(S, "flags", JK_STRV, flags),
	JF(S, "listenerPath", JK_STRING, listener_path),
	JF(S, "listenerMetadata", JK_STRING, listener_metadata),
	JF_WHOLE("syscalls", parse_seccomp_rules),
	JF_END,
};
#undef S

static int parse_seccomp(struct jctx *c, yajl_val v, void *out)
{
	struct spec_seccomp *s = out;

	s->present = true;
	s->default_action = SCMP_ACTION_INVALID;
	int r = json_object(c, v, seccomp_fields, out);
	if (r < 0)
		return r;
	if (s->default_action == SCMP_ACTION_INVALID)
		return json_fail(c, "\"defaultAction\" is required");
	return 0;
}

#define I struct spec_intel_rdt
static const struct jfield intel_rdt_fields[] = {
	JF(I, "closID", JK_STRING, clos_id),
	JF(I, "l3CacheSchema", JK_STRING, l3_cache_schema),
	JF(I, "memBwSchema", JK_STRING, mem_bw_schema),
	JF(I, "schemata", JK_STRV, schemata),
	JF_OPT(I, "enableMonitoring", JK_BOOL, enable_monitoring),
	JF_OPT(I, "enableCMT", JK_BOOL, enable_cmt),
	JF_OPT(I, "enableMBM", JK_BOOL, enable_mbm),
	JF_END,
};
#undef I

static int parse_intel_rdt(struct jctx *c, yajl_val v, void *out)
{
	((struct spec_intel_rdt *)out)->present = true;
	return json_object(c, v, intel_rdt_fields, out);
}

static const struct jfield personality_fields[] = {
	JF(struct spec_linux, "domain", JK_STRING, personality.domain),
	JF(struct spec_linux, "flags", JK_STRV, personality.flags),
	JF_END,
};

static int parse_personality(struct jctx *c, yajl_val v, void *out)
{
	struct spec_linux *l = out;

	l->personality.present = true;
	return json_object(c, v, personality_fields, l);
}

static const struct jfield time_offset_fields[] = {
	JF(struct spec_time_offset, "secs", JK_I64, secs),
	JF(struct spec_time_offset, "nanosecs", JK_U32, nanosecs),
	JF_END,
};

static int parse_time_offset(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, time_offset_fields, out);
}

static int parse_time_offsets(struct jctx *c, yajl_val v, void *out)
{
	struct spec_linux *l = out;

	return json_map(c, v, sizeof(struct spec_time_offset),
			offsetof(struct spec_time_offset, clock), parse_time_offset,
			(void **)&l->time_offsets, &l->n_time_offsets);
}

static const struct jfield memory_policy_fields[] = {
	JF(struct spec_linux, "mode", JK_STRING, memory_policy.mode),
	JF(struct spec_linux, "nodes", JK_STRING, memory_policy.nodes),
	JF(struct spec_linux, "flags", JK_STRV, memory_policy.flags),
	JF_END,
};

static int parse_memory_policy(struct jctx *c, yajl_val v, void *out)
{
	struct spec_linux *l = out;

	l->memory_policy.present = true;
	return json_object(c, v, memory_policy_fields, l);
}

static const struct jfield net_device_fields[] = {
	JF(struct spec_net_device, "name", JK_STRING, name),
	JF_END,
};

static int parse_net_device(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, net_device_fields, out);
}

static int parse_net_devices(struct jctx *c, yajl_val v, void *out)
{
	struct spec_linux *l = out;

	return json_map(c, v, sizeof(struct spec_net_device),
			offsetof(struct spec_net_device, host_name), parse_net_device,
			(void **)&l->net_devices, &l->n_net_devices);
}

#define L struct spec_linux
static const struct jfield linux_fields[] = {
	JF_WHOLE("uidMappings", parse_linux_uidmap),
	JF_WHOLE("gidMappings", parse_linux_gidmap),
	JF(L, "sysctl", JK_STRMAP, sysctl),
	JF_FN(L, "resources", resources, parse_resources),
	JF(L, "cgroupsPath", JK_STRING, cgroups_path),
	JF_WHOLE("namespaces", parse_namespaces),
	JF_WHOLE("devices", parse_devices),
	JF_FN(L, "seccomp", seccomp, parse_seccomp),
	JF(L, "rootfsPropagation", JK_STRING, rootfs_propagation),
	JF(L, "maskedPaths", JK_STRV, masked_paths),
	JF(L, "readonlyPaths", JK_STRV, readonly_paths),
	JF(L, "mountLabel", JK_STRING, mount_label),
	JF_FN(L, "intelRdt", intel_rdt, parse_intel_rdt),
	JF_WHOLE("personality", parse_personality),
	JF_WHOLE("timeOffsets", parse_time_offsets),
	JF_WHOLE("memoryPolicy", parse_memory_policy),
	JF_WHOLE("netDevices", parse_net_devices),
	JF_END,
};
#undef L

static int parse_linux(struct jctx *c, yajl_val v, void *out)
{
	return json_object(c, v, linux_fields, out);
}

static int parse_mounts(struct jctx *c, yajl_val v, void *out)
{
	struct spec *s = out;

	return json_array(c, v, sizeof(struct spec_mount), parse_mount, (void **)&s->mounts,
			  &s->n_mounts);
}

static const struct jfield spec_fields[] = {
	JF(struct spec, "ociVersion", JK_STRING, oci_version),
	JF_FN(struct spec, "root", root, parse_root),
	JF_FN(struct spec, "process", process, parse_process),
	JF(struct spec, "hostname", JK_STRING, hostname),
	JF(struct spec, "domainname", JK_STRING, domainname),
	JF_WHOLE("mounts", parse_mounts),
	JF_FN(struct spec, "hooks", hooks, parse_hooks),
	JF(struct spec, "annotations", JK_STRMAP, annotations),
	JF_FN(struct spec, "linux", lnx, parse_linux),
	JF_END,
};

/* ---- entry points ----------------------------------------------------------------- */

static char *absolute_path(const char *base, const char *path)
{
	if (path[0] == '/' || !base)
		return xstrdup(path);
	return xasprintf("%s/%s", base, path);
}

int spec_load_string(const char *json, const char *bundle, struct spec **ret,
		     struct hako_err *err)
{
	_cleanup_spec_ struct spec *s = xcalloc(1, sizeof(*s));
	struct jctx c = { .arena = &s->arena, .err = err };
	yajl_val tree;
	int r;

	r = json_parse(json, "config.json", &tree, err);
	if (r < 0)
		return r;
	s->tree = tree;
	r = json_object(&c, tree, spec_fields, s);
	if (r < 0)
		return r;
	if (!s->oci_version)
		return hako_fail_config(err, "ociVersion", "ociVersion is required");
	if (bundle)
		s->bundle = xstrdup(bundle);
	if (s->root.present && s->root.path)
		s->rootfs = absolute_path(bundle, s->root.path);
	*ret = TAKE_PTR(s);
	return 0;
}

int spec_load_bundle(const char *bundle, struct spec **ret, struct hako_err *err)
{
	_cleanup_free_ char *abs = realpath(bundle, NULL);
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ char *path = NULL;
	int r;

	if (!abs)
		return hako_fail(err, errno, "open bundle", bundle,
				 "cannot use bundle directory '%s'", bundle);
	path = xasprintf("%s/config.json", abs);
	r = read_file_at(AT_FDCWD, path, &text, NULL, err);
	if (r < 0) {
		if (err->errnum == ENOENT)
			hako_err_hint(err, "a bundle is a directory with config.json and the root "
					   "file system; 'hako spec' writes a config.json");
		return r;
	}
	return spec_load_string(text, abs, ret, err);
}

void spec_free(struct spec *s)
{
	if (!s)
		return;
	if (s->tree)
		yajl_tree_free(s->tree);
	arena_release(&s->arena);
	free(s->bundle);
	free(s->rootfs);
	free(s);
}

int spec_parse_hooks(yajl_val v, struct spec_hooks *out, struct arena *arena,
		     struct hako_err *err)
{
	struct jctx c = { .arena = arena, .err = err };

	json_push_key(&c, "hooks");
	return parse_hooks(&c, v, out);
}
