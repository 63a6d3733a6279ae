/* cgroup_stats.c - what `hako events` reports: the stats of runc's
 * types/events.go (same field names, so tools written for runc read them)
 * from the v1 or v2 files, and OOM notification. */
#include "linux/cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

/* ---- a small JSON writer with runc's omitempty ----------------------------- */

struct jw {
	struct buf *b;
	bool first[16];
	int depth;
};

static void jw_key(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		buf_putc(w->b, ',');
	w->first[w->depth] = false;
	if (key) {
		buf_json_str(w->b, key);
		buf_putc(w->b, ':');
	}
}

static void jw_open(struct jw *w, const char *key, char bracket)
{
	jw_key(w, key);
	buf_putc(w->b, bracket);
	w->first[++w->depth] = true;
}

static void jw_close(struct jw *w, char bracket)
{
	buf_putc(w->b, bracket);
	w->depth--;
}

static void jw_u64(struct jw *w, const char *key, uint64_t v, bool omitempty)
{
	if (omitempty && !v)
		return;
	jw_key(w, key);
	buf_printf(w->b, "%" PRIu64, v);
}

static void jw_i64(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	buf_printf(w->b, "%" PRId64, v);
}

static uint64_t u64_of(const char *dir, const char *file)
{
	uint64_t v = 0;

	cg_read_u64(dir, file, &v);
	return v;
}

/* "0 1 2" or "0-3,6" (cpuset lists) or "123 456" (percpu): as a JSON array */
static void jw_list(struct jw *w, const char *key, const char *text, bool ranges)
{
	size_t n = 0;

	if (!text || !*text)
		return;
	jw_open(w, key, '[');
	for (const char *p = text; *p;) {
		char *end;
		unsigned long long a = strtoull(p, &end, 10), b = a;
		if (end == p)
			break;
		if (ranges && *end == '-')
			b = strtoull(end + 1, &end, 10);
		for (unsigned long long v = a; v <= b && n < 8192; v++, n++)
			buf_printf(w->b, "%s%llu", n ? "," : "", v);
		p = end;
		while (*p == ',' || *p == ' ' || *p == '\n')
			p++;
	}
	jw_close(w, ']');
}

static void jw_file_list(struct jw *w, const char *key, const char *dir, const char *file,
			 bool ranges)
{
	_cleanup_free_ char *text = NULL;

	if (cg_read(dir, file, &text) == 0)
		jw_list(w, key, text, ranges);
}

/* "key value" lines as an object of numbers (memory.stat -> raw). */
static void jw_keyed(struct jw *w, const char *key, const char *dir, const char *file)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (cg_read(dir, file, &text) < 0)
		return;
	jw_open(w, key, '{');
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		jw_u64(w, line, strtoull(sp + 1, NULL, 10), false);
	}
	jw_close(w, '}');
}

/* cpu.pressure and friends: {"some":{"avg10":..},"full":{..}} */
static void jw_psi(struct jw *w, const char *dir, const char *file)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (cg_read(dir, file, &text) < 0)
		return;
	jw_open(w, "psi", '{');
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char kind[8];
		double a10, a60, a300;
		unsigned long long total;
		if (sscanf(line, "%7s avg10=%lf avg60=%lf avg300=%lf total=%llu", kind, &a10, &a60,
			   &a300, &total) != 5)
			continue;
		jw_key(w, kind);
		buf_printf(w->b, "{\"avg10\":%.2f,\"avg60\":%.2f,\"avg300\":%.2f,\"total\":%llu}",
			   a10, a60, a300, total);
	}
	jw_close(w, '}');
}

/* ---- cpu ------------------------------------------------------------------ */

