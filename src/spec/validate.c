/* validate.c - rules between config.json values.
 *
 * Each rule names the element it rejects (the same path syntax as load.c)
 * and, where the fix is not obvious, the change to make.  Values the spec
 * says to ignore or that are deprecated produce warnings, not errors.
 */
#include "spec/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec/names.h"
#include "spec/sysctl_rules.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

bool spec_version_supported(const char *v)
{
	char *end;
	long major;

	if (!v || !*v)
		return false;
	major = strtol(v, &end, 10);
	return end != v && major == 1 && (*end == '.' || *end == '\0');
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

static int check_absolute(const char *path, const char *config, const char *what,
			  struct hako_err *err)
{
	if (!path || path[0] != '/')
		return hako_fail_config(err, config, "%s: %s \"%s\" is not an absolute path",
					config, what, path ? path : "");
	return 0;
}

static int validate_root(const struct spec *s, struct hako_err *err)
{
	struct stat st;

	if (!s->root.present || !s->root.path)
		return hako_fail_config(err, "root.path",
					"root.path is required on Linux: the container's root "
					"file system, absolute or relative to the bundle");
	if (!s->rootfs)
		return 0;
	if (stat(s->rootfs, &st) < 0) {
		int r = hako_fail(err, errno, "open rootfs", s->rootfs,
				  "root.path: cannot use '%s' as the container's root", s->rootfs);
		hako_err_config(err, "root.path");
		if (errno == ENOENT)
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

/* Capabilities the kernel does not have are dropped with a warning
 * (runtime-spec: "unknown or ungrantable values MUST be logged as warnings"). */
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

static int validate_rlimits(const struct spec_process *p, struct hako_err *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *rl = &p->rlimits[i];
		char config[64];

		snprintf(config, sizeof(config), "process.rlimits[%zu]", i);
		if (rl->soft > rl->hard)
			return hako_fail_config(err, config,
						"%s: %s soft limit %llu is above its hard limit %llu",
						config, rl->type, (unsigned long long)rl->soft,
						(unsigned long long)rl->hard);
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rl->resource)
				return hako_fail_config(err, config,
							"%s: %s is set twice (first at "
							"process.rlimits[%zu])",
							config, rl->type, j);
	}
	return 0;
}

static int validate_process(struct spec *s, const struct validate_opts *o,
			    struct hako_err *err)
{
	struct spec_process *p = &s->process;
	static const char *const policies[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
						"SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
						"SCHED_DEADLINE" };
	static const char *const io_classes[] = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
						  "IOPRIO_CLASS_IDLE" };
	int r;

	if (!p->present) {
		if (o->for_create)
			return 0;
		return hako_fail_config(err, "process",
					"process is required to start a container");
	}
	if (p->args.n == 0)
		return hako_fail_config(err, "process.args",
					"process.args: at least one entry (the program) is required");
	if (!p->cwd)
		return hako_fail_config(err, "process.cwd", "process.cwd is required");
	r = check_absolute(p->cwd, "process.cwd", "working directory", err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < p->env.n; i++)
		if (!strchr(p->env.v[i], '=')) {
			char config[48];
			snprintf(config, sizeof(config), "process.env[%zu]", i);
			return hako_fail_config(err, config,
						"%s: \"%s\" is not of the form NAME=VALUE", config,
						p->env.v[i]);
		}
	r = validate_rlimits(p, err);
	if (r < 0)
		return r;
	drop_unsupported_caps(&p->capabilities);
	if (p->oom_score_adj.set && (p->oom_score_adj.v < -1000 || p->oom_score_adj.v > 1000))
		return hako_fail_config(err, "process.oomScoreAdj",
					"process.oomScoreAdj: %d is outside -1000..1000",
					p->oom_score_adj.v);
	if (p->scheduler.present &&
	    name_index(policies, ARRAY_SIZE(policies), p->scheduler.policy) < 0)
		return hako_fail_config(err, "process.scheduler.policy",
					"process.scheduler.policy: unknown policy \"%s\"",
					p->scheduler.policy ? p->scheduler.policy : "");
	if (p->io_priority.present) {
		if (name_index(io_classes, ARRAY_SIZE(io_classes), p->io_priority.class) < 0)
			return hako_fail_config(err, "process.ioPriority.class",
						"process.ioPriority.class: unknown class \"%s\" "
						"(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE)",
						p->io_priority.class ? p->io_priority.class : "");
		if (p->io_priority.priority < 0 || p->io_priority.priority > 7)
			return hako_fail_config(err, "process.ioPriority.priority",
						"process.ioPriority.priority: %d is outside 0..7",
						p->io_priority.priority);
	}
	if (p->user.username)
		hako_debug("process.user.username is for Windows; ignored");
	return 0;
}

