/* cgroup_resources_v2.c - linux.resources in the files of cgroup v2
 * (Documentation/admin-guide/cgroup-v2.rst), converted from the v1-style
 * values of runtime-spec as runc and crun convert them. */
#include "linux/cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/json.h"
#include "util/cleanup.h"
#include "util/log.h"

static int no_v2(const char *config, const char *why, struct hako_err *err)
{
	int r = hako_fail_config(err, config, "%s: cgroup v2 %s", config, why);
	hako_err_hint(err, "remove %s from config.json", config);
	return r;
}

static int need_file(const struct cgroup_dir *d, const char *file, const char *config,
		     const char *why, struct hako_err *err)
{
	if (cg_exists(d->path, file))
		return 0;
	int r = hako_fail(err, ENOENT, "write cgroup", d->path, "%s: '%s' has no %s (%s)", config,
			  d->path, file, why);
	hako_err_config(err, "%s", config);
	return r;
}

/* "max" for the unlimited values (-1) of runtime-spec. */
static int write_limit(const struct cgroup_dir *d, const char *file, int64_t v,
		       const char *config, struct hako_err *err)
{
	if (v < 0)
		return cg_write(d->path, file, "max", config, err);
	return cg_writef(d->path, file, config, err, "%lld", (long long)v);
}

/* ---- cpu ----------------------------------------------------------------- */

/* cpu.shares 2..262144 (default 1024) onto cpu.weight 1..10000 (default
 * 100): the linear map runc and crun use, so 1024 becomes 39. */
