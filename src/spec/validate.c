/* validate.c - rules between config.json values, checked before anything is
 * created.
 *
 * Each rule names the element it rejects by its JSON path (the syntax of
 * load.c: "mounts[2].destination", "linux.sysctl[\"net.ipv4.ip_forward\"]")
 * and, where the fix is not obvious, says what to change.  Values the spec
 * says to ignore, or that are deprecated, give warnings.  The only host
 * checks are cheap ones: stat of root.path, statfs of /sys/fs/resctrl,
 * stat of joined namespace files against hako's own, and whether SELinux
 * is enabled (validate_lsm.c).
 *
 * This file: version, root, process, mounts, namespaces, and the entry
 * point; validate_linux.c: devices, paths, resources, seccomp, intelRdt,
 * memoryPolicy, hooks.
 */
#include "spec/validate.h"
#include "spec/validate_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec/json.h"
#include "spec/names.h"
#include "spec/sysctl_rules.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* The runtime-spec minor version hako implements. */
#define SPEC_MINOR 3

/* A config error whose message starts with its path: "<config>: <what>". */
int invalid(struct hako_err *err, const char *config, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hako_fail_config(err, config, "%s: %s", config, msg);
}

int check_absolute(const char *path, const char *config, struct hako_err *err)
{
	if (!path || path[0] != '/')
		return invalid(err, config, "\"%s\" is not an absolute path", path ? path : "");
	return 0;
}

/* "0-3,7": the list syntax of cpuset.cpus, memoryPolicy.nodes and
 * execCPUAffinity; every number below `limit`.  "" is an empty list. */
static bool id_list_valid(const char *s, unsigned long limit)
{
	while (*s) {
		char *end;
		unsigned long a, b;

		if (!isdigit((unsigned char)*s))
			return false;
		a = b = strtoul(s, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return false;
			b = strtoul(end + 1, &end, 10);
		}
		if (a > b || b >= limit || (*end && *end != ','))
			return false;
		s = *end ? end + 1 : end;
		if (end[0] == ',' && !*s)
			return false;
	}
	return true;
}

int check_list(const char *list, unsigned long limit, const char *config,
		      struct hako_err *err)
{
	if (list && !id_list_valid(list, limit))
		return invalid(err, config,
			   "\"%s\" is not a list such as \"0-3,7\" (numbers below %lu, ranges "
			   "low-high, comma-separated)",
			   list, limit);
	return 0;
}

/* NAME=VALUE with a non-empty NAME (environ(7)). */
int check_env(const struct strv *env, const char *prefix, struct hako_err *err)
{
	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		char config[96];

		if (eq && eq != env->v[i])
			continue;
		snprintf(config, sizeof(config), "%s[%zu]", prefix, i);
		return invalid(err, config, "\"%s\" is not of the form NAME=VALUE", env->v[i]);
	}
	return 0;
}

/* ---- version, root -------------------------------------------------------- */

/* 1, 1.MINOR or 1.MINOR.PATCH, with an optional SemVer pre-release or
 * build suffix; *minor gets MINOR (0 when absent). */
static bool parse_version(const char *v, unsigned long *minor)
{
	char *end;

	*minor = 0;
	if (!v || v[0] != '1')
		return false;
	v++;
	for (int part = 0; part < 2 && *v == '.'; part++) {
		if (!isdigit((unsigned char)v[1]))
			return false;
		unsigned long n = strtoul(v + 1, &end, 10);
		if (part == 0)
			*minor = n;
		v = end;
	}
	return *v == '\0' || *v == '-' || *v == '+';
}

bool spec_version_supported(const char *v)
{
	unsigned long minor;

	return parse_version(v, &minor);
}