static int validate_mounts(struct spec *s, struct hako_err *err)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct spec_mount *m = &s->mounts[i];
		char config[64];

		snprintf(config, sizeof(config), "mounts[%zu].destination", i);
		if (m->destination[0] != '/') {
			/* runtime-spec 1.2: relative destinations are deprecated and
			 * MUST be read relative to "/". */
			hako_warn("%s \"%s\" is relative; read as \"/%s\" (relative destinations "
				  "are deprecated since runtime-spec 1.2)",
				  config, m->destination, m->destination);
			char *abs = arena_alloc(&s->arena, strlen(m->destination) + 2);
			abs[0] = '/';
			strcpy(abs + 1, m->destination);
			m->destination = abs;
		}
		if ((m->n_uid_mappings > 0) != (m->n_gid_mappings > 0)) {
			snprintf(config, sizeof(config), "mounts[%zu]", i);
			return hako_fail_config(err, config,
						"%s: uidMappings and gidMappings must be given together",
						config);
		}
	}
	return 0;
}

static int validate_idmaps(const struct spec_idmap *maps, size_t n, const char *config,
			   struct hako_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (maps[i].size == 0)
			return hako_fail_config(err, config, "%s[%zu]: size is 0", config, i);
		for (size_t j = 0; j < i; j++) {
			uint64_t a0 = maps[i].container_id, a1 = a0 + maps[i].size;
			uint64_t b0 = maps[j].container_id, b1 = b0 + maps[j].size;
			if (a0 < b1 && b0 < a1)
				return hako_fail_config(err, config,
							"%s[%zu]: container ids %llu-%llu overlap "
							"%s[%zu]",
							config, i, (unsigned long long)a0,
							(unsigned long long)(a1 - 1), config, j);
		}
	}
	return 0;
}

static int validate_namespaces(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	int r;

	for (int t = 0; t < NS_MAX; t++) {
		char config[64];
		if (!l->ns[t].path)
			continue;
		snprintf(config, sizeof(config), "linux.namespaces[type=%s].path", ns_type_names[t]);
		r = check_absolute(l->ns[t].path, config, "namespace path", err);
		if (r < 0)
			return r;
	}
	if ((l->n_uid_mappings || l->n_gid_mappings) && !spec_has_ns(s, NS_USER))
		return hako_fail_config(err, "linux.uidMappings",
					"linux.uidMappings/gidMappings are set but the container has "
					"no user namespace; add {\"type\": \"user\"} to "
					"linux.namespaces or drop the mappings");
	if (spec_new_ns(s, NS_USER) && (!l->n_uid_mappings || !l->n_gid_mappings))
		return hako_fail_config(err, "linux.uidMappings",
					"a new user namespace needs linux.uidMappings and "
					"linux.gidMappings (for example containerID 0, hostID 100000, "
					"size 65536)");
	r = validate_idmaps(l->uid_mappings, l->n_uid_mappings, "linux.uidMappings", err);
	if (r == 0)
		r = validate_idmaps(l->gid_mappings, l->n_gid_mappings, "linux.gidMappings", err);
	if (r < 0)
		return r;
	if (s->hostname && s->hostname[0] && !spec_has_ns(s, NS_UTS))
		return hako_fail_config(err, "hostname",
					"hostname is set but the container shares the host's UTS "
					"namespace; add {\"type\": \"uts\"} to linux.namespaces");
	if (s->domainname && s->domainname[0] && !spec_has_ns(s, NS_UTS))
		return hako_fail_config(err, "domainname",
					"domainname is set but the container shares the host's UTS "
					"namespace; add {\"type\": \"uts\"} to linux.namespaces");
	if (l->n_time_offsets && !spec_new_ns(s, NS_TIME))
		return hako_fail_config(err, "linux.timeOffsets",
					"linux.timeOffsets needs a new time namespace; add "
					"{\"type\": \"time\"} to linux.namespaces");
	for (size_t i = 0; i < l->n_time_offsets; i++) {
		const char *clock = l->time_offsets[i].clock;
		if (strcmp(clock, "monotonic") && strcmp(clock, "boottime"))
			return hako_fail_config(err, "linux.timeOffsets",
						"linux.timeOffsets: unknown clock \"%s\" (monotonic or "
						"boottime)",
						clock);
	}
	return 0;
}

