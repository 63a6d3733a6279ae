/* test_cgroup.c - the cgroup driver's pure parts (v1->v2 conversions, the
 * device rule list) and, as root, two kernel-facing parts on the real
 * hierarchies: the eBPF device filter on a cgroup2 directory (the hybrid
 * "unified" tree here, /sys/fs/cgroup itself on v2) and the v1 cpuset fill
 * that keeps joining from failing with ENOSPC. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "spec/config.h"
#include "tap.h"
#include "util/cleanup.h"

TEST(conversions)
{
	/* runc's and crun's maps: the defaults and the ends of the ranges */
	is_int(cg_shares_to_weight(1024), 39, "cpu.shares 1024 -> cpu.weight 39");
	is_int(cg_shares_to_weight(2), 1, "cpu.shares 2 -> cpu.weight 1");
	is_int(cg_shares_to_weight(262144), 10000, "cpu.shares 262144 -> cpu.weight 10000");
	is_int(cg_shares_to_weight(1), 1, "cpu.shares below 2 clamps to weight 1");
	is_int(cg_blkio_to_io_weight(10), 1, "blkio.weight 10 -> io.weight 1");
	is_int(cg_blkio_to_io_weight(500), 4950, "blkio.weight 500 -> io.weight 4950");
	is_int(cg_blkio_to_io_weight(1000), 10000, "blkio.weight 1000 -> io.weight 10000");
}

static int load(const char *json, struct spec **s)
{
	struct hako_err err = { 0 };
	int r = spec_load_string(json, NULL, s, &err);

	if (r < 0)
		printf("# %s\n", err.msg);
	return r;
}

TEST(rule_order)
{
	_cleanup_free_ struct cg_dev_rule *rules = NULL;
	struct spec *s = NULL;
	struct hako_err err = { 0 };
	size_t n = 0;

	if (load("{\"ociVersion\":\"1.3.0\",\"linux\":{\"devices\":[{\"path\":\"/dev/fuse\","
		 "\"type\":\"c\",\"major\":10,\"minor\":229}],\"resources\":{\"devices\":["
		 "{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":10,"
		 "\"minor\":200,\"access\":\"rw\"},{\"allow\":true,\"type\":\"a\",\"access\":\"r\"}]}}}",
		 &s) < 0) {
		ok(false, "config with device rules loads");
		return;
	}
	ok(cg_dev_rules(s, &rules, &n, &err) == 0, "rules build");
	ok(n > 4, "config rules, defaults and linux.devices");
	ok(!rules[0].allow && rules[0].type == 'a' && rules[0].access == CG_DEV_ALL,
	   "a type-less rule means all devices, an access-less one rwm");
	ok(rules[1].allow && rules[1].type == 'c' && rules[1].major == 10 && rules[1].minor == 200 &&
		   rules[1].access == (CG_DEV_READ | CG_DEV_WRITE),
	   "the config's rules come first, in order");
	is_str(rules[1].config, "linux.resources.devices[1]", "a rule knows its config element");
	ok(rules[2].type == 'a' && rules[2].access == CG_DEV_READ, "partial access kept for 'a'");
	ok(rules[3].allow && rules[3].access == CG_DEV_MKNOD && rules[3].major == -1,
	   "then the default allow-list (c *:* m first)");
	ok(rules[n - 1].allow && rules[n - 1].major == 10 && rules[n - 1].minor == 229 &&
		   rules[n - 1].access == CG_DEV_ALL,
	   "linux.devices nodes last, rwm");
	is_str(rules[n - 1].config, "linux.devices[0]", "named after linux.devices");
	spec_free(s);
}

struct open_check {
	const char *path;
	int flags;
	int want; /* 0 or the errno */
};