static int validate_version(const struct spec *s, struct hako_err *err)
{
	unsigned long minor;
	int r;

	if (!parse_version(s->oci_version, &minor)) {
		r = hako_fail_config(err, "ociVersion",
				     "ociVersion: \"%s\" is not a 1.x version; hako implements "
				     "runtime-spec 1.0 to 1.%d",
				     s->oci_version ? s->oci_version : "", SPEC_MINOR);
		hako_err_hint(err, "write the runtime-spec version the config follows, such as "
				   "\"1.2.0\"");
		return r;
	}
	if (minor > SPEC_MINOR)
		hako_warn("ociVersion %s is newer than runtime-spec 1.%d, which hako implements; "
			  "fields it does not know are ignored",
			  s->oci_version, SPEC_MINOR);
	return 0;
}

int kernel_cap_last(void)
{
	static int cached = -1;
	_cleanup_free_ char *text = NULL;

	if (cached >= 0)
		return cached;
	if (read_file_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", &text, NULL, NULL) == 0)
		cached = atoi(text);
	if (cached <= 0)
		cached = HAKO_CAP_LAST;
	return cached;
}

static int validate_root(const struct spec *s, struct hako_err *err)
{
	struct stat st;

	if (!s->root.present || !s->root.path || !s->root.path[0])
		return hako_fail_config(err, "root.path",
					"root.path is required on Linux: the container's root "
					"file system, absolute or relative to the bundle");
	if (!s->rootfs)
		return 0;
	if (stat(s->rootfs, &st) < 0) {
		int e = errno;
		int r = hako_fail(err, e, "open rootfs", s->rootfs,
				  "root.path: cannot use '%s' as the container's root", s->rootfs);
		hako_err_config(err, "root.path");
		if (e == ENOENT)
			hako_err_hint(err, "create the directory (a busybox rootfs: mkdir -p rootfs/bin "
					   "&& cp /bin/busybox rootfs/bin && busybox --install -s "
					   "rootfs/bin) or fix root.path");
		return r;
	}
	if (!S_ISDIR(st.st_mode))
		return hako_fail_config(err, "root.path", "root.path: '%s' is not a directory",
					s->rootfs);
	return 0;
}

/* ---- process ------------------------------------------------------------------ */

static int validate_rlimits(const struct spec_process *p, struct hako_err *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *rl = &p->rlimits[i];
		char config[64];

		snprintf(config, sizeof(config), "process.rlimits[%zu]", i);
		if (rl->soft > rl->hard)
			return invalid(err, config, "%s soft limit %llu is above its hard limit %llu",
				   rl->type, (unsigned long long)rl->soft,
				   (unsigned long long)rl->hard);
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rl->resource)
				return invalid(err, config, "%s is set twice (first at process.rlimits[%zu])",
					   rl->type, j);
	}
	return 0;
}

/* Capabilities the kernel does not have are dropped with a warning
 * (config.md: values that cannot be mapped or granted MUST be logged as
 * warnings, and runtimes SHOULD NOT fail). */
static void drop_unsupported_caps(struct spec_capabilities *caps)
{
	int last = kernel_cap_last();
	uint64_t unsupported;

	if (last >= 63)
		return;
	unsupported = ~((2ULL << last) - 1);
	for (int set = 0; set < CAPSET_MAX; set++) {
		uint64_t extra = caps->set[set] & unsupported;
		for (int cap = last + 1; extra && cap <= HAKO_CAP_LAST; cap++)
			if (extra & (1ULL << cap))
				hako_warn("capability %s (%d) is not supported by this kernel "
					  "(cap_last_cap=%d); ignored",
					  cap_name(cap), cap, last);
		caps->set[set] &= ~unsupported;
	}
}

static int first_cap(uint64_t set)
{
	return set ? __builtin_ctzll(set) : -1;
}

/* capset(2) refuses an effective set outside permitted: EPERM deep in the
 * init, so say which capability and where now.  PR_CAP_AMBIENT_RAISE
 * refuses one outside permitted and inheritable too, but `runc spec`
 * writes exactly that (ambient without inheritable) and runc only warns:
 * hako leaves such capabilities out of ambient and says why. */
