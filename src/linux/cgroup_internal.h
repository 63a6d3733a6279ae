/* cgroup_internal.h - what the cgroup files share: the container's cgroup
 * as one directory per hierarchy, and helpers that read and write cgroup
 * files with errors naming the config element and the file.
 *
 * Files: cgroup.c (placement, record, processes, freeze, kill, removal),
 * cgroup_util.c (these helpers), cgroup_v1.c / cgroup_v2.c (what differs
 * between the two: cpuset parents, freezer, subtree_control, cgroup.kill),
 * cgroup_resources.c (linux.resources -> controller table),
 * cgroup_resources_v1.c / _v2.c (the files of each controller),
 * cgroup_devices.c (device rules, v1 devices.allow/deny),
 * cgroup_devices_bpf.c (v2 device filter), cgroup_stats.c (events).
 */
#ifndef HAKO_LINUX_CGROUP_INTERNAL_H
#define HAKO_LINUX_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "linux/cgroup.h"
#include "spec/config.h"
#include "util/err.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CG_PATH_MAX 1024

struct cgroup_dir {
	char name[64];         /* below /sys/fs/cgroup: "memory", "unified"; "" on pure v2 */
	char controllers[256]; /* v1: "cpu,cpuacct", "name=systemd"; cgroup2: "" */
	char path[CG_PATH_MAX]; /* the container's cgroup directory */
	bool v2;               /* a cgroup2 hierarchy (pure v2, or the hybrid "unified") */
	int created;           /* trailing path levels that belong to the container */
};

struct cgroup {
	bool v2; /* pure cgroup v2 host */
	struct cgroup_dir *dirs;
	size_t n;
	int v2_fd; /* O_PATH of the v2 directory for CLONE_INTO_CGROUP, or -1 */
	bool check_before_update; /* linux.resources.memory.checkBeforeUpdate at create */
};

/* ---- cgroup_util.c ------------------------------------------------------- */

/* The v1 hierarchy that has `controller` ("memory", "cpu"), or NULL. */
struct cgroup_dir *cg_v1_dir(const struct cgroup *cg, const char *controller);
/* The cgroup2 directory (pure v2, or hybrid "unified"), or NULL. */
struct cgroup_dir *cg_v2_dir(const struct cgroup *cg);

/* `file` inside directory `d` (or any directory path). */
void cg_file(const char *dir, const char *file, char *out, size_t size);
bool cg_exists(const char *dir, const char *file);
/* The file's contents without the trailing newline; -errno on failure. */
int cg_read(const char *dir, const char *file, char **ret);
/* A number, "max" reading as UINT64_MAX; -errno on failure. */
int cg_read_u64(const char *dir, const char *file, uint64_t *ret);
/* "key value" lines (memory.stat, cgroup.events): the value of `key`. */
int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *ret);

/* Write `value`; on failure the error says `config` (the JSON path of
 * what asked for it, may be NULL), the value and the file. */
int cg_write(const char *dir, const char *file, const char *value, const char *config,
	     struct hako_err *err);
int cg_writef(const char *dir, const char *file, const char *config, struct hako_err *err,
	      const char *fmt, ...) HAKO_PRINTF(5, 6);

/* Is `word` one of the space-separated words in `list`? (cgroup.controllers) */
bool cg_word_in(const char *list, const char *word);
/* Is `controller` one of the comma-separated ones of a v1 hierarchy? */
bool cg_v1_has(const struct cgroup_dir *d, const char *controller);

/* "resources asked for X, but the controller is not there". */
int cg_missing(struct hako_err *err, const char *config, const char *controller,
	       const struct cgroup *cg);

/* Pids in cgroup.procs of `dir` and every cgroup below it. */
int cg_procs_recursive(const char *dir, pid_t **pids, size_t *n);
/* "1234 (sleep 100), 1240 (sh)" for an error message. */
void cg_describe_pids(const pid_t *pids, size_t n, char *out, size_t size);

/* ---- cgroup_v1.c --------------------------------------------------------- */

/* Fill empty cpuset.cpus/cpuset.mems of `path` and of every ancestor up to
 * the hierarchy root from the nearest non-empty ancestor. */
int cg_v1_cpuset_fill(const char *path, struct hako_err *err);
/* cgroup.clone_children on a directory hako made: its new children get
 * its cpuset.cpus and cpuset.mems from the kernel at mkdir. */
int cg_v1_cpuset_inherit(const char *dir);
/* After ENOSPC from joining: which cpuset file is empty, in words, or
 * false when none is (then ENOSPC has another cause). */
bool cg_v1_cpuset_explain(const char *path, char *out, size_t size);
int cg_v1_freeze(const struct cgroup_dir *d, bool freeze, struct hako_err *err);
bool cg_v1_frozen(const struct cgroup_dir *d);

/* ---- cgroup_v2.c --------------------------------------------------------- */