static bool cgroup2_at(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* In a child moved into `dir`: open `path` with `flags`; 0 or the errno. */
static int try_open(const char *dir, const char *path, int flags)
{
	char procs[600], pid[16];
	int status, fd;
	pid_t child = fork();

	if (child == 0) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
			_exit(200);
		close(fd);
		fd = open(path, flags | O_CLOEXEC | O_NONBLOCK);
		_exit(fd >= 0 ? 0 : errno);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void bpf_case(const char *base, const char *name, const char *json,
		     const struct open_check *checks, size_t n)
{
	_cleanup_free_ struct cg_dev_rule *rules = NULL;
	struct hako_err err = { 0 };
	struct spec *s = NULL;
	char dir[512], what[200];
	size_t nr = 0;

	snprintf(dir, sizeof(dir), "%s/hako-unit-bpf-%d", base, (int)getpid());
	if (load(json, &s) < 0 || cg_dev_rules(s, &rules, &nr, &err) < 0 || mkdir(dir, 0755) < 0) {
		ok(false, name);
		spec_free(s);
		return;
	}
	int r = cg_bpf_devices(dir, rules, nr, &err);
	snprintf(what, sizeof(what), "%s: the filter loads and attaches", name);
	ok(r == 0, what);
	if (r < 0)
		printf("#   %s (%s)\n#   %s\n", err.msg, strerror(err.errnum), err.hint);
	for (size_t i = 0; r == 0 && i < n; i++) {
		int got = try_open(dir, checks[i].path, checks[i].flags);
		snprintf(what, sizeof(what), "%s: open %s %s %s", name, checks[i].path,
			 checks[i].flags == O_RDONLY ? "r" : checks[i].flags == O_WRONLY ? "w" : "rw",
			 checks[i].want ? "is denied (EPERM)" : "works");
		is_int(got, checks[i].want, what);
	}
	rmdir(dir);
	spec_free(s);
}

TEST(bpf_filter)
{
	const char *base = cgroup2_at("/sys/fs/cgroup") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
	static const struct open_check deny_all[] = {
		{ "/dev/null", O_RDWR, 0 },
		{ "/dev/full", O_WRONLY, 0 },
		{ "/dev/kmsg", O_RDONLY, 0 },   /* allowed r by the rule below */
		{ "/dev/kmsg", O_WRONLY, EPERM }, /* ... but not w */
	};
	static const struct open_check later_wins[] = {
		{ "/dev/kmsg", O_RDONLY, 0 },
		{ "/dev/kmsg", O_WRONLY, EPERM },
		{ "/dev/null", O_RDWR, 0 },
	};
	static const struct open_check nothing[] = {
		{ "/dev/kmsg", O_RDONLY, EPERM },
		{ "/dev/zero", O_RDONLY, 0 },
	};

	if (geteuid() != 0 || !cgroup2_at(base) || access("/dev/kmsg", F_OK) < 0) {
		tap_skip("bpf device filter", "needs root, a cgroup2 hierarchy and /dev/kmsg");
		return;
	}
	bpf_case(base, "deny all, allow c 1:11 r",
		 "{\"ociVersion\":\"1.3.0\",\"linux\":{\"resources\":{\"devices\":["
		 "{\"allow\":false,\"access\":\"rwm\"},"
		 "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"r\"}]}}}",
		 deny_all, ARRAY_SIZE(deny_all));
	bpf_case(base, "allow all, then deny c 1:11 w",
		 "{\"ociVersion\":\"1.3.0\",\"linux\":{\"resources\":{\"devices\":["
		 "{\"allow\":true,\"access\":\"rwm\"},"
		 "{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"w\"}]}}}",
		 later_wins, ARRAY_SIZE(later_wins));
	bpf_case(base, "no rules: the default allow-list only",
		 "{\"ociVersion\":\"1.3.0\",\"linux\":{}}", nothing,
		 ARRAY_SIZE(nothing));
}

TEST(cpuset_fill)
{
	char parent[256], child[300], why[1200];
	struct hako_err err = { 0 };
	_cleanup_free_ char *cpus = NULL, *mems = NULL;

	if (geteuid() != 0 || access("/sys/fs/cgroup/cpuset/cpuset.cpus", F_OK) < 0) {
		tap_skip("v1 cpuset fill", "needs root and a cgroup v1 cpuset hierarchy");
		return;
	}
	/* with cgroup.clone_children 0 (the default) a new cpuset cgroup is empty */
	snprintf(parent, sizeof(parent), "/sys/fs/cgroup/cpuset/hako-unit-cpuset-%d", (int)getpid());
	snprintf(child, sizeof(child), "%s/child", parent);
	if (mkdir(parent, 0755) < 0 || mkdir(child, 0755) < 0) {
		ok(false, "make two cpuset levels");
		rmdir(parent);
		return;
	}
	if (cg_read(parent, "cpuset.cpus", &cpus) == 0 && cpus[0]) {
		tap_skip("v1 cpuset fill", "cgroup.clone_children is set here: cgroups start filled");
	} else {
		ok(cg_v1_cpuset_explain(child, why, sizeof(why)), "an empty cpuset is explained");
		like(why, "is empty: ENOSPC here means", "the explanation says what ENOSPC means");
		like(why, "cpuset.cpus", "and names the empty file");
		ok(cg_v1_cpuset_fill(child, &err) == 0, "fill from the nearest non-empty ancestor");
		free(cpus);
		cpus = NULL;
		ok(cg_read(child, "cpuset.cpus", &cpus) == 0 && cpus[0], "cpuset.cpus filled");
		ok(cg_read(parent, "cpuset.mems", &mems) == 0 && mems[0],
		   "the empty parent got cpuset.mems too");
		ok(!cg_v1_cpuset_explain(child, why, sizeof(why)), "nothing left to explain");
	}
	rmdir(child);
	rmdir(parent);
}

int main(void)
{
	static const tap_test_fn tests[] = { conversions, rule_order, bpf_filter, cpuset_fill,
					     NULL };
	return tap_main(tests);
}