static int validate_caps(struct spec_capabilities *caps, struct hako_err *err)
{
	const uint64_t *set = caps->set;
	uint64_t extra;
	int r;

	drop_unsupported_caps(caps);
	extra = set[CAPSET_EFFECTIVE] & ~set[CAPSET_PERMITTED];
	if (extra) {
		r = invalid(err, "process.capabilities.effective",
			"%s is not in the permitted set, so the kernel cannot make it effective",
			cap_name(first_cap(extra)));
		hako_err_hint(err, "add it to process.capabilities.permitted or remove it from "
				   "effective");
		return r;
	}
	extra = set[CAPSET_AMBIENT] & ~(set[CAPSET_PERMITTED] & set[CAPSET_INHERITABLE]);
	for (int cap = 0; extra && cap < 64; cap++) {
		if (!(extra & (1ULL << cap)))
			continue;
		hako_warn("process.capabilities.ambient: %s is left out: a capability is ambient "
			  "only when it is also in %s%s%s (capabilities(7)); add it there if a non-root "
			  "process must keep it across execve",
			  cap_name(cap),
			  set[CAPSET_PERMITTED] & (1ULL << cap) ? "" : "process.capabilities.permitted",
			  !(set[CAPSET_PERMITTED] & (1ULL << cap)) &&
					  !(set[CAPSET_INHERITABLE] & (1ULL << cap))
				  ? " and "
				  : "",
			  set[CAPSET_INHERITABLE] & (1ULL << cap) ? "" : "process.capabilities.inheritable");
		caps->set[CAPSET_AMBIENT] &= ~(1ULL << cap);
	}
	return 0;
}

/* sched_setattr(2) and kernel/sched/deadline.c __checkparam_dl(). */
static int validate_deadline(const struct spec_scheduler *sc, struct hako_err *err)
{
	const char *cfg = "process.scheduler";

	if (sc->runtime < 1024)
		return invalid(err, cfg, "SCHED_DEADLINE needs a runtime of at least 1024 ns, got %llu",
			   (unsigned long long)sc->runtime);
	if (sc->deadline < sc->runtime)
		return invalid(err, cfg, "SCHED_DEADLINE needs runtime <= deadline (%llu > %llu)",
			   (unsigned long long)sc->runtime, (unsigned long long)sc->deadline);
	if (sc->period && sc->period < sc->deadline)
		return invalid(err, cfg, "SCHED_DEADLINE needs deadline <= period (%llu > %llu)",
			   (unsigned long long)sc->deadline, (unsigned long long)sc->period);
	if ((sc->deadline | sc->period) >> 63)
		return invalid(err, cfg, "SCHED_DEADLINE deadline and period must be below 2^63 ns");
	return 0;
}

static int validate_scheduler(const struct spec_scheduler *sc, struct hako_err *err)
{
	int policy;

	if (!sc->present)
		return 0;
	if (!sc->policy)
		return invalid(err, "process.scheduler.policy", "is required (SCHED_OTHER, SCHED_FIFO, "
			   "SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE)");
	policy = name_index(sched_policy_names, SCHED_POLICY_COUNT, sc->policy);
	if (policy < 0)
		return invalid(err, "process.scheduler.policy", "unknown policy \"%s\" (SCHED_OTHER, "
			   "SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE)",
			   sc->policy);
	if (!strcmp(sc->policy, "SCHED_ISO"))
		return invalid(err, "process.scheduler.policy",
			   "SCHED_ISO is reserved but not implemented by Linux");
	if (sc->nice < -20 || sc->nice > 19)
		return invalid(err, "process.scheduler.nice", "%d is outside -20..19", sc->nice);
	for (size_t i = 0; i < sc->flags.n; i++)
		if (name_index(sched_flag_names, SCHED_FLAG_COUNT, sc->flags.v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "process.scheduler.flags[%zu]", i);
			return invalid(err, config, "unknown flag \"%s\" (SCHED_FLAG_RESET_ON_FORK, ...)",
				   sc->flags.v[i]);
		}
	if (!strcmp(sc->policy, "SCHED_FIFO") || !strcmp(sc->policy, "SCHED_RR")) {
		if (sc->priority < 1 || sc->priority > 99)
			return invalid(err, "process.scheduler.priority",
				   "%s needs a priority in 1..99, got %d", sc->policy, sc->priority);
	} else if (sc->priority != 0) {
		return invalid(err, "process.scheduler.priority",
			   "%s takes priority 0 (only SCHED_FIFO and SCHED_RR have priorities), "
			   "got %d",
			   sc->policy, sc->priority);
	}
	if (!strcmp(sc->policy, "SCHED_DEADLINE"))
		return validate_deadline(sc, err);
	return 0;
}