uint64_t cg_shares_to_weight(uint64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

/* cpu.max is "QUOTA PERIOD": a change of one keeps the other. */
static int cpu_max(const struct cgroup_dir *d, const struct spec_cpu *c, struct hako_err *err)
{
	_cleanup_free_ char *cur = NULL;
	char quota[32] = "max";
	uint64_t period = 100000;
	const char *config = c->quota.set ? "linux.resources.cpu.quota" : "linux.resources.cpu.period";

	if (cg_read(d->path, "cpu.max", &cur) == 0) {
		char q[32];
		unsigned long long p;
		if (sscanf(cur, "%31s %llu", q, &p) == 2) {
			snprintf(quota, sizeof(quota), "%s", q);
			period = p;
		}
	}
	if (c->quota.set && c->quota.v != 0) {
		if (c->quota.v < 0)
			snprintf(quota, sizeof(quota), "max");
		else
			snprintf(quota, sizeof(quota), "%lld", (long long)c->quota.v);
	}
	if (c->period.set && c->period.v)
		period = c->period.v;
	return cg_writef(d->path, "cpu.max", config, err, "%s %" PRIu64, quota, period);
}

int cg_v2_cpu(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	      struct hako_err *err)
{
	const struct spec_cpu *c = &res->cpu;
	int r;

	(void)update;
	if ((c->realtime_runtime.set && c->realtime_runtime.v) ||
	    (c->realtime_period.set && c->realtime_period.v))
		return no_v2(c->realtime_runtime.set ? "linux.resources.cpu.realtimeRuntime"
						     : "linux.resources.cpu.realtimePeriod",
			     "has no real-time CPU bandwidth controller", err);
	if (c->shares.set && c->shares.v &&
	    (r = cg_writef(d->path, "cpu.weight", "linux.resources.cpu.shares", err, "%" PRIu64,
			   cg_shares_to_weight(c->shares.v))) < 0)
		return r;
	if (((c->quota.set && c->quota.v) || (c->period.set && c->period.v)) &&
	    (r = cpu_max(d, c, err)) < 0)
		return r;
	if (c->burst.set) {
		const char *bc = "linux.resources.cpu.burst";
		if ((r = need_file(d, "cpu.max.burst", bc, "CFS burst needs Linux 5.14", err)) < 0 ||
		    (r = cg_writef(d->path, "cpu.max.burst", bc, err, "%" PRIu64, c->burst.v)) < 0)
			return r;
	}
	if (c->idle.set) {
		const char *ic = "linux.resources.cpu.idle";
		if ((r = need_file(d, "cpu.idle", ic, "SCHED_IDLE cgroups need Linux 5.15", err)) < 0 ||
		    (r = cg_writef(d->path, "cpu.idle", ic, err, "%lld", (long long)c->idle.v)) < 0)
			return r;
	}
	return 0;
}

int cg_v2_cpuset(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		 struct hako_err *err)
{
	(void)update;
	return cg_cpuset_apply(d, res, true, err);
}

/* ---- memory -------------------------------------------------------------- */

/* runtime-spec's swap is memory+swap (the v1 memsw); memory.swap.max is
 * swap alone, so it is swap - limit.  Without a limit in the request (an
 * update of swap alone) the current memory.max stands in. */
static int swap_max(const struct cgroup_dir *d, const struct spec_memory *m, struct hako_err *err)
{
	const char *config = "linux.resources.memory.swap";
	int64_t limit = m->limit.set ? m->limit.v : -1;
	uint64_t cur;
	int r;

	if ((r = need_file(d, "memory.swap.max", config,
			   "the kernel does not account swap (CONFIG_MEMCG_SWAP, swapaccount=1)",
			   err)) < 0)
		return r;
	if (m->swap.v < 0)
		return cg_write(d->path, "memory.swap.max", "max", config, err);
	if (!m->limit.set && cg_read_u64(d->path, "memory.max", &cur) == 0 && cur != UINT64_MAX)
		limit = (int64_t)cur;
	if (limit <= 0) {
		r = hako_fail_config(err, config,
				     "%s: a swap limit needs a memory limit (on cgroup v2 swap is "
				     "limited alone, as memory.swap.max = swap - limit)",
				     config);
		hako_err_hint(err, "set linux.resources.memory.limit too, or swap to -1");
		return r;
	}
	if (m->swap.v < limit)
		return hako_fail_config(err, config,
					"%s: %lld is below the memory limit %lld; swap counts memory "
					"plus swap",
					config, (long long)m->swap.v, (long long)limit);
	return cg_writef(d->path, "memory.swap.max", config, err, "%lld",
			 (long long)(m->swap.v - limit));
}

int cg_v2_memory(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		 struct hako_err *err)
{
	const struct spec_memory *m = &res->memory;
	int r;

	(void)update;
	if (m->kernel_tcp.set)
		return no_v2("linux.resources.memory.kernelTCP",
			     "has no separate limit for TCP buffers (they count in memory.max)", err);
	if (m->swappiness.set)
		return no_v2("linux.resources.memory.swappiness", "has no per-cgroup swappiness",
			     err);
	if (m->disable_oom_killer.set && m->disable_oom_killer.v)
		return no_v2("linux.resources.memory.disableOOMKiller",
			     "cannot disable the OOM killer of a cgroup", err);
	if (m->kernel.set)
		hako_warn("linux.resources.memory.kernel is not applied: kernel memory limits are "
			  "deprecated in runtime-spec and count in memory.max on cgroup v2");
	if (m->use_hierarchy.set && !m->use_hierarchy.v)
		hako_warn("linux.resources.memory.useHierarchy false is not applied: cgroup v2 "
			  "always accounts hierarchically");
	if (m->limit.set &&
	    (r = write_limit(d, "memory.max", m->limit.v, "linux.resources.memory.limit", err)) < 0)
		return r;
	if (m->reservation.set &&
	    (r = write_limit(d, "memory.low", m->reservation.v, "linux.resources.memory.reservation",
			     err)) < 0)
		return r;
	if (m->swap.set && m->swap.v != 0)
		return swap_max(d, m, err);
	/* no limit at all: swap neither (runc does the same) */
	if (m->limit.set && m->limit.v < 0 && cg_exists(d->path, "memory.swap.max"))
		return cg_write(d->path, "memory.swap.max", "max", "linux.resources.memory.limit",
				err);
	return 0;
}

int cg_v2_pids(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	       struct hako_err *err)
{
	(void)update;
	return write_limit(d, "pids.max", res->pids.limit, "linux.resources.pids.limit", err);
}

/* ---- io ------------------------------------------------------------------ */

/* blkio.weight 10..1000 onto io.weight 1..10000, as runc converts it; BFQ's
 * io.bfq.weight takes the v1 value as it is. */
uint64_t cg_blkio_to_io_weight(uint64_t w)
{
	if (w < 10)
		w = 10;
	return 1 + (w - 10) * 9999 / 990;
}

static int io_weight(const struct cgroup_dir *d, const char *device, unsigned w, const char *config,
		     struct hako_err *err)
{
	bool bfq = cg_exists(d->path, "io.bfq.weight");
	const char *file = bfq ? "io.bfq.weight" : "io.weight";
	uint64_t v = bfq ? w : cg_blkio_to_io_weight(w);
	int r;

	if (!bfq && !cg_exists(d->path, "io.weight")) {
		r = hako_fail(err, ENOENT, "write cgroup", d->path,
			      "%s: cannot set an I/O weight: '%s' has neither io.weight (the "
			      "io.cost controller) nor io.bfq.weight (the BFQ scheduler)",
			      config, d->path);
		hako_err_hint(err, "load BFQ ('modprobe bfq') and select it for the disks, or "
				   "remove %s",
			      config);
		hako_err_config(err, "%s", config);
		return r;
	}
	if (device) {
		r = cg_writef(d->path, file, config, err, "%s %" PRIu64, device, v);
		/* blkg_conf_prep(): the policy is not active on that disk's queue */
		if (r == -EOPNOTSUPP && bfq)
			hako_err_hint(err, "%s does not use the BFQ scheduler: select it ('echo bfq "
					   ">/sys/dev/block/%s/queue/scheduler'), or remove %s",
				      device, device, config);
		else if (r == -EOPNOTSUPP)
			hako_err_hint(err, "io.cost is not enabled for %s: enable it with '%s "
					   "enable=1' in io.cost.qos of the cgroup2 root, or remove %s",
				      device, device, config);
		else if (r == -ENODEV)
			hako_err_hint(err, "%s must be a whole block device of this host (see "
					   "/sys/dev/block)", device);
		return r;
	}
	return cg_writef(d->path, file, config, err, bfq ? "%" PRIu64 : "default %" PRIu64, v);
}

static const char *const io_max_keys[THROTTLE_MAX] = { "rbps", "wbps", "riops", "wiops" };
static const char *const throttle_keys[THROTTLE_MAX] = {
	"throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
	"throttleWriteIOPSDevice",
};

int cg_v2_io(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	     struct hako_err *err)
{
	const struct spec_block_io *b = &res->block_io;
	char config[96], dev[48];
	int r;

	(void)update;
	if (b->leaf_weight.set && b->leaf_weight.v)
		return no_v2("linux.resources.blockIO.leafWeight", "has no leaf weights", err);
	if (b->weight.set && b->weight.v &&
	    (r = io_weight(d, NULL, b->weight.v, "linux.resources.blockIO.weight", err)) < 0)
		return r;
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct spec_block_device *x = &b->weight_devices[i];
		snprintf(config, sizeof(config), "linux.resources.blockIO.weightDevice[%zu]", i);
		if (x->leaf_weight.set)
			return no_v2(config, "has no leaf weights", err);
		snprintf(dev, sizeof(dev), "%lld:%lld", (long long)x->major, (long long)x->minor);
		if (x->weight.set && (r = io_weight(d, dev, x->weight.v, config, err)) < 0)
			return r;
	}
	for (int k = 0; k < THROTTLE_MAX; k++)
		for (size_t i = 0; i < b->n_throttle[k]; i++) {
			const struct spec_block_device *x = &b->throttle[k][i];
			char value[32] = "max"; /* 0: no limit, as on v1 */
			snprintf(config, sizeof(config), "linux.resources.blockIO.%s[%zu]",
				 throttle_keys[k], i);
			if (x->rate)
				snprintf(value, sizeof(value), "%" PRIu64, x->rate);
			r = cg_writef(d->path, "io.max", config, err, "%lld:%lld %s=%s",
				      (long long)x->major, (long long)x->minor, io_max_keys[k], value);
			if (r == -ENODEV || r == -EINVAL)
				hako_err_hint(err, "%lld:%lld must be a whole block device of this "
						   "host (see /sys/dev/block)",
					      (long long)x->major, (long long)x->minor);
			if (r < 0)
				return r;
		}
	return 0;
}

