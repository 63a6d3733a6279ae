/* task_attrs.c - oom_score_adj, scheduling, I/O priority, personality and
 * NUMA memory policy of the container's init (inherited by its children). */
#include "linux/task_attrs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spec/names.h"
#include "util/cleanup.h"
#include "util/fs.h"

#ifndef SCHED_FLAG_RESET_ON_FORK
#define SCHED_FLAG_RESET_ON_FORK 0x01
#endif

struct sched_attr_v1 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static int apply_oom(const struct spec_process *p, struct hako_err *err)
{
	char value[16];
	int r;

	if (!p->oom_score_adj.set)
		return 0;
	snprintf(value, sizeof(value), "%d", p->oom_score_adj.v);
	r = write_file_at(AT_FDCWD, "/proc/self/oom_score_adj", value, strlen(value), 0, 0, err);
	if (r < 0) {
		hako_err_config(err, "process.oomScoreAdj");
		if (err->errnum == EACCES || err->errnum == EPERM)
			hako_err_hint(err, "lowering oom_score_adj below hako's own value needs "
					   "CAP_SYS_RESOURCE, which hako does not hold here");
	}
	return r;
}

static int apply_scheduler(const struct spec_scheduler *sc, struct hako_err *err)
{
	static const char *const policies[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
						"SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
						"SCHED_DEADLINE" };
	static const struct {
		const char *name;
		uint64_t bit;
	} flags[] = {
		{ "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },
		{ "SCHED_FLAG_DL_OVERRUN", 0x04 },    { "SCHED_FLAG_KEEP_POLICY", 0x08 },
		{ "SCHED_FLAG_KEEP_PARAMS", 0x10 },   { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
		{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
	};
	struct sched_attr_v1 a = { .size = sizeof(a) };

	if (!sc->present)
		return 0;
	a.sched_policy = (uint32_t)name_index(policies, ARRAY_SIZE(policies), sc->policy);
	a.sched_nice = sc->nice;
	a.sched_priority = (uint32_t)sc->priority;
	a.sched_runtime = sc->runtime;
	a.sched_deadline = sc->deadline;
	a.sched_period = sc->period;
	for (size_t i = 0; i < sc->flags.n; i++)
		for (size_t k = 0; k < ARRAY_SIZE(flags); k++)
			if (!strcmp(sc->flags.v[i], flags[k].name))
				a.sched_flags |= flags[k].bit;
	if (syscall(SYS_sched_setattr, 0, &a, 0) < 0) {
		int r = hako_fail(err, errno, "sched_setattr", NULL, "cannot set scheduler %s",
				  sc->policy);
		hako_err_config(err, "process.scheduler");
		/* hako still holds CAP_SYS_NICE here: the refusal is the cgroup's */
		if (r == -EPERM && (a.sched_policy == 1 || a.sched_policy == 2))
			hako_err_hint(err, "with cgroup v1 a real-time policy needs real-time time in "
					   "the container's cpu cgroup, and a new cgroup has none "
					   "(cpu.rt_runtime_us 0): set linux.resources.cpu.realtimeRuntime "
					   "and realtimePeriod, or use SCHED_OTHER");
		return r;
	}
	return 0;
}

static int apply_ioprio(const struct spec_io_priority *io, struct hako_err *err)
{
	static const char *const classes[] = { "", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
					       "IOPRIO_CLASS_IDLE" };
	int class;

	if (!io->present)
		return 0;
	class = name_index(classes, ARRAY_SIZE(classes), io->class);
	/* IOPRIO_WHO_PROCESS = 1; value = class << 13 | priority */
	if (syscall(SYS_ioprio_set, 1, 0, class << 13 | io->priority) < 0) {
		int r = hako_fail(err, errno, "ioprio_set", NULL, "cannot set I/O priority %s %d",
				  io->class, io->priority);
		hako_err_config(err, "process.ioPriority");
		return r;
	}
	return 0;
}

static int apply_personality(const struct spec_linux *l, struct hako_err *err)
{
	unsigned long persona;

	if (!l->personality.present)
		return 0;
	persona = !strcmp(l->personality.domain, "LINUX32") ? PER_LINUX32 : PER_LINUX;
	if (personality(persona) < 0)
		return hako_fail(err, errno, "personality", NULL, "cannot set personality %s",
				 l->personality.domain);
	return 0;
}

/* "0-3,5" into a node mask for set_mempolicy(2). */
static int parse_nodes(const char *list, unsigned long *mask, size_t words)
{
	const char *p = list ? list : "";

	memset(mask, 0, words * sizeof(*mask));
	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (end == p)
			return -EINVAL;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || b < a)
				return -EINVAL;
		}
		for (unsigned long n = a; n <= b; n++) {
			if (n >= words * 64)
				return -ERANGE;
			mask[n / 64] |= 1UL << (n % 64);
		}
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -EINVAL;
	}
	return 0;
}

