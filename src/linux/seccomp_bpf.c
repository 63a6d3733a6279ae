/* seccomp_bpf.c - a classic BPF interpreter for seccomp programs, and the
 * front end that joins per-architecture programs. */
#include "linux/seccomp_bpf.h"

#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"

#define BAD SECCOMP_RET_KILL_PROCESS

static bool load_data(const struct seccomp_data *d, uint32_t off, uint32_t *out)
{
	/* seccomp allows only aligned 32-bit loads inside seccomp_data
	 * (kernel/seccomp.c, seccomp_check_filter) */
	if (off % 4 || off + 4 > sizeof(*d))
		return false;
	memcpy(out, (const char *)d + off, 4);
	return true;
}

static bool alu(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (op) {
	case BPF_ADD:
		*a += v;
		break;
	case BPF_SUB:
		*a -= v;
		break;
	case BPF_MUL:
		*a *= v;
		break;
	case BPF_DIV:
	case BPF_MOD:
		if (!v)
			return false; /* the kernel's verifier rejects a constant 0 */
		*a = op == BPF_DIV ? *a / v : *a % v;
		break;
	case BPF_OR:
		*a |= v;
		break;
	case BPF_AND:
		*a &= v;
		break;
	case BPF_XOR:
		*a ^= v;
		break;
	case BPF_LSH:
		*a = v < 32 ? *a << v : 0;
		break;
	case BPF_RSH:
		*a = v < 32 ? *a >> v : 0;
		break;
	case BPF_NEG:
		*a = -*a;
		break;
	default:
		return false;
	}
	return true;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ:
		return a == v;
	case BPF_JGT:
		return a > v;
	case BPF_JGE:
		return a >= v;
	case BPF_JSET:
		return (a & v) != 0;
	}
	return false;
}

uint32_t seccomp_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	/* Jumps only go forward, so this ends within len steps. */
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS) {
				if (BPF_SIZE(f->code) != BPF_W || !load_data(d, f->k, &a))
					return BAD;
			} else if (BPF_MODE(f->code) == BPF_IMM)
				a = f->k;
			else if (BPF_MODE(f->code) == BPF_MEM && f->k < BPF_MEMWORDS)
				a = mem[f->k];
			else if (BPF_MODE(f->code) == BPF_LEN)
				a = sizeof(*d);
			else
				return BAD;
			break;
		case BPF_LDX:
			if (BPF_MODE(f->code) == BPF_IMM)
				x = f->k;
			else if (BPF_MODE(f->code) == BPF_MEM && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else if (BPF_MODE(f->code) == BPF_LEN)
				x = sizeof(*d);
			else
				return BAD;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return BAD;
			mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			if (!alu(BPF_OP(f->code), &a, src))
				return BAD;
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += f->k;
			else
				pc += jump_taken(BPF_OP(f->code), a, src) ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return BAD;
		}
	}
	return BAD;
}

/* ---- the front end ---------------------------------------------------------------- */

/* Jump targets, resolved once the front end's length is known. */
enum target { T_NEXT, T_SKIP, T_ENOSYS, T_KILL, T_PART };

struct insn {
	struct sock_filter f;
	enum target jt, jf;
	size_t skip; /* T_SKIP: index of the instruction to go to */
	size_t part; /* T_PART: which part's program */
};

#define MAX_PARTS 16

/* Per architecture at most 7 instructions (arch test, load nr, x32 split,
 * two entries of ENOSYS test + jump), plus the load and two returns:
 * sized so that MAX_PARTS parts cannot overflow it. */
struct front {
	struct insn v[3 + 7 * MAX_PARTS];
	size_t n;
};

static size_t emit(struct front *s, uint16_t code, uint32_t k, enum target jt, enum target jf)
{
	s->v[s->n] = (struct insn){ .f = BPF_STMT(code, k), .jt = jt, .jf = jf };
	return s->n++;
}

