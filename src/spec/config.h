/* config.h - the typed model of an OCI bundle's config.json.
 *
 * Covers opencontainers/runtime-spec v1.0 to v1.3.0 for Linux.  spec_load()
 * fills it from JSON; spec_validate() checks values against each other and
 * the host; everything below spec/ works from this model and never sees JSON.
 *
 * Strings point into the parsed JSON tree and arrays live in the spec's
 * arena: both go away with spec_free().  An absent optional scalar has
 * .set == false; an absent object has .present == false; an absent string is
 * NULL (so "" and absent stay distinguishable, as for hostname).
 */
#ifndef HAKO_SPEC_CONFIG_H
#define HAKO_SPEC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

#define SPEC_OPT(T) \
	struct {    \
		bool set; \
		T v;      \
	}
typedef SPEC_OPT(int64_t) opt_i64;
typedef SPEC_OPT(uint64_t) opt_u64;
typedef SPEC_OPT(int32_t) opt_i32;
typedef SPEC_OPT(uint32_t) opt_u32;
typedef SPEC_OPT(uint16_t) opt_u16;
typedef SPEC_OPT(bool) opt_bool;

/* A string list; v[n] is NULL so it can be passed to execve(2). */
struct strv {
	const char **v;
	size_t n;
};

/* A JSON object of strings, in file order. */
struct strmap {
	const char **key;
	const char **value;
	size_t n;
};

const char *strmap_get(const struct strmap *m, const char *key);

/* ---- process -------------------------------------------------------------- */

enum capset_kind {
	CAPSET_BOUNDING,
	CAPSET_EFFECTIVE,
	CAPSET_INHERITABLE,
	CAPSET_PERMITTED,
	CAPSET_AMBIENT,
	CAPSET_MAX
};

struct spec_capabilities {
	bool present;
	/* Bit n = capability n.  Names are checked at load; a name hako knows
	 * but the running kernel lacks is dropped by the validator with a
	 * warning, as runtime-spec asks. */
	uint64_t set[CAPSET_MAX];
	bool listed[CAPSET_MAX]; /* the key was present (an empty list drops all) */
};

struct spec_rlimit {
	const char *type; /* "RLIMIT_NOFILE" */
	int resource;     /* RLIMIT_NOFILE, or -1 if unknown */
	uint64_t soft, hard;
};

struct spec_user {
	uint32_t uid, gid;
	opt_u32 umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
	const char *username;
};

struct spec_scheduler {
	bool present;
	const char *policy;
	int32_t nice, priority;
	struct strv flags;
	uint64_t runtime, deadline, period;
};

struct spec_io_priority {
	bool present;
	const char *class;
	int32_t priority;
};

struct spec_process {
	bool present;
	bool terminal;
	struct {
		bool present;
		uint32_t height, width;
	} console_size;
	struct spec_user user;
	struct strv args;
	struct strv env;
	const char *cwd;
	struct spec_capabilities capabilities;
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	const char *apparmor_profile;
	opt_i32 oom_score_adj;
	struct spec_scheduler scheduler;
	const char *selinux_label;
	struct spec_io_priority io_priority;
	struct {
		const char *initial, *final;
	} exec_cpu_affinity;
};

/* ---- root, mounts, hooks ---------------------------------------------------- */

struct spec_root {
	bool present;
	const char *path;
	bool readonly;
};

struct spec_idmap {
	uint32_t container_id, host_id, size;
};

struct spec_mount {
	const char *destination;
	const char *type;
	const char *source;
	struct strv options;
	struct spec_idmap *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
};

enum hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_MAX
};

struct spec_hook {
	const char *path;
	struct strv args;
	struct strv env;
	opt_i32 timeout; /* seconds */
};

struct spec_hooks {
	struct spec_hook *list[HOOK_MAX];
	size_t n[HOOK_MAX];
};

extern const char *const hook_kind_names[HOOK_MAX];