/* ---- hugetlb, rdma -------------------------------------------------------- */

int cg_hugetlb_check(const char *dir, const char *page_size, const char *suffix, size_t i,
		     struct hako_err *err)
{
	_cleanup_closedir_ DIR *dd = NULL;
	char file[96], sizes[256] = "", config[80];
	struct dirent *e;
	size_t len = 0;

	snprintf(file, sizeof(file), "hugetlb.%s.%s", page_size, suffix);
	if (cg_exists(dir, file))
		return 0;
	dd = opendir(dir);
	while (dd && (e = readdir(dd))) {
		const char *s = e->d_name + strlen("hugetlb.");
		const char *dot = strchr(s, '.');
		if (strncmp(e->d_name, "hugetlb.", 8) || !dot || strcmp(dot + 1, suffix))
			continue;
		int w = snprintf(sizes + len, sizeof(sizes) - len, "%s%.*s", len ? ", " : "",
				 (int)(dot - s), s);
		if (w > 0 && (size_t)w < sizeof(sizes) - len)
			len += (size_t)w;
	}
	snprintf(config, sizeof(config), "linux.resources.hugepageLimits[%zu].pageSize", i);
	int r = hako_fail_config(err, config, "%s: this host has no %s huge pages (it has: %s)",
				 config, page_size, sizes[0] ? sizes : "none");
	return r;
}