static void cpu_v1(struct jw *w, const struct cgroup *cg)
{
	const struct cgroup_dir *acct = cg_v1_dir(cg, "cpuacct"), *cpu = cg_v1_dir(cg, "cpu");
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t user = 0, sys = 0;

	jw_open(w, "cpu", '{');
	jw_open(w, "usage", '{');
	if (acct) {
		jw_u64(w, "total", u64_of(acct->path, "cpuacct.usage"), true);
		jw_file_list(w, "percpu", acct->path, "cpuacct.usage_percpu", false);
		jw_file_list(w, "percpu_kernel", acct->path, "cpuacct.usage_percpu_sys", false);
		jw_file_list(w, "percpu_user", acct->path, "cpuacct.usage_percpu_user", false);
		/* cpuacct.stat counts USER_HZ ticks */
		cg_read_key(acct->path, "cpuacct.stat", "user", &user);
		cg_read_key(acct->path, "cpuacct.stat", "system", &sys);
		if (hz > 0) {
			user *= 1000000000ull / (uint64_t)hz;
			sys *= 1000000000ull / (uint64_t)hz;
		}
	}
	jw_u64(w, "kernel", sys, false);
	jw_u64(w, "user", user, false);
	jw_close(w, '}');
	jw_open(w, "throttling", '{');
	if (cpu) {
		uint64_t v;
		if (cg_read_key(cpu->path, "cpu.stat", "nr_periods", &v) == 0)
			jw_u64(w, "periods", v, true);
		if (cg_read_key(cpu->path, "cpu.stat", "nr_throttled", &v) == 0)
			jw_u64(w, "throttledPeriods", v, true);
		if (cg_read_key(cpu->path, "cpu.stat", "throttled_time", &v) == 0)
			jw_u64(w, "throttledTime", v, true);
	}
	jw_close(w, '}');
	jw_close(w, '}');
}

static void cpu_v2(struct jw *w, const struct cgroup_dir *d)
{
	uint64_t v;

	jw_open(w, "cpu", '{');
	jw_open(w, "usage", '{');
	if (cg_read_key(d->path, "cpu.stat", "usage_usec", &v) == 0)
		jw_u64(w, "total", v * 1000, true);
	v = 0;
	cg_read_key(d->path, "cpu.stat", "system_usec", &v);
	jw_u64(w, "kernel", v * 1000, false);
	v = 0;
	cg_read_key(d->path, "cpu.stat", "user_usec", &v);
	jw_u64(w, "user", v * 1000, false);
	jw_close(w, '}');
	jw_open(w, "throttling", '{');
	if (cg_read_key(d->path, "cpu.stat", "nr_periods", &v) == 0)
		jw_u64(w, "periods", v, true);
	if (cg_read_key(d->path, "cpu.stat", "nr_throttled", &v) == 0)
		jw_u64(w, "throttledPeriods", v, true);
	if (cg_read_key(d->path, "cpu.stat", "throttled_usec", &v) == 0)
		jw_u64(w, "throttledTime", v * 1000, true);
	jw_close(w, '}');
	jw_psi(w, d->path, "cpu.pressure");
	jw_close(w, '}');
}

/* ---- cpuset --------------------------------------------------------------- */

static void cpuset(struct jw *w, const struct cgroup *cg)
{
	static const struct {
		const char *key, *file;
	} flags[] = {
		{ "cpu_exclusive", "cpuset.cpu_exclusive" },
		{ "mem_hardwall", "cpuset.mem_hardwall" },
		{ "mem_exclusive", "cpuset.mem_exclusive" },
		{ "memory_migrate", "cpuset.memory_migrate" },
		{ "memory_spread_page", "cpuset.memory_spread_page" },
		{ "memory_spread_slab", "cpuset.memory_spread_slab" },
		{ "memory_pressure", "cpuset.memory_pressure" },
		{ "sched_load_balance", "cpuset.sched_load_balance" },
	};
	const struct cgroup_dir *d = cg->v2 ? cg_v2_dir(cg) : cg_v1_dir(cg, "cpuset");

	jw_open(w, "cpuset", '{');
	if (d && d->v2) {
		jw_file_list(w, "cpus", d->path, "cpuset.cpus.effective", true);
		jw_file_list(w, "mems", d->path, "cpuset.mems.effective", true);
	} else if (d) {
		_cleanup_free_ char *level = NULL;
		jw_file_list(w, "cpus", d->path, "cpuset.cpus", true);
		jw_file_list(w, "mems", d->path, "cpuset.mems", true);
		for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
			jw_u64(w, flags[i].key, u64_of(d->path, flags[i].file), false);
		jw_i64(w, "sched_relax_domain_level",
		       cg_read(d->path, "cpuset.sched_relax_domain_level", &level) == 0
			       ? strtoll(level, NULL, 10)
			       : 0);
	}
	jw_close(w, '}');
}

/* ---- memory --------------------------------------------------------------- */