/* ---- linux ----------------------------------------------------------------- */

enum ns_type { NS_PID, NS_NET, NS_MNT, NS_IPC, NS_UTS, NS_USER, NS_CGROUP, NS_TIME, NS_MAX };

/* "pid", "network", ... as config.json spells them. */
extern const char *const ns_type_names[NS_MAX];
/* "pid", "net", ... as /proc/<pid>/ns/ spells them. */
extern const char *const ns_proc_names[NS_MAX];

struct spec_namespace {
	bool present; /* listed: the container gets its own (new or joined) */
	const char *path; /* join this one instead of creating */
	size_t index;     /* position in linux.namespaces, for error paths */
};

struct spec_device {
	const char *path;
	const char *type; /* c, b, u, p */
	int64_t major, minor;
	bool major_set, minor_set; /* REQUIRED unless type is p */
	opt_u32 file_mode, uid, gid;
};

struct spec_device_rule {
	bool allow;
	const char *type; /* a, c, b; NULL = all */
	opt_i64 major, minor;
	const char *access;
};

struct spec_memory {
	bool present;
	opt_i64 limit, reservation, swap, kernel, kernel_tcp;
	opt_u64 swappiness;
	opt_bool disable_oom_killer, use_hierarchy, check_before_update;
};

struct spec_cpu {
	bool present;
	opt_u64 shares;
	opt_i64 quota;
	opt_u64 burst, period;
	opt_i64 realtime_runtime;
	opt_u64 realtime_period;
	const char *cpus, *mems;
	opt_i64 idle;
};

struct spec_block_device {
	int64_t major, minor;
	opt_u16 weight, leaf_weight; /* weightDevice */
	uint64_t rate;               /* throttle*Device */
};

enum throttle_kind { THROTTLE_READ_BPS, THROTTLE_WRITE_BPS, THROTTLE_READ_IOPS, THROTTLE_WRITE_IOPS, THROTTLE_MAX };

struct spec_block_io {
	bool present;
	opt_u16 weight, leaf_weight;
	struct spec_block_device *weight_devices;
	size_t n_weight_devices;
	struct spec_block_device *throttle[THROTTLE_MAX];
	size_t n_throttle[THROTTLE_MAX];
};

struct spec_hugepage_limit {
	const char *page_size; /* "2MB" */
	uint64_t limit;
};

struct spec_if_priority {
	const char *name;
	uint32_t priority;
};

struct spec_rdma {
	const char *device;
	opt_u32 hca_handles, hca_objects;
};

struct spec_resources {
	bool present;
	struct spec_device_rule *devices;
	size_t n_devices;
	struct spec_memory memory;
	struct spec_cpu cpu;
	struct {
		bool present;
		bool limit_set; /* absent is not 0: 0 is a valid limit (1.3) */
		int64_t limit;  /* -1 = max */
	} pids;
	struct spec_block_io block_io;
	struct spec_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	struct {
		bool present;
		opt_u32 class_id;
		struct spec_if_priority *priorities;
		size_t n_priorities;
	} network;
	struct spec_rdma *rdma;
	size_t n_rdma;
	struct strmap unified;
};

enum seccomp_action {
	SCMP_ACTION_INVALID = -1,
	SCMP_ACTION_KILL, /* = KILL_THREAD */
	SCMP_ACTION_KILL_PROCESS,
	SCMP_ACTION_KILL_THREAD,
	SCMP_ACTION_TRAP,
	SCMP_ACTION_ERRNO,
	SCMP_ACTION_TRACE,
	SCMP_ACTION_ALLOW,
	SCMP_ACTION_LOG,
	SCMP_ACTION_NOTIFY,
	SCMP_ACTION_MAX
};

extern const char *const seccomp_action_names[SCMP_ACTION_MAX];

