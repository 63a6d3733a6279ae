/* validate_linux.c - rules for the rest of "linux": devices, masked and
 * read-only paths, resources, seccomp, intelRdt, memoryPolicy - and hooks.
 * (validate.c has the version, root, process, mounts and namespaces.) */
#include "spec/validate_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "spec/json.h"
#include "spec/names.h"
#include "util/cleanup.h"
#include "util/log.h"

/* include/uapi/linux/magic.h */
#define RDTGROUP_SUPER_MAGIC 0x7655821

/* ---- linux: devices, paths, misc ---------------------------------------------------- */

static int validate_device(const struct spec_device *d, const char *config, struct hako_err *err)
{
	int r;

	if ((r = check_absolute(d->path, config, err)) < 0)
		return r;
	if (strlen(d->type) != 1 || !strchr("cbup", d->type[0]))
		return invalid(err, config, "type \"%s\" is not one of c, b, u, p", d->type);
	if (d->type[0] != 'p' && (!d->major_set || !d->minor_set))
		return invalid(err, config, "a \"%s\" device needs major and minor", d->type);
	/* include/linux/kdev_t.h: 12 bits of major, 20 of minor */
	if (d->type[0] != 'p' &&
	    (d->major < 0 || d->major > 4095 || d->minor < 0 || d->minor > 1048575))
		return invalid(err, config, "%lld:%lld is not a device number (major 0..4095, minor "
			   "0..1048575)",
			   (long long)d->major, (long long)d->minor);
	if (d->file_mode.set && d->file_mode.v > 07777) {
		r = invalid(err, config, "fileMode %u has bits outside 07777", d->file_mode.v);
		hako_err_hint(err, "fileMode is a decimal number: 0666 is written 438");
		return r;
	}
	return 0;
}

