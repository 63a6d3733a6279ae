/* cgroup_devices_bpf.c - device rules on cgroup v2: an eBPF program of
 * type BPF_PROG_TYPE_CGROUP_DEVICE, built instruction by instruction (no
 * libbpf, no compiler at run time) and attached to the container's cgroup.
 *
 * The kernel runs it on every open and mknod of a device node with
 * struct bpf_cgroup_dev_ctx { access_type = access << 16 | type; major;
 * minor; } and allows the access when it returns 1.  The program checks
 * the rules from the last to the first and returns at the first one that
 * decides, so a later rule overrides an earlier one as on cgroup v1, and a
 * request nothing matches is denied.
 */
#include "linux/cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cleanup.h"

/* The access bits of the ctx are the kernel's BPF_DEVCG_ACC_*. */
_Static_assert(CG_DEV_MKNOD == BPF_DEVCG_ACC_MKNOD && CG_DEV_READ == BPF_DEVCG_ACC_READ &&
		       CG_DEV_WRITE == BPF_DEVCG_ACC_WRITE,
	       "device access bits must match the kernel's");

enum { R0, R1, R2, R3, R4, R5, R6, R7 };

struct prog {
	struct bpf_insn *insn;
	size_t n, cap;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->insn = xrealloc(p->insn, p->cap * sizeof(*p->insn));
	}
	p->insn[p->n++] = (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm
	};
}

static void load_ctx_u32(struct prog *p, uint8_t dst, int16_t off)
{
	emit(p, BPF_LDX | BPF_MEM | BPF_W, dst, R1, off, 0);
}