enum seccomp_op {
	SCMP_OP_INVALID = -1,
	SCMP_OP_NE,
	SCMP_OP_LT,
	SCMP_OP_LE,
	SCMP_OP_EQ,
	SCMP_OP_GE,
	SCMP_OP_GT,
	SCMP_OP_MASKED_EQ,
	SCMP_OP_MAX
};

extern const char *const seccomp_op_names[SCMP_OP_MAX];

struct spec_seccomp_arg {
	uint32_t index;
	uint64_t value, value_two;
	enum seccomp_op op;
};

struct spec_seccomp_rule {
	struct strv names; /* syscall names and @groups, as written */
	enum seccomp_action action;
	opt_u32 errno_ret;
	struct spec_seccomp_arg *args;
	size_t n_args;
};

struct spec_seccomp {
	bool present;
	enum seccomp_action default_action;
	opt_u32 default_errno_ret;
	struct strv architectures;
	struct strv flags;
	const char *listener_path;
	const char *listener_metadata;
	struct spec_seccomp_rule *syscalls;
	size_t n_syscalls;
};

struct spec_intel_rdt {
	bool present;
	const char *clos_id, *l3_cache_schema, *mem_bw_schema;
	struct strv schemata;
	opt_bool enable_monitoring, enable_cmt, enable_mbm;
};

struct spec_time_offset {
	const char *clock; /* "monotonic", "boottime" */
	int64_t secs;
	uint32_t nanosecs;
};

struct spec_net_device {
	const char *host_name; /* the key of linux.netDevices */
	const char *name;      /* name inside the container, or NULL = same */
};

struct spec_linux {
	struct spec_idmap *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	struct strmap sysctl;
	struct spec_resources resources;
	const char *cgroups_path;
	struct spec_namespace ns[NS_MAX];
	bool namespaces_listed; /* linux.namespaces present at all */
	struct spec_device *devices;
	size_t n_devices;
	struct spec_seccomp seccomp;
	const char *rootfs_propagation;
	struct strv masked_paths;
	struct strv readonly_paths;
	const char *mount_label;
	struct spec_intel_rdt intel_rdt;
	struct {
		bool present;
		const char *domain;
		struct strv flags;
	} personality;
	struct spec_time_offset *time_offsets;
	size_t n_time_offsets;
	struct {
		bool present;
		const char *mode, *nodes;
		struct strv flags;
	} memory_policy;
	struct spec_net_device *net_devices;
	size_t n_net_devices;
};

/* ---- the whole config -------------------------------------------------------- */

struct spec {
	const char *oci_version;
	struct spec_root root;
	struct spec_process process;
	const char *hostname, *domainname;
	struct spec_mount *mounts;
	size_t n_mounts;
	struct spec_hooks hooks;
	struct strmap annotations;
	struct spec_linux lnx; /* "linux" itself is a predefined macro in GNU C */

	/* Not from config.json. */
	char *bundle; /* absolute path of the bundle directory */
	char *rootfs; /* absolute path of root.path */
	void *tree;   /* the parsed JSON the strings point into */
	struct arena arena;
};

/* Parse `json` (NUL-terminated).  The bundle may be NULL (unit tests); then
 * relative paths stay relative. */
int spec_load_string(const char *json, const char *bundle, struct spec **ret,
		     struct hako_err *err);
/* Read <bundle>/config.json. */
int spec_load_bundle(const char *bundle, struct spec **ret, struct hako_err *err);
void spec_free(struct spec *s);

static inline void spec_freep(struct spec **s)
{
	spec_free(*s);
}
#define _cleanup_spec_ __attribute__((cleanup(spec_freep)))

/* The container needs a namespace of this type of its own, new or joined. */
static inline bool spec_has_ns(const struct spec *s, enum ns_type t)
{
	return s->lnx.ns[t].present;
}

/* The container creates a new namespace of this type. */
static inline bool spec_new_ns(const struct spec *s, enum ns_type t)
{
	return s->lnx.ns[t].present && !s->lnx.ns[t].path;
}

#endif