static int validate_task_attrs(const struct spec_process *p, struct hako_err *err)
{
	int r;

	if (p->oom_score_adj.set && (p->oom_score_adj.v < -1000 || p->oom_score_adj.v > 1000))
		return invalid(err, "process.oomScoreAdj", "%d is outside -1000..1000",
			   p->oom_score_adj.v);
	if ((r = validate_scheduler(&p->scheduler, err)) < 0)
		return r;
	if (p->io_priority.present) {
		if (name_index(ioprio_class_names, IOPRIO_CLASS_COUNT, p->io_priority.class) < 0)
			return invalid(err, "process.ioPriority.class",
				   "unknown class \"%s\" (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, "
				   "IOPRIO_CLASS_IDLE)",
				   p->io_priority.class ? p->io_priority.class : "");
		if (p->io_priority.priority < 0 || p->io_priority.priority > 7)
			return invalid(err, "process.ioPriority.priority", "%d is outside 0..7",
				   p->io_priority.priority);
	}
	if ((r = check_list(p->exec_cpu_affinity.initial, 8192, "process.execCPUAffinity.initial",
			    err)) < 0 ||
	    (r = check_list(p->exec_cpu_affinity.final, 8192, "process.execCPUAffinity.final",
			    err)) < 0)
		return r;
	return 0;
}

static int validate_user(const struct spec_process *p, struct hako_err *err)
{
	int r;

	if (p->user.umask.set && p->user.umask.v > 0777) {
		r = invalid(err, "process.user.umask", "%u has bits outside 0777", p->user.umask.v);
		hako_err_hint(err, "JSON numbers are decimal: umask 022 is written 18, 077 is 63");
		return r;
	}
	if (p->user.username)
		hako_debug("process.user.username is for Windows; ignored");
	/* selinuxLabel: validate_lsm.c; apparmorProfile: runtime/check_lsm.c */
	return 0;
}

static int validate_process(struct spec *s, const struct validate_opts *o,
			    struct hako_err *err)
{
	struct spec_process *p = &s->process;
	int r;

	if (!p->present) {
		if (o->for_create)
			return 0;
		return hako_fail_config(err, "process",
					"process is required to start a container");
	}
	if (p->args.n == 0)
		return invalid(err, "process.args", "at least one entry (the program) is required");
	if (!p->args.v[0][0])
		return invalid(err, "process.args[0]", "the program name is empty");
	if (!p->cwd)
		return hako_fail_config(err, "process.cwd", "process.cwd is required");
	if ((r = check_absolute(p->cwd, "process.cwd", err)) < 0 ||
	    (r = check_env(&p->env, "process.env", err)) < 0 ||
	    (r = validate_rlimits(p, err)) < 0 || (r = validate_caps(&p->capabilities, err)) < 0 ||
	    (r = validate_task_attrs(p, err)) < 0 || (r = validate_user(p, err)) < 0)
		return r;
	return 0;
}

/* ---- id mappings, mounts ------------------------------------------------------- */