/* [nr > max: ENOSYS], then the part's program; KILL when there is none. */
static void emit_enter(struct front *s, const struct seccomp_bpf_part *parts, ssize_t part)
{
	size_t i;

	if (part < 0) {
		emit(s, BPF_JMP | BPF_JA, 0, T_KILL, T_KILL);
		return;
	}
	if (parts[part].has_max)
		emit(s, BPF_JMP | BPF_JGT | BPF_K, parts[part].max, T_ENOSYS, T_NEXT);
	i = emit(s, BPF_JMP | BPF_JA, 0, T_PART, T_PART);
	s->v[i].part = (size_t)part;
}

static ssize_t find_part(const struct seccomp_bpf_part *parts, size_t n, uint32_t arch, bool x32)
{
	for (size_t i = 0; i < n; i++)
		if (parts[i].audit_arch == arch && parts[i].x32 == x32)
			return (ssize_t)i;
	return -1;
}

static void emit_arch(struct front *s, const struct seccomp_bpf_part *parts, size_t n, uint32_t arch)
{
	size_t skip = emit(s, BPF_JMP | BPF_JEQ | BPF_K, arch, T_NEXT, T_SKIP);

	emit(s, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), T_NEXT, T_NEXT);
	if (arch == AUDIT_ARCH_X86_64) {
		size_t split = emit(s, BPF_JMP | BPF_JGE | BPF_K, HAKO_X32_SYSCALL_BIT, T_SKIP,
				    T_NEXT);
		emit_enter(s, parts, find_part(parts, n, arch, false));
		s->v[split].skip = s->n;
		emit_enter(s, parts, find_part(parts, n, arch, true));
	} else {
		emit_enter(s, parts, find_part(parts, n, arch, false));
	}
	s->v[skip].skip = s->n;
}

static uint32_t offset_to(const struct insn *in, size_t from, enum target t, size_t enosys,
			  size_t kill, const size_t *starts)
{
	switch (t) {
	case T_NEXT:
		return 0;
	case T_SKIP:
		return (uint32_t)(in->skip - from - 1);
	case T_ENOSYS:
		return (uint32_t)(enosys - from - 1);
	case T_KILL:
		return (uint32_t)(kill - from - 1);
	case T_PART:
		return (uint32_t)(starts[in->part] - from - 1);
	}
	return 0;
}

int seccomp_bpf_link(const struct seccomp_bpf_part *parts, size_t n, struct sock_filter **ret,
		     size_t *ret_len)
{
	struct front s = { 0 };
	size_t enosys, kill, total, starts[MAX_PARTS];
	struct sock_filter *out;

	if (n > MAX_PARTS)
		return -E2BIG;
	emit(&s, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), T_NEXT, T_NEXT);
	for (size_t i = 0; i < n; i++)
		if (find_part(parts, i, parts[i].audit_arch, false) < 0 &&
		    find_part(parts, i, parts[i].audit_arch, true) < 0)
			emit_arch(&s, parts, n, parts[i].audit_arch); /* once per audit arch */
	kill = emit(&s, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, T_NEXT, T_NEXT);
	enosys = emit(&s, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, T_NEXT, T_NEXT);
	total = s.n;
	for (size_t i = 0; i < n; i++) {
		starts[i] = total;
		total += parts[i].len;
	}
	if (total > BPF_MAXINSNS)
		return -E2BIG;
	out = xcalloc(total, sizeof(*out));
	for (size_t i = 0; i < s.n; i++) {
		const struct insn *in = &s.v[i];
		out[i] = in->f;
		if (BPF_CLASS(in->f.code) != BPF_JMP)
			continue;
		if (BPF_OP(in->f.code) == BPF_JA) {
			out[i].k = offset_to(in, i, in->jt, enosys, kill, starts);
		} else {
			/* the front end is a few dozen instructions and its
			 * conditional jumps stay inside it: 8 bits suffice */
			out[i].jt = (uint8_t)offset_to(in, i, in->jt, enosys, kill, starts);
			out[i].jf = (uint8_t)offset_to(in, i, in->jf, enosys, kill, starts);
		}
	}
	for (size_t i = 0; i < n; i++)
		memcpy(out + starts[i], parts[i].prog, parts[i].len * sizeof(*out));
	*ret = out;
	*ret_len = total;
	return 0;
}