static void mem_entry(struct jw *w, const char *key, uint64_t limit, uint64_t usage,
		      uint64_t max, uint64_t failcnt)
{
	jw_open(w, key, '{');
	jw_u64(w, "limit", limit, false);
	jw_u64(w, "usage", usage, true);
	jw_u64(w, "max", max, true);
	jw_u64(w, "failcnt", failcnt, false);
	jw_close(w, '}');
}

static void mem_entry_v1(struct jw *w, const char *key, const char *dir, const char *prefix)
{
	char f[4][96];

	snprintf(f[0], sizeof(f[0]), "%s.limit_in_bytes", prefix);
	snprintf(f[1], sizeof(f[1]), "%s.usage_in_bytes", prefix);
	snprintf(f[2], sizeof(f[2]), "%s.max_usage_in_bytes", prefix);
	snprintf(f[3], sizeof(f[3]), "%s.failcnt", prefix);
	if (!cg_exists(dir, f[1]))
		return;
	mem_entry(w, key, u64_of(dir, f[0]), u64_of(dir, f[1]), u64_of(dir, f[2]),
		  u64_of(dir, f[3]));
}

static void memory_v1(struct jw *w, const struct cgroup_dir *d)
{
	uint64_t cache = 0;

	jw_open(w, "memory", '{');
	if (d) {
		cg_read_key(d->path, "memory.stat", "cache", &cache);
		jw_u64(w, "cache", cache, true);
		mem_entry_v1(w, "usage", d->path, "memory");
		mem_entry_v1(w, "swap", d->path, "memory.memsw");
		mem_entry_v1(w, "kernel", d->path, "memory.kmem");
		mem_entry_v1(w, "kernelTCP", d->path, "memory.kmem.tcp");
		jw_keyed(w, "raw", d->path, "memory.stat");
	}
	jw_close(w, '}');
}

static void memory_v2(struct jw *w, const struct cgroup_dir *d)
{
	uint64_t cache = 0, failcnt = 0, limit = u64_of(d->path, "memory.max");
	uint64_t usage = u64_of(d->path, "memory.current");
	uint64_t swap_limit = u64_of(d->path, "memory.swap.max");

	jw_open(w, "memory", '{');
	cg_read_key(d->path, "memory.stat", "file", &cache);
	jw_u64(w, "cache", cache, true);
	cg_read_key(d->path, "memory.events", "max", &failcnt);
	mem_entry(w, "usage", limit, usage, u64_of(d->path, "memory.peak"), failcnt);
	/* runc reports memory+swap here, as v1's memsw did */
	if (cg_exists(d->path, "memory.swap.current"))
		mem_entry(w, "swap",
			  swap_limit == UINT64_MAX || limit == UINT64_MAX ? UINT64_MAX
									  : swap_limit + limit,
			  u64_of(d->path, "memory.swap.current") + usage, 0, 0);
	jw_keyed(w, "raw", d->path, "memory.stat");
	jw_psi(w, d->path, "memory.pressure");
	jw_close(w, '}');
}

/* ---- pids, blkio, hugetlb ---------------------------------------------------- */

static void pids(struct jw *w, const struct cgroup *cg)
{
	const struct cgroup_dir *d = cg->v2 ? cg_v2_dir(cg) : cg_v1_dir(cg, "pids");
	uint64_t limit = 0;

	jw_open(w, "pids", '{');
	if (d) {
		jw_u64(w, "current", u64_of(d->path, "pids.current"), true);
		cg_read_u64(d->path, "pids.max", &limit);
		jw_u64(w, "limit", limit == UINT64_MAX ? 0 : limit, true);
	}
	jw_close(w, '}');
}

/* "8:0 Read 4096" lines (the Total line has two fields and is skipped) */
static void blkio_list_v1(struct jw *w, const char *key, const char *dir, const char *file)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;
	bool open = false;

	if (cg_read(dir, file, &text) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long major, minor, value;
		char op[16];
		if (sscanf(line, "%llu:%llu %15s %llu", &major, &minor, op, &value) != 4)
			continue;
		if (!open) {
			jw_open(w, key, '[');
			open = true;
		}
		jw_open(w, NULL, '{');
		jw_u64(w, "major", major, true);
		jw_u64(w, "minor", minor, true);
		jw_key(w, "op");
		buf_json_str(w->b, op);
		jw_u64(w, "value", value, true);
		jw_close(w, '}');
	}
	if (open)
		jw_close(w, ']');
}

