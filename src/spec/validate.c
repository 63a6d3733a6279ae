/* validate.c - rules between config.json values, checked before anything is
 * created.
 *
 * Each rule names the element it rejects by its JSON path (the syntax of
 * load.c: "mounts[2].destination", "linux.sysctl[\"net.ipv4.ip_forward\"]")
 * and, where the fix is not obvious, says what to change.  Values the spec
 * says to ignore, or that are deprecated, give warnings.  The only host
 * checks are cheap ones: stat of root.path, statfs of /sys/fs/resctrl, and
 * stat of joined namespace files against hako's own.
 */
#include "spec/validate.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "spec/json.h"
#include "spec/names.h"
#include "spec/sysctl_rules.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* The runtime-spec minor version hako implements. */
#define SPEC_MINOR 3

/* include/uapi/linux/magic.h */
#define RDTGROUP_SUPER_MAGIC 0x7655821

/* A config error whose message starts with its path: "<config>: <what>". */
static int HAKO_PRINTF(3, 4) bad(struct hako_err *err, const char *config, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hako_fail_config(err, config, "%s: %s", config, msg);
}

static int check_absolute(const char *path, const char *config, struct hako_err *err)
{
	if (!path || path[0] != '/')
		return bad(err, config, "\"%s\" is not an absolute path", path ? path : "");
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

static int check_list(const char *list, unsigned long limit, const char *config,
		      struct hako_err *err)
{
	if (list && !id_list_valid(list, limit))
		return bad(err, config,
			   "\"%s\" is not a list such as \"0-3,7\" (numbers below %lu, ranges "
			   "low-high, comma-separated)",
			   list, limit);
	return 0;
}

/* NAME=VALUE with a non-empty NAME (environ(7)). */
static int check_env(const struct strv *env, const char *prefix, struct hako_err *err)
{
	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		char config[96];

		if (eq && eq != env->v[i])
			continue;
		snprintf(config, sizeof(config), "%s[%zu]", prefix, i);
		return bad(err, config, "\"%s\" is not of the form NAME=VALUE", env->v[i]);
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
			return bad(err, config, "%s soft limit %llu is above its hard limit %llu",
				   rl->type, (unsigned long long)rl->soft,
				   (unsigned long long)rl->hard);
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rl->resource)
				return bad(err, config, "%s is set twice (first at process.rlimits[%zu])",
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
		r = bad(err, "process.capabilities.effective",
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
		return bad(err, cfg, "SCHED_DEADLINE needs a runtime of at least 1024 ns, got %llu",
			   (unsigned long long)sc->runtime);
	if (sc->deadline < sc->runtime)
		return bad(err, cfg, "SCHED_DEADLINE needs runtime <= deadline (%llu > %llu)",
			   (unsigned long long)sc->runtime, (unsigned long long)sc->deadline);
	if (sc->period && sc->period < sc->deadline)
		return bad(err, cfg, "SCHED_DEADLINE needs deadline <= period (%llu > %llu)",
			   (unsigned long long)sc->deadline, (unsigned long long)sc->period);
	if ((sc->deadline | sc->period) >> 63)
		return bad(err, cfg, "SCHED_DEADLINE deadline and period must be below 2^63 ns");
	return 0;
}

static int validate_scheduler(const struct spec_scheduler *sc, struct hako_err *err)
{
	int policy;

	if (!sc->present)
		return 0;
	if (!sc->policy)
		return bad(err, "process.scheduler.policy", "is required (SCHED_OTHER, SCHED_FIFO, "
			   "SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE)");
	policy = name_index(sched_policy_names, SCHED_POLICY_COUNT, sc->policy);
	if (policy < 0)
		return bad(err, "process.scheduler.policy", "unknown policy \"%s\" (SCHED_OTHER, "
			   "SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE)",
			   sc->policy);
	if (!strcmp(sc->policy, "SCHED_ISO"))
		return bad(err, "process.scheduler.policy",
			   "SCHED_ISO is reserved but not implemented by Linux");
	if (sc->nice < -20 || sc->nice > 19)
		return bad(err, "process.scheduler.nice", "%d is outside -20..19", sc->nice);
	for (size_t i = 0; i < sc->flags.n; i++)
		if (name_index(sched_flag_names, SCHED_FLAG_COUNT, sc->flags.v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "process.scheduler.flags[%zu]", i);
			return bad(err, config, "unknown flag \"%s\" (SCHED_FLAG_RESET_ON_FORK, ...)",
				   sc->flags.v[i]);
		}
	if (!strcmp(sc->policy, "SCHED_FIFO") || !strcmp(sc->policy, "SCHED_RR")) {
		if (sc->priority < 1 || sc->priority > 99)
			return bad(err, "process.scheduler.priority",
				   "%s needs a priority in 1..99, got %d", sc->policy, sc->priority);
	} else if (sc->priority != 0) {
		return bad(err, "process.scheduler.priority",
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
		return bad(err, "process.oomScoreAdj", "%d is outside -1000..1000",
			   p->oom_score_adj.v);
	if ((r = validate_scheduler(&p->scheduler, err)) < 0)
		return r;
	if (p->io_priority.present) {
		if (name_index(ioprio_class_names, IOPRIO_CLASS_COUNT, p->io_priority.class) < 0)
			return bad(err, "process.ioPriority.class",
				   "unknown class \"%s\" (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, "
				   "IOPRIO_CLASS_IDLE)",
				   p->io_priority.class ? p->io_priority.class : "");
		if (p->io_priority.priority < 0 || p->io_priority.priority > 7)
			return bad(err, "process.ioPriority.priority", "%d is outside 0..7",
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
		r = bad(err, "process.user.umask", "%u has bits outside 0777", p->user.umask.v);
		hako_err_hint(err, "JSON numbers are decimal: umask 022 is written 18, 077 is 63");
		return r;
	}
	if (p->user.username)
		hako_debug("process.user.username is for Windows; ignored");
	/* hako applies no LSM (features: apparmor and selinux disabled) */
	if (p->apparmor_profile && p->apparmor_profile[0])
		hako_warn("process.apparmorProfile \"%s\" is not applied: hako does not support "
			  "AppArmor",
			  p->apparmor_profile);
	if (p->selinux_label && p->selinux_label[0])
		hako_warn("process.selinuxLabel is not applied: hako does not support SELinux");
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
		return bad(err, "process.args", "at least one entry (the program) is required");
	if (!p->args.v[0][0])
		return bad(err, "process.args[0]", "the program name is empty");
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
		return bad(err, prefix, "%zu entries; the kernel takes at most 340", n);
	for (size_t i = 0; i < n; i++) {
		const struct spec_idmap *a = &maps[i];
		snprintf(config, sizeof(config), "%s[%zu]", prefix, i);
		if (a->size == 0)
			return bad(err, config, "size is 0");
		if ((uint64_t)a->container_id + a->size > 1ULL << 32 ||
		    (uint64_t)a->host_id + a->size > 1ULL << 32)
			return bad(err, config, "the range goes past id 4294967295");
		for (size_t j = 0; j < i; j++) {
			const struct spec_idmap *b = &maps[j];
			bool inside = a->container_id < (uint64_t)b->container_id + b->size &&
				      b->container_id < (uint64_t)a->container_id + a->size;
			bool outside = a->host_id < (uint64_t)b->host_id + b->size &&
				       b->host_id < (uint64_t)a->host_id + a->size;
			if (inside || outside)
				return bad(err, config, "its %s ids overlap those of %s[%zu]",
					   inside ? "container" : "host", prefix, j);
		}
	}
	return 0;
}

static bool has_option(const struct strv *o, const char *name)
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
		return bad(err, config, "uidMappings and gidMappings must be given together");
	snprintf(config, sizeof(config), "mounts[%zu].uidMappings", i);
	if ((r = validate_idmaps(m->uid_mappings, m->n_uid_mappings, config, err)) < 0)
		return r;
	snprintf(config, sizeof(config), "mounts[%zu].gidMappings", i);
	if ((r = validate_idmaps(m->gid_mappings, m->n_gid_mappings, config, err)) < 0)
		return r;
	if ((has_option(&m->options, "idmap") || has_option(&m->options, "ridmap")) &&
	    !m->n_uid_mappings && !spec_has_ns(s, NS_USER)) {
		snprintf(config, sizeof(config), "mounts[%zu].options", i);
		r = bad(err, config, "idmap needs uidMappings and gidMappings on the mount, or a "
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
		return bad(err, config, "is empty");
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
			r = bad(err, config, "neither a type nor the bind option");
			hako_err_hint(err, "set \"type\" (tmpfs, proc, ...) or add \"bind\" or "
					   "\"rbind\" to the options");
			return r;
		}
		if (bind && (!m->source || !m->source[0]))
			return bad(err, config, "a bind mount needs a source");
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
		r = bad(err, "process.user.uid", "%u is not mapped by linux.uidMappings", u->uid);
		hako_err_hint(err, "map it (a containerID range that includes it) or run as a mapped "
				   "uid");
		return r;
	}
	if (!id_mapped(l->gid_mappings, l->n_gid_mappings, u->gid))
		return bad(err, "process.user.gid", "%u is not mapped by linux.gidMappings", u->gid);
	for (size_t i = 0; i < u->n_additional_gids; i++)
		if (!id_mapped(l->gid_mappings, l->n_gid_mappings, u->additional_gids[i])) {
			snprintf(config, sizeof(config), "process.user.additionalGids[%zu]", i);
			return bad(err, config, "%u is not mapped by linux.gidMappings",
				   u->additional_gids[i]);
		}
	return 0;
}

static int validate_user_mappings(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	int r;

	if ((l->n_uid_mappings || l->n_gid_mappings) && !spec_has_ns(s, NS_USER)) {
		r = bad(err, l->n_uid_mappings ? "linux.uidMappings" : "linux.gidMappings",
			"mappings are set but the container has no user namespace");
		hako_err_hint(err, "add {\"type\": \"user\"} to linux.namespaces or drop the "
				   "mappings");
		return r;
	}
	if (spec_new_ns(s, NS_USER) && (!l->n_uid_mappings || !l->n_gid_mappings)) {
		r = bad(err, !l->n_uid_mappings ? "linux.uidMappings" : "linux.gidMappings",
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
		return bad(err, field, "\"%.20s...\" is longer than 64 bytes", value);
	if (!spec_has_ns(s, NS_UTS)) {
		r = bad(err, field, "is set but the container shares the host's UTS namespace");
		hako_err_hint(err, "add {\"type\": \"uts\"} to linux.namespaces, or drop \"%s\"",
			      field);
		return r;
	}
	if (joins_own(s, NS_UTS)) {
		r = bad(err, field, "is set but the container joins '%s', hako's own UTS "
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
		r = bad(err, "linux.timeOffsets", "offsets can only be set in a new time namespace");
		hako_err_hint(err, "add {\"type\": \"time\"} without a path to linux.namespaces");
		return r;
	}
	for (size_t i = 0; i < l->n_time_offsets; i++) {
		const struct spec_time_offset *t = &l->time_offsets[i];
		char config[96];

		json_path_key(config, sizeof(config), "linux.timeOffsets", t->clock);
		if (strcmp(t->clock, "monotonic") && strcmp(t->clock, "boottime"))
			return bad(err, config, "unknown clock \"%s\" (monotonic or boottime)",
				   t->clock);
		if (t->nanosecs >= 1000000000)
			return bad(err, config, "nanosecs %u is not below 1000000000", t->nanosecs);
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
		r = bad(err, "linux.namespaces", "the container needs a mount namespace of its own");
		hako_err_hint(err, "add {\"type\": \"mount\"} to linux.namespaces");
		return r;
	}
	if (joins_own(s, NS_MNT)) {
		ns_config(s, NS_MNT, config, sizeof(config));
		return bad(err, config, "'%s' is hako's own mount namespace; the container needs "
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
		r = bad(err, "linux.netDevices", "moving devices needs a network namespace of the "
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
			return bad(err, config, "\"%s\" is not an interface name (1 to 15 bytes, no "
				   "'/', ':' or spaces)",
				   d->host_name);
		if (d->name && d->name[0] && !ifname_valid(d->name))
			return bad(err, config, "name \"%s\" is not an interface name (1 to 15 bytes, "
				   "no '/', ':' or spaces)",
				   d->name);
		/* "%d" asks the kernel for a free name: no clash possible */
		for (size_t j = 0; j < i && !strstr(target, "%d"); j++)
			if (!strcmp(target, net_device_target(&l->net_devices[j])))
				return bad(err, config, "\"%s\" would be the name of two devices in "
					   "the container",
					   target);
	}
	/* runtime-spec MUSTs (move, keep addresses, bring up) need rtnetlink
	 * work hako does not do yet; ignoring the field would break them. */
	r = bad(err, "linux.netDevices", "moving host network devices into the container is not "
		"supported by this hako");
	hako_err_hint(err, "move the device with 'ip link set DEV netns PID' from a createRuntime "
			   "hook, or drop linux.netDevices");
	return r;
}

/* ---- linux: devices, paths, misc ---------------------------------------------------- */

static int validate_device(const struct spec_device *d, const char *config, struct hako_err *err)
{
	int r;

	if ((r = check_absolute(d->path, config, err)) < 0)
		return r;
	if (strlen(d->type) != 1 || !strchr("cbup", d->type[0]))
		return bad(err, config, "type \"%s\" is not one of c, b, u, p", d->type);
	if (d->type[0] != 'p' && (!d->major_set || !d->minor_set))
		return bad(err, config, "a \"%s\" device needs major and minor", d->type);
	/* include/linux/kdev_t.h: 12 bits of major, 20 of minor */
	if (d->type[0] != 'p' &&
	    (d->major < 0 || d->major > 4095 || d->minor < 0 || d->minor > 1048575))
		return bad(err, config, "%lld:%lld is not a device number (major 0..4095, minor "
			   "0..1048575)",
			   (long long)d->major, (long long)d->minor);
	if (d->file_mode.set && d->file_mode.v > 07777) {
		r = bad(err, config, "fileMode %u has bits outside 07777", d->file_mode.v);
		hako_err_hint(err, "fileMode is a decimal number: 0666 is written 438");
		return r;
	}
	return 0;
}

static int validate_devices(const struct spec_linux *l, struct hako_err *err)
{
	for (size_t i = 0; i < l->n_devices; i++) {
		char config[48];
		int r;

		snprintf(config, sizeof(config), "linux.devices[%zu]", i);
		if ((r = validate_device(&l->devices[i], config, err)) < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(l->devices[j].path, l->devices[i].path))
				return bad(err, config, "'%s' is listed twice (first at "
					   "linux.devices[%zu])",
					   l->devices[i].path, j);
	}
	return 0;
}

static int check_paths(const struct strv *v, const char *prefix, struct hako_err *err)
{
	for (size_t i = 0; i < v->n; i++) {
		char config[64];
		int r;

		snprintf(config, sizeof(config), "%s[%zu]", prefix, i);
		if ((r = check_absolute(v->v[i], config, err)) < 0)
			return r;
	}
	return 0;
}

/* A ".." component would leave the cgroup hierarchy hako manages. */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

static int validate_linux_misc(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	static const char *const propagations[] = { "shared",  "slave",  "private",  "unbindable",
						    "rshared", "rslave", "rprivate", "runbindable" };
	int r;

	if ((r = check_paths(&l->masked_paths, "linux.maskedPaths", err)) < 0 ||
	    (r = check_paths(&l->readonly_paths, "linux.readonlyPaths", err)) < 0 ||
	    (r = validate_devices(l, err)) < 0)
		return r;
	if (l->rootfs_propagation && l->rootfs_propagation[0] &&
	    name_index(propagations, ARRAY_SIZE(propagations), l->rootfs_propagation) < 0)
		return bad(err, "linux.rootfsPropagation",
			   "unknown mode \"%s\" (shared, slave, private, unbindable)",
			   l->rootfs_propagation);
	if (l->personality.present) {
		if (!l->personality.domain || (strcmp(l->personality.domain, "LINUX") &&
					       strcmp(l->personality.domain, "LINUX32")))
			return bad(err, "linux.personality.domain", "\"%s\" is not LINUX or LINUX32",
				   l->personality.domain ? l->personality.domain : "");
		if (l->personality.flags.n)
			return bad(err, "linux.personality.flags[0]",
				   "no flags are defined by runtime-spec; remove \"%s\"",
				   l->personality.flags.v[0]);
	}
	if (l->cgroups_path && has_dotdot(l->cgroups_path))
		return bad(err, "linux.cgroupsPath", "\"%s\" has a \"..\" component",
			   l->cgroups_path);
	if (l->mount_label && l->mount_label[0])
		hako_warn("linux.mountLabel is not applied: hako does not support SELinux");
	for (size_t i = 0; i < s->annotations.n; i++)
		if (!s->annotations.key[i][0])
			return bad(err, "annotations", "a key is empty (config.md: keys MUST NOT be "
				   "empty)");
	return 0;
}

/* ---- linux.resources ----------------------------------------------------------------- */

static int validate_device_rules(const struct spec_resources *res, struct hako_err *err)
{
	for (size_t i = 0; i < res->n_devices; i++) {
		const struct spec_device_rule *d = &res->devices[i];
		char config[64];

		snprintf(config, sizeof(config), "linux.resources.devices[%zu]", i);
		if (d->type && (strlen(d->type) != 1 || !strchr("acb", d->type[0])))
			return bad(err, config, "type \"%s\" is not one of a, c, b", d->type);
		if ((d->major.set && d->major.v < -1) || (d->minor.set && d->minor.v < -1))
			return bad(err, config, "a negative device number other than -1 (any)");
		if (d->access && (!d->access[0] || strspn(d->access, "rwm") != strlen(d->access)))
			return bad(err, config, "access \"%s\" is not made of r, w and m", d->access);
	}
	return 0;
}

static int validate_memory(const struct spec_memory *m, struct hako_err *err)
{
	static const struct {
		const char *key;
		size_t offset;
	} limits[] = {
		{ "limit", offsetof(struct spec_memory, limit) },
		{ "reservation", offsetof(struct spec_memory, reservation) },
		{ "swap", offsetof(struct spec_memory, swap) },
		{ "kernel", offsetof(struct spec_memory, kernel) },
		{ "kernelTCP", offsetof(struct spec_memory, kernel_tcp) },
	};

	if (!m->present)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
		const opt_i64 *v = (const opt_i64 *)((const char *)m + limits[i].offset);
		char config[64];
		snprintf(config, sizeof(config), "linux.resources.memory.%s", limits[i].key);
		if (v->set && v->v < -1)
			return bad(err, config, "%lld bytes (use -1 for no limit)", (long long)v->v);
	}
	if (m->swappiness.set && m->swappiness.v > 100)
		return bad(err, "linux.resources.memory.swappiness", "%llu is above 100",
			   (unsigned long long)m->swappiness.v);
	/* swap is memory+swap (cgroup v1 memsw), so it cannot be below limit */
	if (m->limit.set && m->swap.set && m->limit.v > 0 && m->swap.v >= 0 &&
	    m->swap.v < m->limit.v)
		return bad(err, "linux.resources.memory.swap",
			   "%lld is below limit %lld: swap counts memory plus swap",
			   (long long)m->swap.v, (long long)m->limit.v);
	return 0;
}

static int validate_cpu(const struct spec_cpu *c, struct hako_err *err)
{
	int r;

	if (!c->present)
		return 0;
	if (c->quota.set && c->quota.v < -1)
		return bad(err, "linux.resources.cpu.quota", "%lld (use -1 for no limit)",
			   (long long)c->quota.v);
	if (c->quota.set && c->quota.v > 0 && c->burst.set && c->burst.v > (uint64_t)c->quota.v)
		return bad(err, "linux.resources.cpu.burst", "%llu is above quota %lld",
			   (unsigned long long)c->burst.v, (long long)c->quota.v);
	/* kernel/sched/core.c: a CFS period is 1 ms to 1 s */
	if (c->period.set && c->period.v && (c->period.v < 1000 || c->period.v > 1000000))
		return bad(err, "linux.resources.cpu.period",
			   "%llu us is outside 1000..1000000 (1 ms to 1 s)",
			   (unsigned long long)c->period.v);
	if (c->idle.set && c->idle.v != 0 && c->idle.v != 1)
		return bad(err, "linux.resources.cpu.idle", "%lld is not 0 or 1", (long long)c->idle.v);
	if ((r = check_list(c->cpus, 8192, "linux.resources.cpu.cpus", err)) < 0 ||
	    (r = check_list(c->mems, 1024, "linux.resources.cpu.mems", err)) < 0)
		return r;
	return 0;
}

/* "2MB", "64KB", "1GB": a size with a binary unit prefix. */
static bool page_size_valid(const char *p)
{
	size_t digits = strspn(p, "0123456789");

	return digits > 0 && p[0] != '0' && p[digits] && strchr("KMGTP", p[digits]) &&
	       !strcmp(p + digits + 1, "B");
}

static int validate_block_io(const struct spec_block_io *b, struct hako_err *err)
{
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct spec_block_device *d = &b->weight_devices[i];
		char config[64];
		snprintf(config, sizeof(config), "linux.resources.blockIO.weightDevice[%zu]", i);
		if (!d->weight.set && !d->leaf_weight.set)
			return bad(err, config, "needs weight or leafWeight");
	}
	return 0;
}

static int validate_resources(const struct spec *s, struct hako_err *err)
{
	const struct spec_resources *res = &s->lnx.resources;
	int r;

	if (!res->present)
		return 0;
	if ((r = validate_device_rules(res, err)) < 0 || (r = validate_memory(&res->memory, err)) < 0 ||
	    (r = validate_cpu(&res->cpu, err)) < 0 || (r = validate_block_io(&res->block_io, err)) < 0)
		return r;
	if (res->pids.limit_set && res->pids.limit < -1)
		return bad(err, "linux.resources.pids.limit", "%lld (use -1 for no limit; 0 is valid)",
			   (long long)res->pids.limit);
	for (size_t i = 0; i < res->n_hugepage_limits; i++)
		if (!page_size_valid(res->hugepage_limits[i].page_size)) {
			char config[64];
			snprintf(config, sizeof(config), "linux.resources.hugepageLimits[%zu].pageSize", i);
			return bad(err, config, "\"%s\" is not a size such as \"2MB\" or \"1GB\"",
				   res->hugepage_limits[i].page_size);
		}
	for (size_t i = 0; i < res->n_rdma; i++)
		if (!res->rdma[i].hca_handles.set && !res->rdma[i].hca_objects.set) {
			char config[96];
			json_path_key(config, sizeof(config), "linux.resources.rdma", res->rdma[i].device);
			return bad(err, config, "needs hcaHandles or hcaObjects");
		}
	/* each key is a file in the container's cgroup directory */
	for (size_t i = 0; i < res->unified.n; i++) {
		const char *key = res->unified.key[i];
		if (!key[0] || strchr(key, '/') || !strcmp(key, ".") || !strcmp(key, "..")) {
			char config[160];
			json_path_key(config, sizeof(config), "linux.resources.unified", key);
			return bad(err, config, "\"%s\" is not a cgroup file name", key);
		}
	}
	return 0;
}

/* ---- seccomp, intelRdt, memoryPolicy, hooks ------------------------------------------ */

static bool errno_action(enum seccomp_action a)
{
	return a == SCMP_ACTION_ERRNO || a == SCMP_ACTION_TRACE;
}

static int validate_seccomp_rules(const struct spec_seccomp *sc, bool *notify,
				  struct hako_err *err)
{
	for (size_t i = 0; i < sc->n_syscalls; i++) {
		const struct spec_seccomp_rule *rule = &sc->syscalls[i];
		char config[64];

		snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu]", i);
		if (rule->names.n == 0)
			return bad(err, config, "names needs at least one syscall");
		if (rule->errno_ret.set && !errno_action(rule->action))
			return bad(err, config, "errnoRet is set but action %s returns no errno",
				   seccomp_action_names[rule->action]);
		for (size_t a = 0; a < rule->n_args; a++)
			if (rule->args[a].index > 5) {
				snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu].args[%zu]", i,
					 a);
				return bad(err, config, "index %u is above 5 (syscalls have six "
					   "arguments, 0 to 5)",
					   rule->args[a].index);
			}
		*notify |= rule->action == SCMP_ACTION_NOTIFY;
	}
	return 0;
}

static int validate_seccomp(const struct spec *s, struct hako_err *err)
{
	const struct spec_seccomp *sc = &s->lnx.seccomp;
	bool notify = false;
	int r;

	if (!sc->present)
		return 0;
	/* Every syscall of the init after loading the filter - the sendmsg that
	 * hands the listener fd on, execve - would wait for an agent that has
	 * no fd yet (runc refuses it for the same reason). */
	if (sc->default_action == SCMP_ACTION_NOTIFY)
		return bad(err, "linux.seccomp.defaultAction",
			   "SCMP_ACT_NOTIFY cannot be the default action: the syscalls that hand "
			   "the listener to the agent would wait for that agent themselves");
	if (sc->default_errno_ret.set && !errno_action(sc->default_action))
		return bad(err, "linux.seccomp.defaultErrnoRet",
			   "is set but defaultAction %s returns no errno",
			   seccomp_action_names[sc->default_action]);
	for (size_t i = 0; i < sc->architectures.n; i++)
		if (name_index(oci_seccomp_archs, OCI_SECCOMP_ARCH_COUNT, sc->architectures.v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "linux.seccomp.architectures[%zu]", i);
			return bad(err, config, "unknown architecture \"%s\" (SCMP_ARCH_X86_64, "
				   "SCMP_ARCH_AARCH64, ...)",
				   sc->architectures.v[i]);
		}
	for (size_t i = 0; i < sc->flags.n; i++)
		if (name_index(oci_seccomp_flags, OCI_SECCOMP_FLAG_COUNT, sc->flags.v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "linux.seccomp.flags[%zu]", i);
			return bad(err, config, "unknown flag \"%s\" (SECCOMP_FILTER_FLAG_TSYNC, _LOG, "
				   "_SPEC_ALLOW, _WAIT_KILLABLE_RECV)",
				   sc->flags.v[i]);
		}
	if ((r = validate_seccomp_rules(sc, &notify, err)) < 0)
		return r;
	if (sc->listener_metadata && !sc->listener_path)
		return bad(err, "linux.seccomp.listenerMetadata", "needs listenerPath");
	if (notify && !sc->listener_path) {
		r = bad(err, "linux.seccomp.listenerPath",
			"is required with SCMP_ACT_NOTIFY: the socket that receives the "
			"notification fd");
		return r;
	}
	return 0;
}

/* resctrl mounted where runc and the kernel documentation put it. */
static bool resctrl_mounted(void)
{
	struct statfs sf;

	return statfs("/sys/fs/resctrl", &sf) == 0 && sf.f_type == RDTGROUP_SUPER_MAGIC;
}

static int validate_intel_rdt(const struct spec *s, struct hako_err *err)
{
	const struct spec_intel_rdt *rdt = &s->lnx.intel_rdt;
	const char *id = rdt->clos_id;
	int r;

	if (!rdt->present)
		return 0;
	if (id && strcmp(id, "/") &&
	    (!id[0] || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, "..") || strchr(id, '\n')))
		return bad(err, "linux.intelRdt.closID", "\"%s\" is not a resctrl group name (or \"/\")",
			   id);
	if (rdt->l3_cache_schema && strchr(rdt->l3_cache_schema, '\n'))
		return bad(err, "linux.intelRdt.l3CacheSchema", "must not contain a newline");
	if (rdt->mem_bw_schema &&
	    (strncmp(rdt->mem_bw_schema, "MB:", 3) || strchr(rdt->mem_bw_schema, '\n')))
		return bad(err, "linux.intelRdt.memBwSchema",
			   "must start with \"MB:\" and have no newline");
	for (size_t i = 0; i < rdt->schemata.n; i++)
		if (strchr(rdt->schemata.v[i], '\n')) {
			char config[64];
			snprintf(config, sizeof(config), "linux.intelRdt.schemata[%zu]", i);
			return bad(err, config, "must not contain a newline (one line per entry)");
		}
	if (rdt->enable_cmt.set || rdt->enable_mbm.set)
		hako_warn("linux.intelRdt.enableCMT and enableMBM were replaced by enableMonitoring "
			  "in runtime-spec 1.3");
	/* config-linux.md: without a mounted resctrl the runtime MUST error */
	if (!resctrl_mounted()) {
		r = hako_fail(err, 0, "intelRdt", "/sys/fs/resctrl",
			      "linux.intelRdt is set but no resctrl file system is mounted on "
			      "/sys/fs/resctrl");
		hako_err_config(err, "linux.intelRdt");
		hako_err_hint(err, "mount it (mount -t resctrl resctrl /sys/fs/resctrl; the CPU "
				   "must support RDT) or drop linux.intelRdt");
		return r;
	}
	/* "MUST join closID": hako has no resctrl support yet, and a silent
	 * skip would leave the container outside its class of service. */
	r = hako_fail(err, EOPNOTSUPP, "intelRdt", "/sys/fs/resctrl",
		      "linux.intelRdt is not supported by this hako");
	hako_err_config(err, "linux.intelRdt");
	hako_err_hint(err, "drop linux.intelRdt, or use runc for containers that need resctrl");
	return r;
}

/* set_mempolicy(2). */
static int validate_memory_policy(const struct spec *s, struct hako_err *err)
{
	const char *mode = s->lnx.memory_policy.mode, *nodes = s->lnx.memory_policy.nodes;
	const struct strv *flags = &s->lnx.memory_policy.flags;
	bool has_nodes = nodes && nodes[0];
	int m, r;

	if (!s->lnx.memory_policy.present)
		return 0;
	m = name_index(mpol_mode_names, MPOL_MODE_COUNT, mode);
	if (m < 0)
		return bad(err, "linux.memoryPolicy.mode", "%s \"%s\" (MPOL_DEFAULT, MPOL_BIND, "
			   "MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE, MPOL_PREFERRED, "
			   "MPOL_PREFERRED_MANY, MPOL_LOCAL)",
			   mode ? "unknown mode" : "is required, got", mode ? mode : "");
	for (size_t i = 0; i < flags->n; i++)
		if (name_index(mpol_flag_names, MPOL_FLAG_COUNT, flags->v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "linux.memoryPolicy.flags[%zu]", i);
			return bad(err, config, "unknown flag \"%s\" (MPOL_F_STATIC_NODES, "
				   "MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING)",
				   flags->v[i]);
		}
	if (has_option(flags, "MPOL_F_STATIC_NODES") && has_option(flags, "MPOL_F_RELATIVE_NODES"))
		return bad(err, "linux.memoryPolicy.flags",
			   "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
	if ((r = check_list(nodes, 1024, "linux.memoryPolicy.nodes", err)) < 0)
		return r;
	if ((!strcmp(mode, "MPOL_DEFAULT") || !strcmp(mode, "MPOL_LOCAL")) && has_nodes)
		return bad(err, "linux.memoryPolicy.nodes", "%s takes no nodes", mode);
	if (!has_nodes && strcmp(mode, "MPOL_DEFAULT") && strcmp(mode, "MPOL_LOCAL") &&
	    strcmp(mode, "MPOL_PREFERRED"))
		return bad(err, "linux.memoryPolicy.nodes", "%s needs at least one node", mode);
	return 0;
}

static int validate_hooks(const struct spec *s, struct hako_err *err)
{
	for (int k = 0; k < HOOK_MAX; k++)
		for (size_t i = 0; i < s->hooks.n[k]; i++) {
			const struct spec_hook *h = &s->hooks.list[k][i];
			char config[64];
			int r;

			snprintf(config, sizeof(config), "hooks.%s[%zu].path", hook_kind_names[k], i);
			if ((r = check_absolute(h->path, config, err)) < 0)
				return r;
			snprintf(config, sizeof(config), "hooks.%s[%zu].timeout", hook_kind_names[k],
				 i);
			if (h->timeout.set && h->timeout.v <= 0)
				return bad(err, config, "%d is not above 0", h->timeout.v);
			snprintf(config, sizeof(config), "hooks.%s[%zu].env", hook_kind_names[k], i);
			if ((r = check_env(&h->env, config, err)) < 0)
				return r;
		}
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
	return 0;
}