int cg_v2_hugetlb(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		  struct hako_err *err)
{
	(void)update;
	return cg_hugetlb_apply(d, res, "max", "rsvd.max", err);
}

int cg_hugetlb_apply(const struct cgroup_dir *d, const struct spec_resources *res,
		     const char *limit, const char *rsvd, struct hako_err *err)
{
	for (size_t i = 0; i < res->n_hugepage_limits; i++) {
		const struct spec_hugepage_limit *h = &res->hugepage_limits[i];
		char file[96], config[64];
		int r;

		snprintf(config, sizeof(config), "linux.resources.hugepageLimits[%zu]", i);
		if ((r = cg_hugetlb_check(d->path, h->page_size, limit, i, err)) < 0)
			return r;
		snprintf(file, sizeof(file), "hugetlb.%s.%s", h->page_size, limit);
		if ((r = cg_writef(d->path, file, config, err, "%" PRIu64, h->limit)) < 0)
			return r;
		/* reservations (Linux 5.7) are limited alike, so mmap fails early */
		snprintf(file, sizeof(file), "hugetlb.%s.%s", h->page_size, rsvd);
		if (cg_exists(d->path, file) &&
		    (r = cg_writef(d->path, file, config, err, "%" PRIu64, h->limit)) < 0)
			return r;
	}
	return 0;
}

int cg_v2_rdma(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	       struct hako_err *err)
{
	return cg_v1_rdma(d, res, update, err);
}

/* ---- unified -------------------------------------------------------------- */

/* runtime-spec: each key is a file of the cgroup; the runtime MUST enable
 * the controllers they need (done with the others, cg_v2_enable), MUST
 * write keys it does not know, and MUST fail when a controller is
 * missing. */
int cg_v2_unified(const struct cgroup_dir *d, const struct strmap *unified, bool pure_v2,
		  struct hako_err *err)
{
	for (size_t i = 0; i < unified->n; i++) {
		const char *key = unified->key[i], *dot = strchr(key, '.');
		char config[192], controller[64] = "";
		int r;

		json_path_key(config, sizeof(config), "linux.resources.unified", key);
		if (dot)
			snprintf(controller, sizeof(controller), "%.*s", (int)(dot - key), key);
		if (!cg_exists(d->path, key)) {
			if (controller[0] && strcmp(controller, "cgroup") &&
			    !cg_v2_available(d, controller)) {
				r = hako_fail_config(err, config,
						     "%s: the %s controller is not available on %s",
						     config, controller,
						     pure_v2 ? "this host's cgroup v2 hierarchy"
							     : "this host's cgroup2 hierarchy "
							       "(a hybrid layout: it is a cgroup v1 "
							       "controller here, or missing)");
				hako_err_hint(err, "remove \"%s\" from linux.resources.unified%s", key,
					      pure_v2 ? "" : ", or use the cgroup v1 fields of "
							     "linux.resources");
				return r;
			}
			r = hako_fail_config(err, config, "%s: the container's cgroup '%s' has no "
					     "file \"%s\"",
					     config, d->path, key);
			hako_err_hint(err, "check the name against cgroup-v2.rst; this kernel may be "
					   "too old for it");
			return r;
		}
		if ((r = cg_write(d->path, key, unified->value[i], config, err)) < 0)
			return r;
	}
	return 0;
}
