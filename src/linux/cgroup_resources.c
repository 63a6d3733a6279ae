/* cgroup_resources.c - linux.resources onto controllers: which parts of the
 * config each controller serves, which hierarchy has it, and the errors
 * for the parts no hierarchy can serve. */
#include "linux/cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/log.h"

static bool want_cpuset(const struct spec_resources *r)
{
	return r->cpu.present && ((r->cpu.cpus && *r->cpu.cpus) || (r->cpu.mems && *r->cpu.mems));
}

static bool want_cpu(const struct spec_resources *r)
{
	const struct spec_cpu *c = &r->cpu;

	return c->present && (c->shares.set || c->quota.set || c->period.set || c->burst.set ||
			      c->realtime_runtime.set || c->realtime_period.set || c->idle.set);
}

static bool want_memory(const struct spec_resources *r)
{
	const struct spec_memory *m = &r->memory;

	return m->present && (m->limit.set || m->reservation.set || m->swap.set || m->kernel.set ||
			      m->kernel_tcp.set || m->swappiness.set || m->disable_oom_killer.set ||
			      m->use_hierarchy.set);
}

static bool want_pids(const struct spec_resources *r)
{
	return r->pids.present && r->pids.limit_set;
}

static bool want_blkio(const struct spec_resources *r)
{
	const struct spec_block_io *b = &r->block_io;
	bool any = b->weight.set || b->leaf_weight.set || b->n_weight_devices;

	for (int k = 0; k < THROTTLE_MAX; k++)
		any = any || b->n_throttle[k];
	return b->present && any;
}

static bool want_hugetlb(const struct spec_resources *r)
{
	return r->n_hugepage_limits > 0;
}

static bool want_net_cls(const struct spec_resources *r)
{
	return r->network.present && r->network.class_id.set;
}

static bool want_net_prio(const struct spec_resources *r)
{
	return r->network.present && r->network.n_priorities > 0;
}

static bool want_rdma(const struct spec_resources *r)
{
	return r->n_rdma > 0;
}

/* The table: the v1 controller, its v2 name (NULL: v2 has none), the part
 * of the config it serves, and the files it writes on each version. */
static const struct controller {
	const char *v1, *v2, *config;
	bool (*wanted)(const struct spec_resources *r);
	cg_apply_fn apply_v1, apply_v2;
} controllers[] = {
	/* cpuset first: memory nodes and CPUs before anything else runs there */
	{ "cpuset", "cpuset", "linux.resources.cpu.cpus/mems", want_cpuset, cg_v1_cpuset,
	  cg_v2_cpuset },
	{ "cpu", "cpu", "linux.resources.cpu", want_cpu, cg_v1_cpu, cg_v2_cpu },
	{ "memory", "memory", "linux.resources.memory", want_memory, cg_v1_memory,
	  cg_v2_memory },
	{ "pids", "pids", "linux.resources.pids", want_pids, cg_v1_pids, cg_v2_pids },
	{ "blkio", "io", "linux.resources.blockIO", want_blkio, cg_v1_blkio, cg_v2_io },
	{ "hugetlb", "hugetlb", "linux.resources.hugepageLimits", want_hugetlb, cg_v1_hugetlb,
	  cg_v2_hugetlb },
	{ "net_cls", NULL, "linux.resources.network.classID", want_net_cls, cg_v1_net_cls,
	  NULL },
	{ "net_prio", NULL, "linux.resources.network.priorities", want_net_prio,
	  cg_v1_net_prio, NULL },
	{ "rdma", "rdma", "linux.resources.rdma", want_rdma, cg_v1_rdma, cg_v2_rdma },
};

/* Where a controller's files are: a v1 hierarchy, or the cgroup2 one (pure
 * v2, or a controller the hybrid layout put on "unified", as this kind of
 * host does with hugetlb). */