/* user_namespaces(7): at most 340 lines; the kernel refuses ranges that
 * overlap on either side, and a range must fit in 32 bits. */
static int validate_idmaps(const struct spec_idmap *maps, size_t n, const char *prefix,
			   struct hako_err *err)
{
	char config[96];

	if (n > 340)
		return invalid(err, prefix, "%zu entries; the kernel takes at most 340", n);
	for (size_t i = 0; i < n; i++) {
		const struct spec_idmap *a = &maps[i];
		snprintf(config, sizeof(config), "%s[%zu]", prefix, i);
		if (a->size == 0)
			return invalid(err, config, "size is 0");
		if ((uint64_t)a->container_id + a->size > 1ULL << 32 ||
		    (uint64_t)a->host_id + a->size > 1ULL << 32)
			return invalid(err, config, "the range goes past id 4294967295");
		for (size_t j = 0; j < i; j++) {
			const struct spec_idmap *b = &maps[j];
			bool inside = a->container_id < (uint64_t)b->container_id + b->size &&
				      b->container_id < (uint64_t)a->container_id + a->size;
			bool outside = a->host_id < (uint64_t)b->host_id + b->size &&
				       b->host_id < (uint64_t)a->host_id + a->size;
			if (inside || outside)
				return invalid(err, config, "its %s ids overlap those of %s[%zu]",
					   inside ? "container" : "host", prefix, j);
		}
	}
	return 0;
}

bool has_option(const struct strv *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i], name))
			return true;
	return false;
}

/* config.md, Linux mount options "idmap"/"ridmap": with no mappings of its
 * own the mount takes the container's user namespace mapping; with neither,
 * an error MUST be returned. */
static int validate_mount_idmap(const struct spec *s, const struct spec_mount *m, size_t i,
				struct hako_err *err)
{
	char config[64];
	int r;

	snprintf(config, sizeof(config), "mounts[%zu]", i);
	if ((m->n_uid_mappings > 0) != (m->n_gid_mappings > 0))
		return invalid(err, config, "uidMappings and gidMappings must be given together");
	snprintf(config, sizeof(config), "mounts[%zu].uidMappings", i);
	if ((r = validate_idmaps(m->uid_mappings, m->n_uid_mappings, config, err)) < 0)
		return r;
	snprintf(config, sizeof(config), "mounts[%zu].gidMappings", i);
	if ((r = validate_idmaps(m->gid_mappings, m->n_gid_mappings, config, err)) < 0)
		return r;
	if ((has_option(&m->options, "idmap") || has_option(&m->options, "ridmap")) &&
	    !m->n_uid_mappings && !spec_has_ns(s, NS_USER)) {
		snprintf(config, sizeof(config), "mounts[%zu].options", i);
		r = invalid(err, config, "idmap needs uidMappings and gidMappings on the mount, or a "
			"user namespace whose mapping it can use");
		hako_err_hint(err, "add uidMappings/gidMappings to the mount or {\"type\": \"user\"} "
				   "with mappings to linux.namespaces");
		return r;
	}
	return 0;
}

static char *arena_join(struct arena *a, const char *dir, const char *sep, const char *name)
{
	size_t n = strlen(dir) + strlen(sep) + strlen(name) + 1;
	char *out = arena_alloc(a, n);

	snprintf(out, n, "%s%s%s", dir, sep, name);
	return out;
}

/* Relative destinations (runtime-spec 1.2: deprecated, read relative to
 * "/") and relative bind sources (relative to the bundle) are made absolute
 * here, so that linux/mount.c sees absolute paths only. */
static int normalize_mount(struct spec *s, struct spec_mount *m, size_t i, bool bind,
			   struct hako_err *err)
{
	char config[64];

