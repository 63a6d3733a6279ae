/* cgroup_resources_v1.c - linux.resources in the files of the cgroup v1
 * controllers (Documentation/admin-guide/cgroup-v1/). */
#include "linux/cgroup_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/log.h"

/* A file the kernel may lack: say which feature is missing, not ENOENT. */
static int need_file(const struct cgroup_dir *d, const char *file, const char *config,
		     const char *why, struct hako_err *err)
{
	if (cg_exists(d->path, file))
		return 0;
	int r = hako_fail(err, ENOENT, "write cgroup", d->path,
			  "%s: this kernel has no %s in '%s' (%s)", config, file, d->path, why);
	hako_err_hint(err, "remove %s from config.json", config);
	hako_err_config(err, "%s", config);
	return r;
}

static int write_i64(const struct cgroup_dir *d, const char *file, int64_t v, const char *config,
		     struct hako_err *err)
{
	return cg_writef(d->path, file, config, err, "%lld", (long long)(v < 0 ? -1 : v));
}

/* ---- cpu ----------------------------------------------------------------- */

static int cpu_shares(const struct cgroup_dir *d, uint64_t shares, struct hako_err *err)
{
	const char *config = "linux.resources.cpu.shares";
	uint64_t got = 0;
	int r = cg_writef(d->path, "cpu.shares", config, err, "%" PRIu64, shares);

	if (r < 0)
		return r;
	/* the kernel clamps instead of failing: say so rather than run with
	 * another value than asked */
	if (cg_read_u64(d->path, "cpu.shares", &got) == 0 && got != shares)
		return hako_fail_config(err, config,
					"%s: the kernel accepts 2 to 262144 and took %" PRIu64
					" as %" PRIu64,
					config, shares, got);
	return 0;
}

static int cpu_quota(const struct cgroup_dir *d, const struct spec_cpu *c, struct hako_err *err)
{
	const char *qc = "linux.resources.cpu.quota", *pc = "linux.resources.cpu.period";
	bool quota = c->quota.set && c->quota.v != 0, period = c->period.set && c->period.v;
	int r = 0;

	if (period) {
		r = cg_writef(d->path, "cpu.cfs_period_us", pc, err, "%" PRIu64, c->period.v);
		/* a shorter period can break the quota/period ratio of the old
		 * quota: write the quota first, then the period again */
		if (r == -EINVAL && quota) {
			r = write_i64(d, "cpu.cfs_quota_us", c->quota.v, qc, err);
			if (r == 0)
				r = cg_writef(d->path, "cpu.cfs_period_us", pc, err, "%" PRIu64,
					      c->period.v);
		}
		if (r == -EINVAL)
			hako_err_hint(err, "a CFS period is 1000 to 1000000 us (1 ms to 1 s)");
	}
	if (r == 0 && quota) {
		r = write_i64(d, "cpu.cfs_quota_us", c->quota.v, qc, err);
		if (r == -EINVAL)
			hako_err_hint(err, "a quota is at least 1000 us, and no larger a share of "
					   "the period than the parent cgroup's quota allows");
	}
	return r;
}

static int cpu_rt(const struct cgroup_dir *d, const struct spec_cpu *c, struct hako_err *err)
{
	const char *rc = "linux.resources.cpu.realtimeRuntime";
	const char *why = "the kernel was built without CONFIG_RT_GROUP_SCHED";
	int r;

	if (c->realtime_period.set && c->realtime_period.v) {
		const char *pc = "linux.resources.cpu.realtimePeriod";
		if ((r = need_file(d, "cpu.rt_period_us", pc, why, err)) < 0 ||
		    (r = cg_writef(d->path, "cpu.rt_period_us", pc, err, "%" PRIu64,
				   c->realtime_period.v)) < 0)
			return r;
	}
	if (!c->realtime_runtime.set)
		return 0;
	if ((r = need_file(d, "cpu.rt_runtime_us", rc, why, err)) < 0)
		return r;
	r = write_i64(d, "cpu.rt_runtime_us", c->realtime_runtime.v, rc, err);
	if (r == -EINVAL || r == -EBUSY)
		hako_err_hint(err, "real-time time is handed down the hierarchy: every parent "
				   "cgroup needs cpu.rt_runtime_us at least as large (a new cgroup "
				   "has 0)");
	return r;
}