static void blkio_v1(struct jw *w, const struct cgroup_dir *d)
{
	/* CFQ's files where the kernel has them, else BFQ's, else throttling's
	 * (which count every I/O), as runc picks them */
	const char *prefix = "blkio.throttle";

	jw_open(w, "blkio", '{');
	if (d && cg_exists(d->path, "blkio.io_service_bytes_recursive"))
		prefix = "blkio";
	else if (d && cg_exists(d->path, "blkio.bfq.io_service_bytes_recursive"))
		prefix = "blkio.bfq";
	if (d) {
		char f[96];
		snprintf(f, sizeof(f), "%s.io_service_bytes_recursive", prefix);
		blkio_list_v1(w, "ioServiceBytesRecursive", d->path, f);
		snprintf(f, sizeof(f), "%s.io_serviced_recursive", prefix);
		blkio_list_v1(w, "ioServicedRecursive", d->path, f);
	}
	jw_close(w, '}');
}

static void io_entry(struct jw *w, unsigned long long major, unsigned long long minor,
		     const char *op, uint64_t v)
{
	jw_open(w, NULL, '{');
	jw_u64(w, "major", major, true);
	jw_u64(w, "minor", minor, true);
	jw_key(w, "op");
	buf_json_str(w->b, op);
	jw_u64(w, "value", v, true);
	jw_close(w, '}');
}

static uint64_t io_field(const char *line, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strchr(line, ' '); p; p = strchr(p + 1, ' '))
		if (!strncmp(p + 1, key, len) && p[1 + len] == '=')
			return strtoull(p + 2 + len, NULL, 10);
	return 0;
}

/* io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" */
static void blkio_v2(struct jw *w, const struct cgroup_dir *d)
{
	static const struct {
		const char *key, *read, *write;
	} lists[] = {
		{ "ioServiceBytesRecursive", "rbytes", "wbytes" },
		{ "ioServicedRecursive", "rios", "wios" },
	};
	_cleanup_free_ char *text = NULL;

	jw_open(w, "blkio", '{');
	if (cg_read(d->path, "io.stat", &text) == 0 && *text) {
		for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
			_cleanup_free_ char *copy = xstrdup(text);
			char *save = NULL;
			jw_open(w, lists[k].key, '[');
			for (char *line = strtok_r(copy, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				unsigned long long major, minor;
				if (sscanf(line, "%llu:%llu", &major, &minor) != 2)
					continue;
				io_entry(w, major, minor, "Read", io_field(line, lists[k].read));
				io_entry(w, major, minor, "Write", io_field(line, lists[k].write));
			}
			jw_close(w, ']');
		}
	}
	jw_psi(w, d->path, "io.pressure");
	jw_close(w, '}');
}