static int validate_linux_misc(const struct spec *s, struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	static const char *const propagations[] = { "shared",  "slave",  "private",  "unbindable",
						    "rshared", "rslave", "rprivate", "runbindable" };
	int r;

	for (size_t i = 0; i < l->masked_paths.n; i++) {
		char config[48];
		snprintf(config, sizeof(config), "linux.maskedPaths[%zu]", i);
		if ((r = check_absolute(l->masked_paths.v[i], config, "path", err)) < 0)
			return r;
	}
	for (size_t i = 0; i < l->readonly_paths.n; i++) {
		char config[48];
		snprintf(config, sizeof(config), "linux.readonlyPaths[%zu]", i);
		if ((r = check_absolute(l->readonly_paths.v[i], config, "path", err)) < 0)
			return r;
	}
	if (l->rootfs_propagation && l->rootfs_propagation[0] &&
	    name_index(propagations, ARRAY_SIZE(propagations), l->rootfs_propagation) < 0)
		return hako_fail_config(err, "linux.rootfsPropagation",
					"linux.rootfsPropagation: unknown mode \"%s\" (shared, slave, "
					"private, unbindable)",
					l->rootfs_propagation);
	for (size_t i = 0; i < l->n_devices; i++) {
		const struct spec_device *d = &l->devices[i];
		char config[48];
		snprintf(config, sizeof(config), "linux.devices[%zu]", i);
		if (!d->path || !d->type)
			return hako_fail_config(err, config, "%s: path and type are required",
						config);
		if ((r = check_absolute(d->path, config, "device path", err)) < 0)
			return r;
		if (strlen(d->type) != 1 || !strchr("cbup", d->type[0]))
			return hako_fail_config(err, config,
						"%s: type \"%s\" is not one of c, b, u, p", config,
						d->type);
	}
	if (l->personality.present) {
		if (!l->personality.domain || (strcmp(l->personality.domain, "LINUX") &&
					       strcmp(l->personality.domain, "LINUX32")))
			return hako_fail_config(err, "linux.personality.domain",
						"linux.personality.domain: \"%s\" is not LINUX or "
						"LINUX32",
						l->personality.domain ? l->personality.domain : "");
		if (l->personality.flags.n)
			return hako_fail_config(err, "linux.personality.flags",
						"linux.personality.flags: no flags are defined by "
						"runtime-spec; remove \"%s\"",
						l->personality.flags.v[0]);
	}
	if (l->cgroups_path && strstr(l->cgroups_path, ".."))
		return hako_fail_config(err, "linux.cgroupsPath",
					"linux.cgroupsPath \"%s\" must not contain \"..\"",
					l->cgroups_path);
	return 0;
}

static int validate_seccomp(const struct spec *s, struct hako_err *err)
{
	const struct spec_seccomp *sc = &s->lnx.seccomp;
	bool notify = sc->default_action == SCMP_ACTION_NOTIFY;

	if (!sc->present)
		return 0;
	if (sc->default_errno_ret.set && sc->default_action != SCMP_ACTION_ERRNO &&
	    sc->default_action != SCMP_ACTION_TRACE)
		return hako_fail_config(err, "linux.seccomp.defaultErrnoRet",
					"linux.seccomp.defaultErrnoRet is set but defaultAction %s "
					"returns no errno",
					seccomp_action_names[sc->default_action]);
	for (size_t i = 0; i < sc->n_syscalls; i++) {
		const struct spec_seccomp_rule *rule = &sc->syscalls[i];
		char config[64];

		snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu]", i);
		if (rule->names.n == 0)
			return hako_fail_config(err, config, "%s: names needs at least one syscall",
						config);
		if (rule->errno_ret.set && rule->action != SCMP_ACTION_ERRNO &&
		    rule->action != SCMP_ACTION_TRACE)
			return hako_fail_config(err, config,
						"%s: errnoRet is set but action %s returns no errno",
						config, seccomp_action_names[rule->action]);
		for (size_t a = 0; a < rule->n_args; a++)
			if (rule->args[a].index > 5)
				return hako_fail_config(err, config,
							"%s.args[%zu]: index %u is above 5 (syscalls "
							"have six arguments)",
							config, a, rule->args[a].index);
		notify |= rule->action == SCMP_ACTION_NOTIFY;
	}
	if (sc->listener_metadata && !sc->listener_path)
		return hako_fail_config(err, "linux.seccomp.listenerMetadata",
					"linux.seccomp.listenerMetadata needs listenerPath");
	if (notify && !sc->listener_path)
		return hako_fail_config(err, "linux.seccomp.listenerPath",
					"SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath: the socket "
					"that receives the notification fd");
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
			if ((r = check_absolute(h->path, config, "hook", err)) < 0)
				return r;
			if (h->timeout.set && h->timeout.v <= 0) {
				snprintf(config, sizeof(config), "hooks.%s[%zu].timeout",
					 hook_kind_names[k], i);
				return hako_fail_config(err, config, "%s: %d is not above 0", config,
							h->timeout.v);
			}
		}
	return 0;
}

int spec_validate(struct spec *s, const struct validate_opts *o, struct hako_err *err)
{
	int r;

	if (!spec_version_supported(s->oci_version))
		return hako_fail_config(err, "ociVersion",
					"ociVersion \"%s\" is not a 1.x version; hako implements "
					"runtime-spec 1.0 to 1.3",
					s->oci_version);
	if ((r = validate_root(s, err)) < 0 || (r = validate_process(s, o, err)) < 0 ||
	    (r = validate_mounts(s, err)) < 0 || (r = validate_namespaces(s, err)) < 0 ||
	    (r = validate_linux_misc(s, err)) < 0 || (r = validate_seccomp(s, err)) < 0 ||
	    (r = validate_hooks(s, err)) < 0 || (r = sysctl_validate(s, err)) < 0)
		return r;
	return 0;
}