int cg_v1_cpu(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	      struct hako_err *err)
{
	const struct spec_cpu *c = &res->cpu;
	int r;

	(void)update;
	if (c->shares.set && c->shares.v && (r = cpu_shares(d, c->shares.v, err)) < 0)
		return r;
	if ((r = cpu_quota(d, c, err)) < 0)
		return r;
	if (c->burst.set) {
		const char *bc = "linux.resources.cpu.burst";
		if ((r = need_file(d, "cpu.cfs_burst_us", bc, "CFS burst needs Linux 5.14", err)) < 0 ||
		    (r = cg_writef(d->path, "cpu.cfs_burst_us", bc, err, "%" PRIu64, c->burst.v)) < 0)
			return r;
	}
	if ((r = cpu_rt(d, c, err)) < 0)
		return r;
	if (c->idle.set) {
		const char *ic = "linux.resources.cpu.idle";
		if ((r = need_file(d, "cpu.idle", ic, "SCHED_IDLE cgroups need Linux 5.15", err)) < 0 ||
		    (r = write_i64(d, "cpu.idle", c->idle.v, ic, err)) < 0)
			return r;
	}
	return 0;
}

int cg_v1_cpuset(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		 struct hako_err *err)
{
	(void)update;
	return cg_cpuset_apply(d, res, false, err);
}

/* ---- memory -------------------------------------------------------------- */

static int mem_limit(const struct cgroup_dir *d, int64_t v, struct hako_err *err)
{
	int r = write_i64(d, "memory.limit_in_bytes", v, "linux.resources.memory.limit", err);
	uint64_t usage = 0;

	if (r == -EBUSY) {
		cg_read_u64(d->path, "memory.usage_in_bytes", &usage);
		hako_err_hint(err, "the container uses %" PRIu64 " bytes and the kernel could not "
				   "reclaim enough to fit the new limit",
			      usage);
	} else if (r == -EINVAL) {
		hako_err_hint(err, "memory.limit_in_bytes cannot be above the memory+swap limit "
				   "(memory.memsw.limit_in_bytes): raise linux.resources.memory.swap "
				   "too");
	}
	return r;
}

static int mem_swap(const struct cgroup_dir *d, int64_t v, struct hako_err *err)
{
	int r = write_i64(d, "memory.memsw.limit_in_bytes", v, "linux.resources.memory.swap", err);

	if (r == -EINVAL)
		hako_err_hint(err, "memory.swap is memory plus swap on cgroup v1 and cannot be "
				   "below memory.limit");
	return r;
}

/* memsw must never be below the memory limit, before or after each write:
 * raise memsw first when it grows past the current limit, else lower the
 * limit first. */
static int mem_limit_and_swap(const struct cgroup_dir *d, const struct spec_memory *m,
			      struct hako_err *err)
{
	bool memsw = cg_exists(d->path, "memory.memsw.limit_in_bytes");
	bool swap_set = m->swap.set;
	int64_t swap = m->swap.v;
	uint64_t cur = 0;
	int r;

	/* "limit -1" alone means no limit at all; memsw would otherwise keep
	 * the old limit in place (runc does the same) */
	if (m->limit.set && m->limit.v < 0 && !swap_set && memsw) {
		swap_set = true;
		swap = -1;
	}
	if (swap_set && !memsw && m->swap.set) {
		r = hako_fail(err, ENOENT, "write cgroup", d->path,
			      "linux.resources.memory.swap: this kernel does not account swap "
			      "(no memory.memsw.limit_in_bytes in '%s')",
			      d->path);
		hako_err_hint(err, "boot the kernel with swapaccount=1, or remove memory.swap");
		hako_err_config(err, "linux.resources.memory.swap");
		return r;
	}
	if (m->limit.set && swap_set) {
		cg_read_u64(d->path, "memory.limit_in_bytes", &cur);
		if (swap < 0 || (uint64_t)swap >= cur) {
			if ((r = mem_swap(d, swap, err)) < 0)
				return r;
			return mem_limit(d, m->limit.v, err);
		}
		if ((r = mem_limit(d, m->limit.v, err)) < 0)
			return r;
		return mem_swap(d, swap, err);
	}
	if (m->limit.set)
		return mem_limit(d, m->limit.v, err);
	if (swap_set)
		return mem_swap(d, swap, err);
	return 0;
}