static void hugetlb(struct jw *w, const struct cgroup *cg)
{
	const struct cgroup_dir *d = cg->v2 ? NULL : cg_v1_dir(cg, "hugetlb");
	const char *usage_suffix = ".usage_in_bytes";
	_cleanup_closedir_ DIR *dd = NULL;
	struct dirent *e;

	if (!d) {
		d = cg_v2_dir(cg);
		usage_suffix = ".current";
	}
	jw_open(w, "hugetlb", '{');
	dd = d ? opendir(d->path) : NULL;
	while (dd && (e = readdir(dd))) {
		const char *size = e->d_name + strlen("hugetlb.");
		const char *dot = strchr(size, '.');
		char name[32], f[96];
		if (strncmp(e->d_name, "hugetlb.", 8) || !dot || strcmp(dot, usage_suffix))
			continue; /* also skips the .rsvd. files */
		snprintf(name, sizeof(name), "%.*s", (int)(dot - size), size);
		jw_open(w, name, '{');
		jw_u64(w, "usage", u64_of(d->path, e->d_name), true);
		if (d->v2) {
			uint64_t failcnt = 0;
			snprintf(f, sizeof(f), "hugetlb.%s.events", name);
			cg_read_key(d->path, f, "max", &failcnt);
			jw_u64(w, "failcnt", failcnt, false);
		} else {
			snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", name);
			jw_u64(w, "max", u64_of(d->path, f), true);
			snprintf(f, sizeof(f), "hugetlb.%s.failcnt", name);
			jw_u64(w, "failcnt", u64_of(d->path, f), false);
		}
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

int cgroup_stats(const struct cgroup *cg, struct buf *out, struct hako_err *err)
{
	const struct cgroup_dir *v2 = cg->v2 ? cg_v2_dir(cg) : NULL;
	const struct cgroup_dir *any = v2 ? v2 : cg_v1_dir(cg, "memory");
	struct jw w = { .b = out, .first = { true } };

	if (any && access(any->path, F_OK) < 0)
		return hako_fail(err, errno, "read cgroup", any->path,
				 "the container's cgroup '%s' is gone", any->path);
	jw_open(&w, NULL, '{');
	if (v2)
		cpu_v2(&w, v2);
	else
		cpu_v1(&w, cg);
	cpuset(&w, cg);
	if (v2)
		memory_v2(&w, v2);
	else
		memory_v1(&w, cg_v1_dir(cg, "memory"));
	pids(&w, cg);
	if (v2)
		blkio_v2(&w, v2);
	else
		blkio_v1(&w, cg_v1_dir(cg, "blkio"));
	hugetlb(&w, cg);
	jw_open(&w, "intel_rdt", '{');
	jw_close(&w, '}');
	jw_key(&w, "network_interfaces");
	buf_puts(out, "null");
	jw_close(&w, '}');
	return 0;
}

/* ---- OOM ------------------------------------------------------------------------ */

struct cgroup_oom {
	int fd;             /* eventfd (v1) or inotify (v2) */
	char dir[CG_PATH_MAX];
	bool v2;
	uint64_t last;      /* v2: the "oom" count of memory.events seen last */
};

int cgroup_oom_open(const struct cgroup *cg, struct cgroup_oom **ret, struct hako_err *err)
{
	const struct cgroup_dir *d = cg->v2 ? cg_v2_dir(cg) : cg_v1_dir(cg, "memory");
	_cleanup_free_ struct cgroup_oom *o = xcalloc(1, sizeof(*o));
	char path[CG_PATH_MAX + 64];

	o->fd = -1;
	if (!d)
		return hako_fail(err, ENODEV, "oom notification", NULL,
				 "the container has no memory cgroup to watch for OOM events");
	snprintf(o->dir, sizeof(o->dir), "%s", d->path);
	o->v2 = d->v2;
	if (o->v2) {
		/* memory.events changes (and inotify says so) on every event */
		cg_file(d->path, "memory.events", path, sizeof(path));
		o->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (o->fd < 0 || inotify_add_watch(o->fd, path, IN_MODIFY) < 0) {
			int r = hako_fail(err, errno, "inotify", path, "cannot watch '%s'", path);
			if (o->fd >= 0)
				close(o->fd);
			return r;
		}
		cg_read_key(d->path, "memory.events", "oom", &o->last);
	} else {
		/* v1: an eventfd registered for memory.oom_control through
		 * cgroup.event_control (cgroup-v1/memory.rst, 10. OOM Control) */
		_cleanup_close_ int ofd = -1;
		char line[64];
		cg_file(d->path, "memory.oom_control", path, sizeof(path));
		ofd = open(path, O_RDONLY | O_CLOEXEC);
		o->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (ofd < 0 || o->fd < 0) {
			int r = hako_fail(err, errno, "oom notification", path, "cannot open '%s'", path);
			if (o->fd >= 0)
				close(o->fd);
			return r;
		}
		snprintf(line, sizeof(line), "%d %d", o->fd, ofd);
		int r = cg_write(d->path, "cgroup.event_control", line, NULL, err);
		if (r < 0) {
			close(o->fd);
			return r;
		}
	}
	*ret = TAKE_PTR(o);
	return 0;
}

int cgroup_oom_fd(const struct cgroup_oom *o)
{
	return o->fd;
}

int cgroup_oom_events(struct cgroup_oom *o)
{
	uint64_t n = 0;

	if (o->v2) {
		char drain[4096];
		while (read(o->fd, drain, sizeof(drain)) > 0)
			;
		if (cg_read_key(o->dir, "memory.events", "oom", &n) < 0)
			return -ENOENT;
		uint64_t d = n > o->last ? n - o->last : 0;
		o->last = n;
		return (int)d;
	}
	if (read(o->fd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	/* the kernel also signals the eventfd when the cgroup is removed */
	if (!cg_exists(o->dir, "cgroup.event_control"))
		return -ENOENT;
	return (int)n;
}

void cgroup_oom_free(struct cgroup_oom *o)
{
	if (!o)
		return;
	if (o->fd >= 0)
		close(o->fd);
	free(o);
}