static int apply_mempolicy(const struct spec_linux *l, struct hako_err *err)
{
	static const char *const modes[] = { "MPOL_DEFAULT",	 "MPOL_PREFERRED",
					     "MPOL_BIND",	 "MPOL_INTERLEAVE",
					     "MPOL_LOCAL",	 "MPOL_PREFERRED_MANY",
					     "MPOL_WEIGHTED_INTERLEAVE" };
	static const struct {
		const char *name;
		int bit;
	} flags[] = { { "MPOL_F_STATIC_NODES", 1 << 15 },
		      { "MPOL_F_RELATIVE_NODES", 1 << 14 },
		      { "MPOL_F_NUMA_BALANCING", 1 << 13 } };
	unsigned long mask[16];
	int mode;

	if (!l->memory_policy.present)
		return 0;
	mode = name_index(modes, ARRAY_SIZE(modes), l->memory_policy.mode);
	if (mode < 0)
		return hako_fail_config(err, "linux.memoryPolicy.mode",
					"linux.memoryPolicy.mode: unknown mode \"%s\"",
					l->memory_policy.mode ? l->memory_policy.mode : "");
	for (size_t i = 0; i < l->memory_policy.flags.n; i++) {
		int idx = -1;
		for (size_t k = 0; k < ARRAY_SIZE(flags); k++)
			if (!strcmp(flags[k].name, l->memory_policy.flags.v[i]))
				idx = (int)k;
		if (idx < 0)
			return hako_fail_config(err, "linux.memoryPolicy.flags",
						"linux.memoryPolicy.flags: unknown flag \"%s\"",
						l->memory_policy.flags.v[i]);
		mode |= flags[idx].bit;
	}
	if (parse_nodes(l->memory_policy.nodes, mask, ARRAY_SIZE(mask)) < 0)
		return hako_fail_config(err, "linux.memoryPolicy.nodes",
					"linux.memoryPolicy.nodes: \"%s\" is not a node list",
					l->memory_policy.nodes);
	if (syscall(SYS_set_mempolicy, mode, l->memory_policy.nodes ? mask : NULL,
		    l->memory_policy.nodes ? ARRAY_SIZE(mask) * 64 : 0) < 0) {
		int r = hako_fail(err, errno, "set_mempolicy", NULL, "cannot set memory policy %s",
				  l->memory_policy.mode);
		hako_err_config(err, "linux.memoryPolicy");
		return r;
	}
	return 0;
}

int task_attrs_apply(const struct spec *s, struct hako_err *err)
{
	int r;

	if ((r = apply_oom(&s->process, err)) < 0 ||
	    (r = apply_scheduler(&s->process.scheduler, err)) < 0 ||
	    (r = apply_ioprio(&s->process.io_priority, err)) < 0 ||
	    (r = apply_personality(&s->lnx, err)) < 0 || (r = apply_mempolicy(&s->lnx, err)) < 0)
		return r;
	return 0;
}