int cg_v1_memory(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		 struct hako_err *err)
{
	const struct spec_memory *m = &res->memory;
	int r;

	(void)update;
	if (m->kernel.set)
		hako_warn("linux.resources.memory.kernel is not applied: kernel memory limits are "
			  "deprecated in runtime-spec and gone from Linux since 6.1");
	if ((r = mem_limit_and_swap(d, m, err)) < 0)
		return r;
	if (m->reservation.set &&
	    (r = write_i64(d, "memory.soft_limit_in_bytes", m->reservation.v,
			   "linux.resources.memory.reservation", err)) < 0)
		return r;
	if (m->kernel_tcp.set) {
		const char *kc = "linux.resources.memory.kernelTCP";
		if ((r = need_file(d, "memory.kmem.tcp.limit_in_bytes", kc,
				   "TCP buffer accounting of cgroup v1", err)) < 0 ||
		    (r = write_i64(d, "memory.kmem.tcp.limit_in_bytes", m->kernel_tcp.v, kc, err)) < 0)
			return r;
	}
	if (m->swappiness.set &&
	    (r = cg_writef(d->path, "memory.swappiness", "linux.resources.memory.swappiness", err,
			   "%" PRIu64, m->swappiness.v)) < 0)
		return r;
	if (m->disable_oom_killer.set &&
	    (r = cg_write(d->path, "memory.oom_control", m->disable_oom_killer.v ? "1" : "0",
			  "linux.resources.memory.disableOOMKiller", err)) < 0)
		return r;
	if (m->use_hierarchy.set) {
		r = cg_write(d->path, "memory.use_hierarchy", m->use_hierarchy.v ? "1" : "0",
			     "linux.resources.memory.useHierarchy", err);
		if (r == -EINVAL)
			hako_err_hint(err, "kernels since 5.16 always account hierarchically; "
					   "useHierarchy false cannot be honoured");
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- pids ---------------------------------------------------------------- */

int cg_v1_pids(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	       struct hako_err *err)
{
	(void)update;
	/* runtime-spec 1.3: -1 is no limit, 0 is a real limit of zero tasks */
	if (res->pids.limit < 0)
		return cg_write(d->path, "pids.max", "max", "linux.resources.pids.limit", err);
	return cg_writef(d->path, "pids.max", "linux.resources.pids.limit", err, "%lld",
			 (long long)res->pids.limit);
}

/* ---- blkio --------------------------------------------------------------- */

/* CFQ had blkio.weight; it left the kernel in 5.0 with the legacy block
 * layer.  BFQ, its successor, has blkio.bfq.weight (and no leaf weights). */
static int weight_file(const struct cgroup_dir *d, bool device, const char *config,
		       const char **file, struct hako_err *err)
{
	if (cg_exists(d->path, "blkio.weight")) {
		*file = device ? "blkio.weight_device" : "blkio.weight";
		return 0;
	}
	if (cg_exists(d->path, "blkio.bfq.weight")) {
		*file = device ? "blkio.bfq.weight_device" : "blkio.bfq.weight";
		return 0;
	}
	int r = hako_fail(err, ENOENT, "write cgroup", d->path,
			  "%s: cannot set an I/O weight: this kernel has no CFQ scheduler (removed "
			  "in Linux 5.0), so there is no blkio.weight, and the BFQ scheduler "
			  "(blkio.bfq.weight) is not loaded",
			  config);
	hako_err_hint(err, "load BFQ ('modprobe bfq') and select it for the disks "
			   "(/sys/block/DISK/queue/scheduler), or remove %s",
		      config);
	hako_err_config(err, "%s", config);
	return r;
}

static int leaf_weight_file(const struct cgroup_dir *d, const char *file, const char *config,
			    struct hako_err *err)
{
	if (cg_exists(d->path, file))
		return 0;
	int r = hako_fail(err, ENOENT, "write cgroup", d->path,
			  "%s: leaf weights existed only with the CFQ scheduler, which this "
			  "kernel does not have (removed in Linux 5.0)",
			  config);
	hako_err_hint(err, "remove %s from config.json", config);
	hako_err_config(err, "%s", config);
	return r;
}

static void device_hint(struct hako_err *err, int r, int64_t major, int64_t minor)
{
	if (r == -ENODEV || r == -EINVAL)
		hako_err_hint(err, "%lld:%lld must be a whole block device of this host (see "
				   "/sys/dev/block/%lld:%lld)",
			      (long long)major, (long long)minor, (long long)major,
			      (long long)minor);
}

static const char *const throttle_files[THROTTLE_MAX] = {
	"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
	"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
};
static const char *const throttle_keys[THROTTLE_MAX] = {
	"throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
	"throttleWriteIOPSDevice",
};

static int blkio_devices(const struct cgroup_dir *d, const struct spec_block_io *b,
			 struct hako_err *err)
{
	char config[96];
	const char *file = NULL; /* set by weight_file(); -O3 cannot tell */
	int r;

	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct spec_block_device *x = &b->weight_devices[i];
		snprintf(config, sizeof(config), "linux.resources.blockIO.weightDevice[%zu]", i);
		if (x->weight.set) {
			if ((r = weight_file(d, true, config, &file, err)) < 0)
				return r;
			r = cg_writef(d->path, file, config, err, "%lld:%lld %u", (long long)x->major,
				      (long long)x->minor, (unsigned)x->weight.v);
			device_hint(err, r, x->major, x->minor);
			if (r < 0)
				return r;
		}
		if (x->leaf_weight.set) {
			if ((r = leaf_weight_file(d, "blkio.leaf_weight_device", config, err)) < 0)
				return r;
			r = cg_writef(d->path, "blkio.leaf_weight_device", config, err,
				      "%lld:%lld %u", (long long)x->major, (long long)x->minor,
				      (unsigned)x->leaf_weight.v);
			if (r < 0)
				return r;
		}
	}
	for (int k = 0; k < THROTTLE_MAX; k++)
		for (size_t i = 0; i < b->n_throttle[k]; i++) {
			const struct spec_block_device *x = &b->throttle[k][i];
			snprintf(config, sizeof(config), "linux.resources.blockIO.%s[%zu]",
				 throttle_keys[k], i);
			if ((r = need_file(d, throttle_files[k], config,
					   "the kernel was built without CONFIG_BLK_DEV_THROTTLING",
					   err)) < 0)
				return r;
			r = cg_writef(d->path, throttle_files[k], config, err, "%lld:%lld %" PRIu64,
				      (long long)x->major, (long long)x->minor, x->rate);
			device_hint(err, r, x->major, x->minor);
			if (r < 0)
				return r;
		}
	return 0;
}

int cg_v1_blkio(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		struct hako_err *err)
{
	const struct spec_block_io *b = &res->block_io;
	const char *file = NULL;
	int r;

	(void)update;
	if (b->weight.set && b->weight.v) {
		const char *wc = "linux.resources.blockIO.weight";
		if ((r = weight_file(d, false, wc, &file, err)) < 0 ||
		    (r = cg_writef(d->path, file, wc, err, "%u", (unsigned)b->weight.v)) < 0)
			return r;
	}
	if (b->leaf_weight.set && b->leaf_weight.v) {
		const char *lc = "linux.resources.blockIO.leafWeight";
		if ((r = leaf_weight_file(d, "blkio.leaf_weight", lc, err)) < 0 ||
		    (r = cg_writef(d->path, "blkio.leaf_weight", lc, err, "%u",
				   (unsigned)b->leaf_weight.v)) < 0)
			return r;
	}
	return blkio_devices(d, b, err);
}

/* ---- hugetlb, net_cls, net_prio, rdma ----------------------------------- */

int cg_v1_hugetlb(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		  struct hako_err *err)
{
	(void)update;
	return cg_hugetlb_apply(d, res, "limit_in_bytes", "rsvd.limit_in_bytes", err);
}

int cg_v1_net_cls(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		  struct hako_err *err)
{
	(void)update;
	return cg_writef(d->path, "net_cls.classid", "linux.resources.network.classID", err, "%u",
			 (unsigned)res->network.class_id.v);
}

int cg_v1_net_prio(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
		   struct hako_err *err)
{
	(void)update;
	for (size_t i = 0; i < res->network.n_priorities; i++) {
		const struct spec_if_priority *p = &res->network.priorities[i];
		char config[80];
		int r;

		snprintf(config, sizeof(config), "linux.resources.network.priorities[%zu]", i);
		if ((r = cg_writef(d->path, "net_prio.ifpriomap", config, err, "%s %u", p->name,
				   (unsigned)p->priority)) < 0)
			return r;
	}
	return 0;
}

/* rdma.max has the same format on v1 and v2. */
int cg_v1_rdma(const struct cgroup_dir *d, const struct spec_resources *res, bool update,
	       struct hako_err *err)
{
	(void)update;
	for (size_t i = 0; i < res->n_rdma; i++) {
		const struct spec_rdma *x = &res->rdma[i];
		char handles[24] = "max", objects[24] = "max", config[160];
		int r;

		snprintf(config, sizeof(config), "linux.resources.rdma[\"%s\"]", x->device);
		if (x->hca_handles.set)
			snprintf(handles, sizeof(handles), "%u", (unsigned)x->hca_handles.v);
		if (x->hca_objects.set)
			snprintf(objects, sizeof(objects), "%u", (unsigned)x->hca_objects.v);
		r = cg_writef(d->path, "rdma.max", config, err, "%s hca_handle=%s hca_object=%s",
			      x->device, handles, objects);
		if (r == -EINVAL || r == -ENODEV)
			hako_err_hint(err, "\"%s\" must be an RDMA device of this host (see "
					   "rdma.max in the parent cgroup)",
				      x->device);
		if (r < 0)
			return r;
	}
	return 0;
}