/* Enable controllers in cgroup.subtree_control of every ancestor of the
 * container's directory, from the hierarchy root down: those in `need`
 * (failing when one cannot be), and with `all` every other available one
 * as well (pure v2, as runc and crun do, so that stats have them; the
 * hybrid's shared cgroup2 tree gets no more than asked). */
int cg_v2_enable(const struct cgroup_dir *d, const char *const *need, size_t n_need, bool all,
		 struct hako_err *err);
/* Is the controller available to the container's cgroup (listed in the
 * parent's cgroup.controllers)? */
bool cg_v2_available(const struct cgroup_dir *d, const char *controller);
int cg_v2_freeze(const struct cgroup_dir *d, bool freeze, struct hako_err *err);
bool cg_v2_frozen(const struct cgroup_dir *d);
/* cgroup.kill (Linux 5.14); -ENOENT when the kernel has none. */
int cg_v2_kill(const struct cgroup_dir *d, struct hako_err *err);

/* ---- cgroup_resources*.c ------------------------------------------------- */

/* Apply resources to every directory.  `s`: the whole config at create
 * (device rules need linux.devices), NULL on update. */
int cg_apply(struct cgroup *cg, const struct spec_resources *r, const struct spec *s,
	     bool update, struct hako_err *err);

/* One controller's files on one directory; `update` for `hako update`. */
typedef int (*cg_apply_fn)(const struct cgroup_dir *d, const struct spec_resources *r,
			   bool update, struct hako_err *err);

int cg_v1_cpu(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	      struct hako_err *err);
int cg_v1_cpuset(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		 struct hako_err *err);
int cg_v1_memory(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		 struct hako_err *err);
int cg_v1_pids(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	       struct hako_err *err);
int cg_v1_blkio(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		struct hako_err *err);
int cg_v1_hugetlb(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		  struct hako_err *err);
int cg_v1_net_cls(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		  struct hako_err *err);
int cg_v1_net_prio(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		   struct hako_err *err);
int cg_v1_rdma(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	       struct hako_err *err);

int cg_v2_cpu(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	      struct hako_err *err);
int cg_v2_cpuset(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		 struct hako_err *err);
int cg_v2_memory(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		 struct hako_err *err);
int cg_v2_pids(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	       struct hako_err *err);
int cg_v2_io(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	     struct hako_err *err);
int cg_v2_hugetlb(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
		  struct hako_err *err);
int cg_v2_rdma(const struct cgroup_dir *d, const struct spec_resources *r, bool update,
	       struct hako_err *err);
int cg_v2_unified(const struct cgroup_dir *d, const struct strmap *unified, bool pure_v2,
		  struct hako_err *err);

/* v1-style values onto v2 (runc's and crun's linear maps): cpu.shares
 * 2..262144 -> cpu.weight 1..10000, blkio.weight 10..1000 -> io.weight
 * 1..10000. */
uint64_t cg_shares_to_weight(uint64_t shares);
uint64_t cg_blkio_to_io_weight(uint64_t weight);

/* "2MB" -> a hugetlb file prefix check: does hugetlb.<size>.<suffix> exist;
 * the error lists the sizes the host has. */
/* linux.resources.cpu.cpus and .mems (v1 and v2 alike). */
int cg_cpuset_apply(const struct cgroup_dir *d, const struct spec_resources *res, bool v2,
		    struct hako_err *err);

/* hugepageLimits into hugetlb.<size>.<limit>, and hugetlb.<size>.<rsvd>
 * where the kernel accounts reservations (v1: limit_in_bytes and
 * rsvd.limit_in_bytes; v2: max and rsvd.max). */
int cg_hugetlb_apply(const struct cgroup_dir *d, const struct spec_resources *res,
		     const char *limit, const char *rsvd, struct hako_err *err);
int cg_hugetlb_check(const char *dir, const char *page_size, const char *suffix, size_t i,
		     struct hako_err *err);

/* ---- cgroup_devices*.c --------------------------------------------------- */

/* One device cgroup rule, wildcards as -1. */
struct cg_dev_rule {
	bool allow;
	char type;       /* 'a', 'c', 'b' */
	int64_t major, minor;
	unsigned access; /* CG_DEV_* bits */
	char config[48]; /* where it came from: "linux.resources.devices[2]" */
};
#define CG_DEV_MKNOD 1u
#define CG_DEV_READ 2u
#define CG_DEV_WRITE 4u
#define CG_DEV_ALL 7u

/* linux.resources.devices in order, then hako's default allow-list, then
 * linux.devices (each rwm), as runc orders them. */
int cg_dev_rules(const struct spec *s, struct cg_dev_rule **ret, size_t *ret_n,
		 struct hako_err *err);
int cg_v1_devices(const struct cgroup_dir *d, const struct cg_dev_rule *rules, size_t n,
		  struct hako_err *err);
/* Load a BPF_PROG_TYPE_CGROUP_DEVICE program for `rules` and attach it to
 * `path`, replacing programs attached there before. */
int cg_bpf_devices(const char *path, const struct cg_dev_rule *rules, size_t n,
		   struct hako_err *err);

#endif