	snprintf(config, sizeof(config), "mounts[%zu].destination", i);
	if (!m->destination[0])
		return invalid(err, config, "is empty");
	if (m->destination[0] != '/') {
		hako_warn("%s \"%s\" is relative; read as \"/%s\" (relative destinations are "
			  "deprecated since runtime-spec 1.2)",
			  config, m->destination, m->destination);
		m->destination = arena_join(&s->arena, "", "/", m->destination);
	}
	if (bind && m->source && m->source[0] && m->source[0] != '/' && s->bundle)
		m->source = arena_join(&s->arena, s->bundle, "/", m->source);
	return 0;
}

static int validate_mounts(struct spec *s, struct hako_err *err)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct spec_mount *m = &s->mounts[i];
		bool bind = has_option(&m->options, "bind") || has_option(&m->options, "rbind") ||
			    (m->type && !strcmp(m->type, "bind"));
		char config[64];
		int r;

		if ((r = normalize_mount(s, m, i, bind, err)) < 0)
			return r;
		snprintf(config, sizeof(config), "mounts[%zu]", i);
		if (!bind && (!m->type || !m->type[0])) {
			r = invalid(err, config, "neither a type nor the bind option");
			hako_err_hint(err, "set \"type\" (tmpfs, proc, ...) or add \"bind\" or "
					   "\"rbind\" to the options");
			return r;
		}
		if (bind && (!m->source || !m->source[0]))
			return invalid(err, config, "a bind mount needs a source");
		if ((r = validate_mount_idmap(s, m, i, err)) < 0)
			return r;
	}
	return 0;
}

/* ---- namespaces ----------------------------------------------------------------- */

static int ns_config(const struct spec *s, enum ns_type t, char *buf, size_t size)
{
	return snprintf(buf, size, "linux.namespaces[%zu].path", s->lnx.ns[t].index);
}

/* The namespace of type t is joined from a path that is hako's own. */
static bool joins_own(const struct spec *s, enum ns_type t)
{
	return s->lnx.ns[t].present && s->lnx.ns[t].path &&
	       ns_path_is_own(s->lnx.ns[t].path, t);
}

static bool id_mapped(const struct spec_idmap *maps, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= maps[i].container_id && id - maps[i].container_id < maps[i].size)
			return true;
	return false;
}

/* In a new user namespace the process's ids must be mapped, or
 * setresuid/setgroups fail with EINVAL deep in the init. */
static int validate_process_ids(const struct spec *s, struct hako_err *err)
{
	const struct spec_user *u = &s->process.user;
	const struct spec_linux *l = &s->lnx;
	char config[64];
	int r;

	if (!spec_new_ns(s, NS_USER) || !s->process.present)
		return 0;
	if (!id_mapped(l->uid_mappings, l->n_uid_mappings, u->uid)) {
		r = invalid(err, "process.user.uid", "%u is not mapped by linux.uidMappings", u->uid);
		hako_err_hint(err, "map it (a containerID range that includes it) or run as a mapped "
				   "uid");
		return r;
	}
	if (!id_mapped(l->gid_mappings, l->n_gid_mappings, u->gid))
		return invalid(err, "process.user.gid", "%u is not mapped by linux.gidMappings", u->gid);
	for (size_t i = 0; i < u->n_additional_gids; i++)
		if (!id_mapped(l->gid_mappings, l->n_gid_mappings, u->additional_gids[i])) {
			snprintf(config, sizeof(config), "process.user.additionalGids[%zu]", i);
			return invalid(err, config, "%u is not mapped by linux.gidMappings",
				   u->additional_gids[i]);
		}
	return 0;
}