static int locate(const struct cgroup *cg, const struct controller *c,
		  const struct cgroup_dir **ret, bool *v2, struct hako_err *err)
{
	const struct cgroup_dir *u = cg_v2_dir(cg);

	if (!cg->v2 && (*ret = cg_v1_dir(cg, c->v1))) {
		*v2 = false;
		return 0;
	}
	*v2 = true;
	if (u && c->v2 && cg_v2_available(u, c->v2)) {
		*ret = u;
		return 0;
	}
	if (cg->v2 && !c->v2) {
		int r = hako_fail(err, 0, "cgroup controller", NULL,
				  "%s needs the %s controller of cgroup v1; cgroup v2 has no "
				  "such controller",
				  c->config, c->v1);
		hako_err_hint(err, "remove %s from config.json (on cgroup v2, network "
				   "classification and priorities are done with BPF or nftables)",
			      c->config);
		hako_err_config(err, "%s", c->config);
		return r;
	}
	return cg_missing(err, c->config, cg->v2 ? c->v2 : c->v1, cg);
}

struct v2_needs {
	const char *list[ARRAY_SIZE(controllers) + 32];
	char unified[32][64]; /* controllers named by linux.resources.unified keys */
	size_t n;
};

/* Controllers whose files the resources need on the cgroup2 hierarchy:
 * they must be enabled in every parent's cgroup.subtree_control. */
static void v2_needs(const struct cgroup *cg, const struct spec_resources *r,
		     struct v2_needs *out)
{
	const struct cgroup_dir *u = cg_v2_dir(cg);

	out->n = 0;
	if (!u)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(controllers); i++) {
		const struct controller *c = &controllers[i];
		if (!c->wanted(r) || !c->v2 || (!cg->v2 && cg_v1_dir(cg, c->v1)))
			continue;
		if (cg_v2_available(u, c->v2))
			out->list[out->n++] = c->v2;
	}
	for (size_t i = 0; i < r->unified.n && i < ARRAY_SIZE(out->unified); i++) {
		const char *key = r->unified.key[i], *dot = strchr(key, '.');
		char *name = out->unified[i];
		if (!dot || (size_t)(dot - key) >= sizeof(out->unified[0]))
			continue;
		snprintf(name, sizeof(out->unified[0]), "%.*s", (int)(dot - key), key);
		if (strcmp(name, "cgroup") && cg_v2_available(u, name))
			out->list[out->n++] = name;
	}
}

/* linux.resources.memory.checkBeforeUpdate: refuse a limit below what the
 * container uses now instead of letting the kernel reclaim or OOM-kill. */
static int check_before_update(const struct cgroup *cg, const struct spec_resources *r,
			       struct hako_err *err)
{
	const struct cgroup_dir *d = cg->v2 ? cg_v2_dir(cg) : cg_v1_dir(cg, "memory");
	uint64_t usage;

	if (!d || !r->memory.limit.set || r->memory.limit.v < 0)
		return 0;
	if (cg_read_u64(d->path, d->v2 ? "memory.current" : "memory.usage_in_bytes", &usage) < 0)
		return 0;
	if ((uint64_t)r->memory.limit.v >= usage)
		return 0;
	int ret = hako_fail_config(err, "linux.resources.memory.limit",
				   "linux.resources.memory.limit: the new limit of %lld bytes is "
				   "below the %llu bytes the container uses now",
				   (long long)r->memory.limit.v, (unsigned long long)usage);
	hako_err_hint(err, "checkBeforeUpdate is set: choose a limit of at least %llu bytes",
		      (unsigned long long)usage);
	return ret;
}

static int apply_devices(struct cgroup *cg, const struct spec *s, struct hako_err *err)
{
	_cleanup_free_ struct cg_dev_rule *rules = NULL;
	const struct cgroup_dir *v1 = cg->v2 ? NULL : cg_v1_dir(cg, "devices");
	const struct cgroup_dir *u = cg_v2_dir(cg);
	bool asked = s->lnx.resources.n_devices > 0;
	size_t n;
	int r;

	if (!v1 && !u) {
		/* nothing asked, nothing to filter with: the host has no device cgroup */
		return asked ? cg_missing(err, "linux.resources.devices", "devices", cg) : 0;
	}
	r = cg_dev_rules(s, &rules, &n, err);
	if (r < 0)
		return r;
	if (v1)
		return cg_v1_devices(v1, rules, n, err);
	r = cg_bpf_devices(u->path, rules, n, err);
	if (r < 0 && !asked) {
		hako_warn("%s; the container's device access is not filtered", err->msg);
		memset(err, 0, sizeof(*err));
		return 0;
	}
	return r;
}