static void mov_reg(struct prog *p, uint8_t dst, uint8_t src)
{
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static void alu_imm(struct prog *p, uint8_t op, uint8_t dst, int32_t imm)
{
	emit(p, BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}

/* A jump to the end of the current rule's block; patched once the block
 * length is known. */
static size_t jump_out(struct prog *p, uint8_t op, uint8_t dst, int32_t imm)
{
	emit(p, BPF_JMP | op | BPF_K, dst, 0, 0, imm);
	return p->n - 1;
}

static void ret(struct prog *p, int32_t value)
{
	alu_imm(p, BPF_MOV, R0, value);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Registers: R3 access bits, R4 device type, R5 major, R6 minor.  Returns
 * true when the rule decides every request (no jump out): the rules before
 * it can never be reached, and the verifier rejects unreachable code. */
static bool rule_block(struct prog *p, const struct cg_dev_rule *x)
{
	size_t jumps[4], nj = 0;

	if (x->type != 'a')
		jumps[nj++] = jump_out(p, BPF_JNE, R4,
				       x->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	if (x->major >= 0)
		jumps[nj++] = jump_out(p, BPF_JNE, R5, (int32_t)x->major);
	if (x->minor >= 0)
		jumps[nj++] = jump_out(p, BPF_JNE, R6, (int32_t)x->minor);
	if (x->access != CG_DEV_ALL) {
		mov_reg(p, R7, R3);
		if (x->allow) {
			/* allowed only if every requested bit is in the rule */
			alu_imm(p, BPF_AND, R7, (int32_t)(~x->access & CG_DEV_ALL));
			jumps[nj++] = jump_out(p, BPF_JNE, R7, 0);
		} else {
			/* denied if any requested bit is in the rule */
			alu_imm(p, BPF_AND, R7, (int32_t)x->access);
			jumps[nj++] = jump_out(p, BPF_JEQ, R7, 0);
		}
	}
	ret(p, x->allow ? 1 : 0);
	for (size_t k = 0; k < nj; k++)
		p->insn[jumps[k]].off = (int16_t)(p->n - jumps[k] - 1);
	return nj == 0;
}

static int build(const struct cg_dev_rule *rules, size_t n, struct prog *p,
		 struct hako_err *err)
{
	/* access_type is (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_* */
	load_ctx_u32(p, R2, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	mov_reg(p, R3, R2);
	alu_imm(p, BPF_RSH, R3, 16);
	mov_reg(p, R4, R2);
	alu_imm(p, BPF_AND, R4, 0xffff);
	load_ctx_u32(p, R5, offsetof(struct bpf_cgroup_dev_ctx, major));
	load_ctx_u32(p, R6, offsetof(struct bpf_cgroup_dev_ctx, minor));
	for (size_t i = n; i-- > 0;) {
		if (rules[i].major > INT32_MAX || rules[i].minor > INT32_MAX)
			return hako_fail_config(err, rules[i].config,
						"%s: device number %lld:%lld is out of range",
						rules[i].config, (long long)rules[i].major,
						(long long)rules[i].minor);
		if (rule_block(p, &rules[i]))
			return 0;
		if (p->n > 30000)
			return hako_fail_config(err, "linux.resources.devices",
						"linux.resources.devices has too many rules for one "
						"device filter");
	}
	ret(p, 0); /* nothing matched: denied, as on a fresh v1 devices cgroup */
	return 0;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load(const struct prog *p, struct hako_err *err)
{
	static char log[4096];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)p->insn;
	attr.insn_cnt = (uint32_t)p->n;
	attr.license = (uint64_t)(uintptr_t) "Apache-2.0";
	snprintf(attr.prog_name, sizeof(attr.prog_name), "hako_devices");
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	int e = errno;
	if (e == EINVAL || e == EACCES) {
		/* again with the verifier's log, for the error message */
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		log[0] = '\0';
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
		if (fd >= 0)
			return fd;
	}
	int r = hako_fail(err, e, "bpf(BPF_PROG_LOAD)", NULL,
			  "cannot load the device filter (a BPF_PROG_TYPE_CGROUP_DEVICE program "
			  "of %zu instructions) for linux.resources.devices",
			  p->n);
	if (e == EPERM)
		hako_err_hint(err, "loading BPF programs needs CAP_SYS_ADMIN (or CAP_BPF); on "
				   "kernels before 5.11 it also needs a larger RLIMIT_MEMLOCK");
	else if (log[0])
		hako_err_hint(err, "the BPF verifier said: %.*s", (int)strcspn(log, "\n"), log);
	hako_err_config(err, "linux.resources.devices");
	return r;
}

/* Programs attached to the cgroup itself (a stale cgroup from an earlier
 * start may carry one), as fds so they can be detached. */
static size_t attached(int cgfd, int *fds, size_t max)
{
	uint32_t ids[64];
	union bpf_attr q;
	size_t n = 0;

	memset(&q, 0, sizeof(q));
	q.query.target_fd = (uint32_t)cgfd;
	q.query.attach_type = BPF_CGROUP_DEVICE;
	q.query.prog_ids = (uint64_t)(uintptr_t)ids;
	q.query.prog_cnt = ARRAY_SIZE(ids);
	if (sys_bpf(BPF_PROG_QUERY, &q) < 0)
		return 0;
	for (uint32_t i = 0; i < q.query.prog_cnt && n < max; i++) {
		union bpf_attr g;
		memset(&g, 0, sizeof(g));
		g.prog_id = ids[i];
		int fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &g);
		if (fd >= 0)
			fds[n++] = fd;
	}
	return n;
}

static int attach(int cgfd, int progfd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgfd;
	a.attach_bpf_fd = (uint32_t)progfd;
	a.attach_type = BPF_CGROUP_DEVICE;
	/* ALLOW_MULTI: a container may filter its own sub-cgroups further */
	a.attach_flags = BPF_F_ALLOW_MULTI;
	return sys_bpf(BPF_PROG_ATTACH, &a);
}

static void detach(int cgfd, int progfd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgfd;
	a.attach_bpf_fd = (uint32_t)progfd;
	a.attach_type = BPF_CGROUP_DEVICE;
	sys_bpf(BPF_PROG_DETACH, &a);
}

int cg_bpf_devices(const char *path, const struct cg_dev_rule *rules, size_t n,
		   struct hako_err *err)
{
	_cleanup_close_ int cgfd = -1, progfd = -1;
	struct prog p = { 0 };
	bool swapped = false;
	int old[16];
	size_t n_old;
	int r, e;

	r = build(rules, n, &p, err);
	if (r == 0) {
		progfd = load(&p, err);
		r = progfd < 0 ? progfd : 0;
	}
	free(p.insn);
	if (r < 0)
		return r;
	cgfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgfd < 0)
		return hako_fail(err, errno, "open cgroup", path, "cannot open cgroup '%s'", path);
	n_old = attached(cgfd, old, ARRAY_SIZE(old));
	r = attach(cgfd, progfd);
	e = errno;
	if (r < 0 && n_old && (e == EPERM || e == EEXIST)) {
		/* an old program attached without ALLOW_MULTI: swap it out (at
		 * create, when no process is in the cgroup yet) */
		for (size_t i = 0; i < n_old; i++)
			detach(cgfd, old[i]);
		swapped = true;
		r = attach(cgfd, progfd);
		e = errno;
	}
	if (r < 0) {
		r = hako_fail(err, e, "bpf(BPF_PROG_ATTACH)", path,
			      "cannot attach the device filter to cgroup '%s'", path);
		hako_err_config(err, "linux.resources.devices");
	} else if (!swapped) {
		for (size_t i = 0; i < n_old; i++)
			detach(cgfd, old[i]);
	}
	for (size_t i = 0; i < n_old; i++)
		close(old[i]);
	return r;
}