static int validate_user_mappings(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	int r;

	if ((l->n_uid_mappings || l->n_gid_mappings) && !spec_has_ns(s, NS_USER)) {
		r = invalid(err, l->n_uid_mappings ? "linux.uidMappings" : "linux.gidMappings",
			"mappings are set but the container has no user namespace");
		hako_err_hint(err, "add {\"type\": \"user\"} to linux.namespaces or drop the "
				   "mappings");
		return r;
	}
	if (spec_new_ns(s, NS_USER) && (!l->n_uid_mappings || !l->n_gid_mappings)) {
		r = invalid(err, !l->n_uid_mappings ? "linux.uidMappings" : "linux.gidMappings",
			"a new user namespace needs both uidMappings and gidMappings");
		hako_err_hint(err, "for example {\"containerID\": 0, \"hostID\": 100000, \"size\": "
				   "65536} in each");
		return r;
	}
	if ((r = validate_idmaps(l->uid_mappings, l->n_uid_mappings, "linux.uidMappings", err)) <
	    0 ||
	    (r = validate_idmaps(l->gid_mappings, l->n_gid_mappings, "linux.gidMappings", err)) < 0)
		return r;
	return validate_process_ids(s, err);
}

/* sethostname(2): at most HOST_NAME_MAX (64) bytes; without a UTS namespace
 * of its own the container would rename the host. */
static int validate_uts(const struct spec *s, const char *field, const char *value,
			struct hako_err *err)
{
	int r;

	if (!value || !value[0])
		return 0;
	if (strlen(value) > 64)
		return invalid(err, field, "\"%.20s...\" is longer than 64 bytes", value);
	if (!spec_has_ns(s, NS_UTS)) {
		r = invalid(err, field, "is set but the container shares the host's UTS namespace");
		hako_err_hint(err, "add {\"type\": \"uts\"} to linux.namespaces, or drop \"%s\"",
			      field);
		return r;
	}
	if (joins_own(s, NS_UTS)) {
		r = invalid(err, field, "is set but the container joins '%s', hako's own UTS "
			"namespace, so the host would be renamed",
			s->lnx.ns[NS_UTS].path);
		hako_err_hint(err, "give the container a new UTS namespace, or drop \"%s\"", field);
		return r;
	}
	return 0;
}

static int validate_time_offsets(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	int r;

	if (l->n_time_offsets && !spec_new_ns(s, NS_TIME)) {
		r = invalid(err, "linux.timeOffsets", "offsets can only be set in a new time namespace");
		hako_err_hint(err, "add {\"type\": \"time\"} without a path to linux.namespaces");
		return r;
	}
	for (size_t i = 0; i < l->n_time_offsets; i++) {
		const struct spec_time_offset *t = &l->time_offsets[i];
		char config[96];

		json_path_key(config, sizeof(config), "linux.timeOffsets", t->clock);
		if (strcmp(t->clock, "monotonic") && strcmp(t->clock, "boottime"))
			return invalid(err, config, "unknown clock \"%s\" (monotonic or boottime)",
				   t->clock);
		if (t->nanosecs >= 1000000000)
			return invalid(err, config, "nanosecs %u is not below 1000000000", t->nanosecs);
	}
	return 0;
}

static int validate_namespaces(const struct spec *s, struct hako_err *err)
{
	char config[64];
	int r;

	for (int t = 0; t < NS_MAX; t++) {
		if (!s->lnx.ns[t].path)
			continue;
		ns_config(s, t, config, sizeof(config));
		if ((r = check_absolute(s->lnx.ns[t].path, config, err)) < 0)
			return r;
	}
	/* rootfs.c changes propagation, binds and pivots: in hako's own mount
	 * namespace that would be done to the host */
	if (!spec_has_ns(s, NS_MNT)) {
		r = invalid(err, "linux.namespaces", "the container needs a mount namespace of its own");
		hako_err_hint(err, "add {\"type\": \"mount\"} to linux.namespaces");
		return r;
	}
	if (joins_own(s, NS_MNT)) {
		ns_config(s, NS_MNT, config, sizeof(config));
		return invalid(err, config, "'%s' is hako's own mount namespace; the container needs "
			   "one of its own",
			   s->lnx.ns[NS_MNT].path);
	}
	if ((r = validate_user_mappings(s, err)) < 0 ||
	    (r = validate_uts(s, "hostname", s->hostname, err)) < 0 ||
	    (r = validate_uts(s, "domainname", s->domainname, err)) < 0 ||
	    (r = validate_time_offsets(s, err)) < 0)
		return r;
	return 0;
}