int validate_devices(const struct spec_linux *l, struct hako_err *err)
{
	for (size_t i = 0; i < l->n_devices; i++) {
		char config[48];
		int r;

		snprintf(config, sizeof(config), "linux.devices[%zu]", i);
		if ((r = validate_device(&l->devices[i], config, err)) < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(l->devices[j].path, l->devices[i].path))
				return invalid(err, config, "'%s' is listed twice (first at "
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

int validate_linux_misc(const struct spec *s, struct hako_err *err)
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
		return invalid(err, "linux.rootfsPropagation",
			   "unknown mode \"%s\" (shared, slave, private, unbindable)",
			   l->rootfs_propagation);
	if (l->personality.present) {
		if (!l->personality.domain || (strcmp(l->personality.domain, "LINUX") &&
					       strcmp(l->personality.domain, "LINUX32")))
			return invalid(err, "linux.personality.domain", "\"%s\" is not LINUX or LINUX32",
				   l->personality.domain ? l->personality.domain : "");
		if (l->personality.flags.n)
			return invalid(err, "linux.personality.flags[0]",
				   "no flags are defined by runtime-spec; remove \"%s\"",
				   l->personality.flags.v[0]);
	}
	if (l->cgroups_path && has_dotdot(l->cgroups_path))
		return invalid(err, "linux.cgroupsPath", "\"%s\" has a \"..\" component",
			   l->cgroups_path);
	/* mountLabel: validate_lsm.c */
	for (size_t i = 0; i < s->annotations.n; i++)
		if (!s->annotations.key[i][0])
			return invalid(err, "annotations", "a key is empty (config.md: keys MUST NOT be "
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
			return invalid(err, config, "type \"%s\" is not one of a, c, b", d->type);
		if ((d->major.set && d->major.v < -1) || (d->minor.set && d->minor.v < -1))
			return invalid(err, config, "a negative device number other than -1 (any)");
		if (d->access && (!d->access[0] || strspn(d->access, "rwm") != strlen(d->access)))
			return invalid(err, config, "access \"%s\" is not made of r, w and m", d->access);
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
			return invalid(err, config, "%lld bytes (use -1 for no limit)", (long long)v->v);
	}
	if (m->swappiness.set && m->swappiness.v > 100)
		return invalid(err, "linux.resources.memory.swappiness", "%llu is above 100",
			   (unsigned long long)m->swappiness.v);
	/* swap is memory+swap (cgroup v1 memsw), so it cannot be below limit */
	if (m->limit.set && m->swap.set && m->limit.v > 0 && m->swap.v >= 0 &&
	    m->swap.v < m->limit.v)
		return invalid(err, "linux.resources.memory.swap",
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
		return invalid(err, "linux.resources.cpu.quota", "%lld (use -1 for no limit)",
			   (long long)c->quota.v);
	if (c->quota.set && c->quota.v > 0 && c->burst.set && c->burst.v > (uint64_t)c->quota.v)
		return invalid(err, "linux.resources.cpu.burst", "%llu is above quota %lld",
			   (unsigned long long)c->burst.v, (long long)c->quota.v);
	/* kernel/sched/core.c: a CFS period is 1 ms to 1 s */
	if (c->period.set && c->period.v && (c->period.v < 1000 || c->period.v > 1000000))
		return invalid(err, "linux.resources.cpu.period",
			   "%llu us is outside 1000..1000000 (1 ms to 1 s)",
			   (unsigned long long)c->period.v);
	if (c->idle.set && c->idle.v != 0 && c->idle.v != 1)
		return invalid(err, "linux.resources.cpu.idle", "%lld is not 0 or 1", (long long)c->idle.v);
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
			return invalid(err, config, "needs weight or leafWeight");
	}
	return 0;
}

int validate_resources(const struct spec *s, struct hako_err *err)
{
	const struct spec_resources *res = &s->lnx.resources;
	int r;

	if (!res->present)
		return 0;
	if ((r = validate_device_rules(res, err)) < 0 || (r = validate_memory(&res->memory, err)) < 0 ||
	    (r = validate_cpu(&res->cpu, err)) < 0 || (r = validate_block_io(&res->block_io, err)) < 0)
		return r;
	if (res->pids.limit_set && res->pids.limit < -1)
		return invalid(err, "linux.resources.pids.limit", "%lld (use -1 for no limit; 0 is valid)",
			   (long long)res->pids.limit);
	for (size_t i = 0; i < res->n_hugepage_limits; i++)
		if (!page_size_valid(res->hugepage_limits[i].page_size)) {
			char config[64];
			snprintf(config, sizeof(config), "linux.resources.hugepageLimits[%zu].pageSize", i);
			return invalid(err, config, "\"%s\" is not a size such as \"2MB\" or \"1GB\"",
				   res->hugepage_limits[i].page_size);
		}
	for (size_t i = 0; i < res->n_rdma; i++)
		if (!res->rdma[i].hca_handles.set && !res->rdma[i].hca_objects.set) {
			char config[96];
			json_path_key(config, sizeof(config), "linux.resources.rdma", res->rdma[i].device);
			return invalid(err, config, "needs hcaHandles or hcaObjects");
		}
	/* each key is a file in the container's cgroup directory */
	for (size_t i = 0; i < res->unified.n; i++) {
		const char *key = res->unified.key[i];
		if (!key[0] || strchr(key, '/') || !strcmp(key, ".") || !strcmp(key, "..")) {
			char config[160];
			json_path_key(config, sizeof(config), "linux.resources.unified", key);
			return invalid(err, config, "\"%s\" is not a cgroup file name", key);
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
			return invalid(err, config, "names needs at least one syscall");
		if (rule->errno_ret.set && !errno_action(rule->action))
			return invalid(err, config, "errnoRet is set but action %s returns no errno",
				   seccomp_action_names[rule->action]);
		for (size_t a = 0; a < rule->n_args; a++)
			if (rule->args[a].index > 5) {
				snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu].args[%zu]", i,
					 a);
				return invalid(err, config, "index %u is above 5 (syscalls have six "
					   "arguments, 0 to 5)",
					   rule->args[a].index);
			}
		*notify |= rule->action == SCMP_ACTION_NOTIFY;
	}
	return 0;
}

int validate_seccomp(const struct spec *s, struct hako_err *err)
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
		return invalid(err, "linux.seccomp.defaultAction",
			   "SCMP_ACT_NOTIFY cannot be the default action: the syscalls that hand "
			   "the listener to the agent would wait for that agent themselves");
	if (sc->default_errno_ret.set && !errno_action(sc->default_action))
		return invalid(err, "linux.seccomp.defaultErrnoRet",
			   "is set but defaultAction %s returns no errno",
			   seccomp_action_names[sc->default_action]);
	for (size_t i = 0; i < sc->architectures.n; i++)
		if (name_index(oci_seccomp_archs, OCI_SECCOMP_ARCH_COUNT, sc->architectures.v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "linux.seccomp.architectures[%zu]", i);
			return invalid(err, config, "unknown architecture \"%s\" (SCMP_ARCH_X86_64, "
				   "SCMP_ARCH_AARCH64, ...)",
				   sc->architectures.v[i]);
		}
	for (size_t i = 0; i < sc->flags.n; i++)
		if (name_index(oci_seccomp_flags, OCI_SECCOMP_FLAG_COUNT, sc->flags.v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "linux.seccomp.flags[%zu]", i);
			return invalid(err, config, "unknown flag \"%s\" (SECCOMP_FILTER_FLAG_TSYNC, _LOG, "
				   "_SPEC_ALLOW, _WAIT_KILLABLE_RECV)",
				   sc->flags.v[i]);
		}
	if ((r = validate_seccomp_rules(sc, &notify, err)) < 0)
		return r;
	if (sc->listener_metadata && !sc->listener_path)
		return invalid(err, "linux.seccomp.listenerMetadata", "needs listenerPath");
	if (notify && !sc->listener_path) {
		r = invalid(err, "linux.seccomp.listenerPath",
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

int validate_intel_rdt(const struct spec *s, struct hako_err *err)
{
	const struct spec_intel_rdt *rdt = &s->lnx.intel_rdt;
	const char *id = rdt->clos_id;
	int r;

	if (!rdt->present)
		return 0;
	if (id && strcmp(id, "/") &&
	    (!id[0] || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, "..") || strchr(id, '\n')))
		return invalid(err, "linux.intelRdt.closID", "\"%s\" is not a resctrl group name (or \"/\")",
			   id);
	if (rdt->l3_cache_schema && strchr(rdt->l3_cache_schema, '\n'))
		return invalid(err, "linux.intelRdt.l3CacheSchema", "must not contain a newline");
	if (rdt->mem_bw_schema &&
	    (strncmp(rdt->mem_bw_schema, "MB:", 3) || strchr(rdt->mem_bw_schema, '\n')))
		return invalid(err, "linux.intelRdt.memBwSchema",
			   "must start with \"MB:\" and have no newline");
	for (size_t i = 0; i < rdt->schemata.n; i++)
		if (strchr(rdt->schemata.v[i], '\n')) {
			char config[64];
			snprintf(config, sizeof(config), "linux.intelRdt.schemata[%zu]", i);
			return invalid(err, config, "must not contain a newline (one line per entry)");
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
int validate_memory_policy(const struct spec *s, struct hako_err *err)
{
	const char *mode = s->lnx.memory_policy.mode, *nodes = s->lnx.memory_policy.nodes;
	const struct strv *flags = &s->lnx.memory_policy.flags;
	bool has_nodes = nodes && nodes[0];
	int m, r;

	if (!s->lnx.memory_policy.present)
		return 0;
	m = name_index(mpol_mode_names, MPOL_MODE_COUNT, mode);
	if (m < 0)
		return invalid(err, "linux.memoryPolicy.mode", "%s \"%s\" (MPOL_DEFAULT, MPOL_BIND, "
			   "MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE, MPOL_PREFERRED, "
			   "MPOL_PREFERRED_MANY, MPOL_LOCAL)",
			   mode ? "unknown mode" : "is required, got", mode ? mode : "");
	for (size_t i = 0; i < flags->n; i++)
		if (name_index(mpol_flag_names, MPOL_FLAG_COUNT, flags->v[i]) < 0) {
			char config[64];
			snprintf(config, sizeof(config), "linux.memoryPolicy.flags[%zu]", i);
			return invalid(err, config, "unknown flag \"%s\" (MPOL_F_STATIC_NODES, "
				   "MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING)",
				   flags->v[i]);
		}
	if (has_option(flags, "MPOL_F_STATIC_NODES") && has_option(flags, "MPOL_F_RELATIVE_NODES"))
		return invalid(err, "linux.memoryPolicy.flags",
			   "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
	if ((r = check_list(nodes, 1024, "linux.memoryPolicy.nodes", err)) < 0)
		return r;
	if ((!strcmp(mode, "MPOL_DEFAULT") || !strcmp(mode, "MPOL_LOCAL")) && has_nodes)
		return invalid(err, "linux.memoryPolicy.nodes", "%s takes no nodes", mode);
	if (!has_nodes && strcmp(mode, "MPOL_DEFAULT") && strcmp(mode, "MPOL_LOCAL") &&
	    strcmp(mode, "MPOL_PREFERRED"))
		return invalid(err, "linux.memoryPolicy.nodes", "%s needs at least one node", mode);
	return 0;
}

int validate_hooks(const struct spec *s, struct hako_err *err)
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
				return invalid(err, config, "%d is not above 0", h->timeout.v);
			snprintf(config, sizeof(config), "hooks.%s[%zu].env", hook_kind_names[k], i);
			if ((r = check_env(&h->env, config, err)) < 0)
				return r;
		}
	return 0;
}