static int apply_unified(const struct cgroup *cg, const struct spec_resources *r,
			 struct hako_err *err)
{
	const struct cgroup_dir *u = cg_v2_dir(cg);

	if (!r->unified.n)
		return 0;
	if (!u) {
		int ret = hako_fail_config(err, "linux.resources.unified",
					   "linux.resources.unified needs cgroup v2, and this host "
					   "has no cgroup2 hierarchy");
		hako_err_hint(err, "use the cgroup v1 fields of linux.resources instead");
		return ret;
	}
	return cg_v2_unified(u, &r->unified, cg->v2, err);
}

int cg_apply(struct cgroup *cg, const struct spec_resources *r, const struct spec *s,
	     bool update, struct hako_err *err)
{
	struct v2_needs need;
	int ret;

	if (update && (r->memory.check_before_update.v || cg->check_before_update) &&
	    (ret = check_before_update(cg, r, err)) < 0)
		return ret;
	/* every wanted controller must be somewhere before anything is written */
	for (size_t i = 0; i < ARRAY_SIZE(controllers); i++) {
		const struct cgroup_dir *d;
		bool v2;
		if (controllers[i].wanted(r) && (ret = locate(cg, &controllers[i], &d, &v2, err)) < 0)
			return ret;
	}
	v2_needs(cg, r, &need);
	if (cg_v2_dir(cg) && (need.n || (cg->v2 && !update)) &&
	    (ret = cg_v2_enable(cg_v2_dir(cg), need.list, need.n, cg->v2 && !update, err)) < 0)
		return ret;
	if (s && (ret = apply_devices(cg, s, err)) < 0)
		return ret;
	for (size_t i = 0; i < ARRAY_SIZE(controllers); i++) {
		const struct controller *c = &controllers[i];
		const struct cgroup_dir *d;
		bool v2;
		if (!c->wanted(r))
			continue;
		if ((ret = locate(cg, c, &d, &v2, err)) < 0 ||
		    (ret = (v2 ? c->apply_v2 : c->apply_v1)(d, r, update, err)) < 0)
			return ret;
	}
	return apply_unified(cg, r, err);
}

/* cpuset.cpus and cpuset.mems.  A value the kernel refuses (EINVAL,
 * ERANGE) is explained with what the parent offers: on v1 its own file,
 * on v2 its <file>.effective. */
static int cpuset_write(const struct cgroup_dir *d, const char *file, const char *value,
			const char *config, bool v2, struct hako_err *err)
{
	int r = cg_write(d->path, file, value, config, err);

	if (r == -EINVAL || r == -ERANGE) {
		_cleanup_free_ char *avail = NULL;
		char parent[CG_PATH_MAX], offered[64];
		snprintf(parent, sizeof(parent), "%s", d->path);
		*strrchr(parent, '/') = '\0';
		snprintf(offered, sizeof(offered), "%s%s", file, v2 ? ".effective" : "");
		cg_read(parent, offered, &avail);
		hako_err_hint(err, "\"%s\" must exist on this host and lie within the parent "
				   "cgroup's %s (\"%s\")",
			      value, offered, avail ? avail : "?");
	}
	return r;
}

int cg_cpuset_apply(const struct cgroup_dir *d, const struct spec_resources *res, bool v2,
		    struct hako_err *err)
{
	const struct spec_cpu *c = &res->cpu;
	int r;

	if (c->cpus && *c->cpus &&
	    (r = cpuset_write(d, "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", v2, err)) < 0)
		return r;
	if (c->mems && *c->mems &&
	    (r = cpuset_write(d, "cpuset.mems", c->mems, "linux.resources.cpu.mems", v2, err)) < 0)
		return r;
	return 0;
}