/* net/core/dev.c dev_valid_name(): 1..15 bytes, not "." or "..", no '/',
 * ':' or white space. */
static bool ifname_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 15 || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	return true;
}

/* A '%' makes the name a template the kernel numbers (dev_alloc_name):
 * exactly one "%d" and no other '%', or the kernel refuses it. */
static int check_name_template(const char *name, const char *config, struct hako_err *err)
{
	const char *p = strchr(name, '%');
	int r;

	if (!p || (p[1] == 'd' && !strchr(p + 2, '%')))
		return 0;
	r = invalid(err, config, "name \"%s\" is not a name template the kernel accepts", name);
	hako_err_hint(err, "a '%%' may only appear once, as \"%%d\" (\"eth%%d\"): the kernel "
			   "puts the lowest free number there");
	return r;
}

static const char *net_device_target(const struct spec_net_device *d)
{
	return d->name && d->name[0] ? d->name : d->host_name;
}

static int validate_net_devices(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	char config[96];
	int r;

	if (!l->n_net_devices)
		return 0;
	if (!spec_has_ns(s, NS_NET) || joins_own(s, NS_NET)) {
		r = invalid(err, "linux.netDevices", "moving devices needs a network namespace of the "
			"container's own, but it %s hako's",
			spec_has_ns(s, NS_NET) ? "joins" : "shares");
		hako_err_hint(err, "add {\"type\": \"network\"} to linux.namespaces");
		return r;
	}
	for (size_t i = 0; i < l->n_net_devices; i++) {
		const struct spec_net_device *d = &l->net_devices[i];
		const char *target = net_device_target(d);

		json_path_key(config, sizeof(config), "linux.netDevices", d->host_name);
		if (!ifname_valid(d->host_name))
			return invalid(err, config, "\"%s\" is not an interface name (1 to 15 bytes, no "
				   "'/', ':' or spaces)",
				   d->host_name);
		if (d->name && d->name[0] && !ifname_valid(d->name))
			return invalid(err, config, "name \"%s\" is not an interface name (1 to 15 bytes, "
				   "no '/', ':' or spaces)",
				   d->name);
		if ((r = check_name_template(target, config, err)) < 0)
			return r;
		/* "%d" asks the kernel for a free name: no clash possible */
		for (size_t j = 0; j < i && !strstr(target, "%d"); j++)
			if (!strcmp(target, net_device_target(&l->net_devices[j])))
				return invalid(err, config, "\"%s\" would be the name of two devices in "
					   "the container",
					   target);
	}
	/* the host side (the devices exist and may move) is checked by
	 * linux/netdev.c before anything is created */
	return 0;
}

int spec_validate(struct spec *s, const struct validate_opts *o, struct hako_err *err)
{
	int r;

	if ((r = validate_version(s, err)) < 0 || (r = validate_root(s, err)) < 0 ||
	    (r = validate_process(s, o, err)) < 0 || (r = validate_mounts(s, err)) < 0 ||
	    (r = validate_namespaces(s, err)) < 0 || (r = validate_net_devices(s, err)) < 0 ||
	    (r = validate_linux_misc(s, err)) < 0 || (r = validate_resources(s, err)) < 0 ||
	    (r = validate_seccomp(s, err)) < 0 || (r = validate_memory_policy(s, err)) < 0 ||
	    (r = validate_hooks(s, err)) < 0 || (r = sysctl_validate(s, err)) < 0 ||
	    (r = validate_intel_rdt(s, err)) < 0)
		return r;
	if (selinux_labels_asked(s))
		return validate_lsm_labels(s, host_lsms(), err);
	return 0;
}
