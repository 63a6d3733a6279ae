/* seccomp_compile.c - linux.seccomp to a BPF program, with libseccomp.
 *
 * 1. Every name of every rule is expanded (@groups) into (syscall, rule,
 *    weight) entries; the weight is 0 for a name written out, else the
 *    size of the group that brought it.  Per syscall only the lightest
 *    entries count: a name written out beats any group, a small group
 *    beats a large one.  libseccomp itself would keep the first
 *    unconditional rule of a syscall and silently drop the others, so
 *    the conflicts it would hide are errors here.
 * 2. libseccomp builds one program for each architecture (the native one
 *    and those listed), exported into memory through a memfd, and hako's
 *    front end joins them (seccomp_bpf_link).
 * 3. When the default action denies, the front end answers ENOSYS for
 *    syscall numbers above the highest one the profile names on each
 *    architecture, and a few syscalls that libc tries before an older
 *    fallback (clone3, faccessat2, ...) get ENOSYS when the profile does
 *    not mention them.  Everything else the profile does not mention gets
 *    its defaultAction: "forbidden" stays EPERM, "newer than the profile"
 *    becomes "not implemented".
 * 4. The result is run in user space for the calls the init makes after
 *    loading it (execve, capset, sendmsg), so a profile that would stop
 *    the container from starting fails `create` with a reason.
 */
#include "linux/seccomp_prog.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/seccomp_bpf.h"
#include "linux/seccomp_cache.h"
#include "linux/seccomp_groups.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/log.h"

#define MAX_ARCHS 8
#define MAX_ERRNO_RET 4095 /* the kernel clamps SECCOMP_RET_ERRNO data to MAX_ERRNO */

/*
 * Syscalls with a libc or common-library fallback on ENOSYS.  A profile
 * that predates them and answers EPERM breaks programs outright: glibc
 * 2.34's pthread_create gave up on clone3 (moby/moby#42680), glib on
 * close_range (moby/moby#43595).  When the profile does not mention one,
 * hako answers ENOSYS whatever its number.
 */
static const char *const fallback_enosys[] = {
	"clone3",	    /* glibc >= 2.34: clone */
	"close_range",	    /* glibc closefrom, glib: close in a loop */
	"faccessat2",	    /* glibc >= 2.33: faccessat */
	"fchmodat2",	    /* glibc >= 2.39: fchmodat via /proc/self/fd */
	"openat2",	    /* systemd and others: openat */
	"statx",	    /* glibc fstatat on 32-bit, coreutils: fstatat */
	"epoll_pwait2",	    /* glibc: epoll_pwait */
	"pidfd_open",	    /* systemd, glib: signal by pid */
	"pidfd_send_signal",
};

struct entry {
	const char *name;   /* the syscall */
	const char *via;    /* the @group it came from, or NULL */
	size_t rule;        /* linux.seccomp.syscalls[rule] */
	size_t weight;      /* 0: written out; else the size of that group */
};

struct plan {
	struct entry *v;
	size_t n, cap;
	uint32_t archs[MAX_ARCHS]; /* libseccomp arch tokens in the filter, native first */
	size_t n_archs;
};

struct build {
	const struct spec_seccomp *sc;
	struct plan *plan;
	const char *rule_config; /* "linux.seccomp.syscalls[3].names[1]" of the name being added */
	size_t rule, weight;
	const char *via;
};

static const struct scmp_version *libseccomp(void)
{
	static const struct scmp_version zero;
	const struct scmp_version *v = seccomp_version();

	return v ? v : &zero;
}

/* ---- actions ------------------------------------------------------------------ */

static uint32_t errno_of(opt_u32 ret)
{
	return ret.set ? ret.v : EPERM;
}

static uint32_t scmp_action(enum seccomp_action a, opt_u32 ret)
{
	switch (a) {
	case SCMP_ACTION_KILL:
	case SCMP_ACTION_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SCMP_ACTION_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SCMP_ACTION_TRAP:
		return SCMP_ACT_TRAP;
	case SCMP_ACTION_ERRNO:
		return SCMP_ACT_ERRNO(errno_of(ret));
	case SCMP_ACTION_TRACE:
		/* runc's choice: errnoRet is the tracer's message, EPERM if unset */
		return SCMP_ACT_TRACE(errno_of(ret));
	case SCMP_ACTION_LOG:
		return SCMP_ACT_LOG;
	case SCMP_ACTION_NOTIFY:
		return SCMP_ACT_NOTIFY;
	case SCMP_ACTION_ALLOW:
		return SCMP_ACT_ALLOW;
	default:
		return SCMP_ACT_KILL_PROCESS; /* the loader lets no other value through */
	}
}

/* A denial, for which "newer than the profile" becomes ENOSYS. */
static bool action_denies(enum seccomp_action a)
{
	return a == SCMP_ACTION_KILL || a == SCMP_ACTION_KILL_THREAD ||
	       a == SCMP_ACTION_KILL_PROCESS || a == SCMP_ACTION_TRAP || a == SCMP_ACTION_ERRNO;
}

/* Report mode: a denial with an errno other than ENOSYS goes to the
 * monitor instead (it answers with the same errno).  ENOSYS means "does
 * not exist here", which is not worth a report. */
static uint32_t reported(uint32_t act, bool report)
{
	bool is_errno = (act & 0xffff0000U) == SCMP_ACT_ERRNO(0);

	return report && is_errno && (act & 0xffffU) != ENOSYS ? SCMP_ACT_NOTIFY : act;
}

static void action_text(enum seccomp_action a, opt_u32 ret, char *out, size_t size)
{
	if (a == SCMP_ACTION_ERRNO)
		snprintf(out, size, "SCMP_ACT_ERRNO(%s)", errno_name((int)errno_of(ret)));
	else
		snprintf(out, size, "%s", seccomp_action_names[a]);
}

/* ---- architectures ----------------------------------------------------------------- */

uint32_t seccomp_arch_token(const char *name)
{
	char lower[32];
	size_t k = 0;

	if (!strncmp(name, "SCMP_ARCH_", 10))
		name += 10;
	for (; name[k] && k < sizeof(lower) - 1; k++)
		lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
	lower[k] = '\0';
	return seccomp_arch_resolve_name(lower);
}

/* The native architecture and the config's, as runtime-spec lists them.
 * The native one is always there: hako's init runs native code up to
 * execve, and runc and crun keep it too. */
static int plan_archs(const struct spec_seccomp *sc, struct plan *plan, struct hako_err *err)
{
	plan->archs[plan->n_archs++] = seccomp_arch_native();
	for (size_t i = 0; i < sc->architectures.n; i++) {
		uint32_t token = seccomp_arch_token(sc->architectures.v[i]);

		if (!token) {
			hako_warn("linux.seccomp.architectures[%zu]: \"%s\" is unknown to libseccomp "
				  "%u.%u.%u; skipped (its syscalls get the bad-architecture action, "
				  "SCMP_ACT_KILL_PROCESS)",
				  i, sc->architectures.v[i], libseccomp()->major, libseccomp()->minor,
				  libseccomp()->micro);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < plan->n_archs; j++)
			dup |= plan->archs[j] == token;
		if (dup)
			continue;
		if (plan->n_archs == MAX_ARCHS)
			return hako_fail_config(err, "linux.seccomp.architectures",
						"linux.seccomp.architectures: more than %d", MAX_ARCHS);
		plan->archs[plan->n_archs++] = token;
	}
	return 0;
}

/* Does the syscall exist on any architecture of the filter? */
static bool exists_in_filter(const struct plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->n_archs; i++)
		if (seccomp_syscall_resolve_name_arch(plan->archs[i], name) >= 0)
			return true;
	return false;
}

/* ---- expansion and precedence ----------------------------------------------------- */

static void plan_add(struct plan *p, const struct entry *e)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 512;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] = *e;
}

static void add_name(const char *name, void *arg)
{
	struct build *b = arg;

	if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
		if (b->via) {
			/* systemd's groups name syscalls of every architecture and
			 * kernel; skipping the ones libseccomp lacks is expected */
			hako_debug("seccomp: %s member \"%s\" unknown to libseccomp; skipped", b->via,
				   name);
			return;
		}
		enum seccomp_action d = b->sc->default_action;
		char def[64];
		action_text(d, b->sc->default_errno_ret, def, sizeof(def));
		hako_warn("%s: rule for unknown syscall \"%s\" ignored: libseccomp %u.%u.%u does not "
			  "know it, so the filter cannot match it and it %s %s; check the spelling, "
			  "or upgrade libseccomp",
			  b->rule_config, name, libseccomp()->major, libseccomp()->minor,
			  libseccomp()->micro,
			  action_denies(d) ? "will be denied: ENOSYS if the kernel numbers it above "
					     "every syscall the profile names, else the default action"
					   : "gets the default action",
			  def);
		return;
	}
	if (!exists_in_filter(b->plan, name))
		return; /* mmap2, socketcall ... on an x86-64-only filter */
	plan_add(b->plan, &(struct entry){ .name = name,
					   .via = b->via,
					   .rule = b->rule,
					   .weight = b->weight });
}

static void count_name(const char *name, void *arg)
{
	(void)name;
	(*(size_t *)arg)++;
}

static int collect(const struct spec_seccomp *sc, struct plan *plan, struct hako_err *err)
{
	char config[96];
	struct build b = { .sc = sc, .plan = plan, .rule_config = config };

	for (size_t i = 0; i < sc->n_syscalls; i++) {
		const struct strv *names = &sc->syscalls[i].names;
		for (size_t j = 0; j < names->n; j++) {
			const char *name = names->v[j];
			snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu].names[%zu]", i, j);
			b.rule = i;
			b.weight = 0;
			b.via = NULL;
			if (*name == '@') {
				if (seccomp_expand(name, count_name, &b.weight) < 0 || !b.weight) {
					int r = hako_fail_config(err, config,
								 "%s: unknown syscall group \"%s\"",
								 config, name);
					hako_err_hint(err, "'hako seccomp groups' lists the groups and "
							   "their syscalls");
					return r;
				}
				b.via = name;
			}
			seccomp_expand(name, add_name, &b);
		}
	}
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static void where(const struct entry *e, char *out, size_t size)
{
	if (e->via)
		snprintf(out, size, "linux.seccomp.syscalls[%zu] (through %s)", e->rule, e->via);
	else
		snprintf(out, size, "linux.seccomp.syscalls[%zu]", e->rule);
}

static bool same_action(const struct spec_seccomp_rule *a, const struct spec_seccomp_rule *b)
{
	return scmp_action(a->action, a->errno_ret) == scmp_action(b->action, b->errno_ret);
}

/* The entries v[0..n) are one syscall's lightest; keep what libseccomp
 * can express without dropping anything silently. */
static int settle(const struct spec_seccomp *sc, struct entry *v, size_t n, size_t *kept,
		  struct hako_err *err)
{
	const struct entry *uncond = NULL;
	char a[128], b[128];
	size_t out = 0;

	for (size_t i = 0; i < n; i++)
		if (sc->syscalls[v[i].rule].n_args == 0 && !uncond)
			uncond = &v[i];
	for (size_t i = 0; i < n; i++) {
		const struct spec_seccomp_rule *r = &sc->syscalls[v[i].rule];
		if (i > 0 && v[i].rule == v[i - 1].rule)
			continue; /* one rule naming it twice (a name and its group) */
		if (uncond && &v[i] != uncond) {
			if (same_action(r, &sc->syscalls[uncond->rule]))
				continue; /* redundant */
			where(uncond, a, sizeof(a));
			where(&v[i], b, sizeof(b));
			int rc = hako_fail_config(err, b,
						  "%s and %s give syscall \"%s\" different actions",
						  a, b, v[i].name);
			hako_err_hint(err, "%s", r->n_args
						      ? "an unconditional rule makes libseccomp drop "
							"every conditional rule of the same syscall; "
							"remove the syscall from one of them"
						      : "remove the syscall from one of them, or name it "
							"directly in the rule that should win: a syscall "
							"named directly beats the groups that hold it");
			return rc;
		}
		v[out++] = v[i];
	}
	*kept = out;
	return 0;
}

static int resolve(const struct spec_seccomp *sc, struct plan *plan, struct hako_err *err)
{
	size_t out = 0;

	if (plan->n)
		qsort(plan->v, plan->n, sizeof(*plan->v), entry_cmp);
	for (size_t i = 0; i < plan->n;) {
		size_t end = i, lightest = i, kept = 0;
		while (end < plan->n && !strcmp(plan->v[end].name, plan->v[i].name))
			end++;
		while (lightest < end && plan->v[lightest].weight == plan->v[i].weight)
			lightest++;
		int r = settle(sc, plan->v + i, lightest - i, &kept, err);
		if (r < 0)
			return r;
		memmove(plan->v + out, plan->v + i, kept * sizeof(*plan->v));
		out += kept;
		i = end;
	}
	plan->n = out;
	return 0;
}

static bool mentioned(const struct plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->n; i++)
		if (!strcmp(plan->v[i].name, name))
			return true;
	return false;
}

/* ---- libseccomp ---------------------------------------------------------------------- */

static enum scmp_compare scmp_op(enum seccomp_op op)
{
	switch (op) {
	case SCMP_OP_NE:
		return SCMP_CMP_NE;
	case SCMP_OP_LT:
		return SCMP_CMP_LT;
	case SCMP_OP_LE:
		return SCMP_CMP_LE;
	case SCMP_OP_EQ:
		return SCMP_CMP_EQ;
	case SCMP_OP_GE:
		return SCMP_CMP_GE;
	case SCMP_OP_GT:
		return SCMP_CMP_GT;
	case SCMP_OP_MASKED_EQ:
	default:
		return SCMP_CMP_MASKED_EQ;
	}
}

/* libseccomp cannot AND two comparisons of one argument (it returns
 * EINVAL); runc then adds one rule per comparison, which ORs them.  hako
 * does the same, so that profiles written for runc mean the same here. */
static bool args_repeat(const struct spec_seccomp_rule *r)
{
	unsigned seen = 0;

	for (size_t i = 0; i < r->n_args; i++) {
		if (seen & (1U << r->args[i].index))
			return true;
		seen |= 1U << r->args[i].index;
	}
	return false;
}

static struct scmp_arg_cmp arg_cmp(const struct spec_seccomp_arg *a)
{
	/* MASKED_EQ: (arg & value) == valueTwo, as runc and Docker's
	 * profiles use it */
	return (struct scmp_arg_cmp){ .arg = a->index,
				      .op = scmp_op(a->op),
				      .datum_a = a->value,
				      .datum_b = a->value_two };
}

static int add_rule(scmp_filter_ctx ctx, const struct entry *e, const struct spec_seccomp_rule *r,
		    bool report, struct hako_err *err)
{
	uint32_t act = reported(scmp_action(r->action, r->errno_ret), report);
	int nr = seccomp_syscall_resolve_name(e->name);
	struct scmp_arg_cmp cmp[6];
	int rc = 0;

	if (!args_repeat(r)) {
		for (size_t i = 0; i < r->n_args; i++)
			cmp[i] = arg_cmp(&r->args[i]);
		rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)r->n_args, cmp);
	} else {
		for (size_t i = 0; i < r->n_args && (rc == 0 || rc == -EACCES); i++) {
			cmp[0] = arg_cmp(&r->args[i]);
			rc = seccomp_rule_add_array(ctx, act, nr, 1, cmp);
		}
	}
	/* EACCES: the rule's action is the default action - nothing to add */
	if (rc < 0 && rc != -EACCES) {
		char config[64];
		snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu]", e->rule);
		rc = hako_fail(err, -rc, "seccomp_rule_add", NULL,
			       "libseccomp cannot add the rule for syscall \"%s\" (%s)", e->name,
			       seccomp_action_names[r->action]);
		hako_err_config(err, "%s", config);
		if (err->errnum == EINVAL)
			hako_err_hint(err, "the running kernel may not support %s (see "
					   "/proc/sys/kernel/seccomp/actions_avail)",
				      seccomp_action_names[r->action]);
		return rc;
	}
	return 0;
}

/* libseccomp's program for one architecture. */
static int build_ctx(const struct spec_seccomp *sc, const struct plan *plan, uint32_t arch,
		     bool report, scmp_filter_ctx *ret, struct hako_err *err)
{
	uint32_t def = reported(scmp_action(sc->default_action, sc->default_errno_ret), report);
	scmp_filter_ctx ctx = seccomp_init(def);
	int r = 0;

	if (!ctx) {
		r = hako_fail(err, EINVAL, "seccomp_init", NULL,
			      "libseccomp refused the default action %s",
			      seccomp_action_names[sc->default_action]);
		hako_err_config(err, "linux.seccomp.defaultAction");
		hako_err_hint(err, "the running kernel may not support it (see "
				   "/proc/sys/kernel/seccomp/actions_avail)");
		return r;
	}
	/* A syscall of an architecture the filter does not list would
	 * bypass every rule; kill the whole process, not one thread. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* a binary tree instead of a linear scan over hundreds of syscalls */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (arch != seccomp_arch_native()) {
		r = seccomp_arch_add(ctx, arch);
		if (r == 0)
			r = seccomp_arch_remove(ctx, seccomp_arch_native());
		if (r < 0)
			r = hako_fail(err, -r, "seccomp_arch_add", NULL,
				      "libseccomp cannot build a filter for architecture 0x%x", arch);
	}
	/* Rules take native numbers (pseudo-numbers for names the native
	 * architecture lacks); libseccomp translates them by name. */
	for (size_t i = 0; i < plan->n && r == 0; i++)
		if (seccomp_syscall_resolve_name_arch(arch, plan->v[i].name) >= 0)
			r = add_rule(ctx, &plan->v[i], &sc->syscalls[plan->v[i].rule], report, err);
	for (size_t i = 0; i < ARRAY_SIZE(fallback_enosys) && r == 0; i++) {
		const char *name = fallback_enosys[i];
		if (!action_denies(sc->default_action) || mentioned(plan, name) ||
		    seccomp_syscall_resolve_name_arch(arch, name) < 0)
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), seccomp_syscall_resolve_name(name),
				     0);
		if (r == -EACCES)
			r = 0;
		else if (r < 0)
			r = hako_fail(err, -r, "seccomp_rule_add", NULL,
				      "libseccomp cannot add the ENOSYS rule for \"%s\"", name);
	}
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}
	*ret = ctx;
	return 0;
}

/* libseccomp 2.5 can only export to an fd; a memfd keeps it in memory. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **ret, size_t *ret_len,
		      struct hako_err *err)
{
	_cleanup_close_ int fd = memfd_create("hako-seccomp", MFD_CLOEXEC);
	struct sock_filter *insns;
	struct stat st;
	int r;

	if (fd < 0)
		return hako_fail(err, errno, "memfd_create", NULL,
				 "cannot create a memfd for the seccomp program");
	if ((r = seccomp_export_bpf(ctx, fd)) < 0)
		return hako_fail(err, -r, "seccomp_export_bpf", NULL,
				 "libseccomp cannot generate the seccomp program");
	if (fstat(fd, &st) < 0)
		return hako_fail(err, errno, "fstat", NULL, "cannot size the seccomp program");
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter))
		return hako_fail(err, EPROTO, "seccomp_export_bpf", NULL,
				 "libseccomp exported %lld bytes, not a BPF program",
				 (long long)st.st_size);
	insns = xmalloc((size_t)st.st_size);
	if (pread(fd, insns, (size_t)st.st_size, 0) != st.st_size) {
		free(insns);
		return hako_fail(err, errno ? errno : EIO, "read", NULL,
				 "cannot read the seccomp program back");
	}
	*ret = insns;
	*ret_len = (size_t)st.st_size / sizeof(struct sock_filter);
	return 0;
}

/* The highest number the profile names on one architecture. */
static bool arch_max(const struct plan *plan, uint32_t token, uint32_t *max)
{
	bool any = false;

	*max = 0;
	for (size_t k = 0; k < plan->n; k++) {
		int nr = seccomp_syscall_resolve_name_arch(token, plan->v[k].name);
		if (nr >= 0 && (!any || (uint32_t)nr > *max))
			*max = (uint32_t)nr;
		any |= nr >= 0;
	}
	return any;
}

/* One libseccomp program per architecture, joined by hako's front end
 * (seccomp_bpf_link: libseccomp's own multi-architecture programs take
 * ten times as long to generate). */
static int generate(const struct spec_seccomp *sc, const struct plan *plan, bool report,
		    struct sock_filter **ret, size_t *ret_len, struct hako_err *err)
{
	struct seccomp_bpf_part parts[MAX_ARCHS] = { 0 };
	struct sock_filter *progs[MAX_ARCHS] = { 0 };
	int r = 0;

	for (size_t i = 0; i < plan->n_archs && r == 0; i++) {
		uint32_t token = plan->archs[i];
		scmp_filter_ctx ctx = NULL;
		size_t len = 0;

		if ((r = build_ctx(sc, plan, token, report, &ctx, err)) < 0)
			break;
		r = export_bpf(ctx, &progs[i], &len, err);
		seccomp_release(ctx);
		parts[i] = (struct seccomp_bpf_part){
			.audit_arch = token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token,
			.x32 = token == SCMP_ARCH_X32,
			.prog = progs[i],
			.len = len,
		};
		/* "newer than the profile" only where the default denies */
		parts[i].has_max = action_denies(sc->default_action) &&
				   arch_max(plan, token, &parts[i].max);
	}
	if (r == 0 && seccomp_bpf_link(parts, plan->n_archs, ret, ret_len) < 0)
		r = hako_fail_config(err, "linux.seccomp",
				     "linux.seccomp: the filter is longer than the kernel's limit "
				     "of %d instructions",
				     BPF_MAXINSNS);
	for (size_t i = 0; i < plan->n_archs; i++)
		free(progs[i]);
	return r;
}

/* ---- checks --------------------------------------------------------------------------- */

static int report_wanted(const struct spec *s, const struct seccomp_opts *o, bool *ret,
			 struct hako_err *err)
{
	const char *v = strmap_get(&s->annotations, SECCOMP_REPORT_ANNOTATION);

	*ret = o && o->report;
	if (!v || !strcmp(v, "false"))
		return 0;
	if (!strcmp(v, "true")) {
		*ret = true;
		return 0;
	}
	return hako_fail_config(err, "annotations." SECCOMP_REPORT_ANNOTATION,
				"annotations[\"" SECCOMP_REPORT_ANNOTATION "\"]: expected \"true\" "
				"or \"false\", got \"%s\"",
				v);
}

static int check_values(const struct spec_seccomp *sc, struct hako_err *err)
{
	if (sc->default_errno_ret.set && sc->default_errno_ret.v > MAX_ERRNO_RET)
		return hako_fail_config(err, "linux.seccomp.defaultErrnoRet",
					"linux.seccomp.defaultErrnoRet: %u is above %d, the largest "
					"errno the kernel returns",
					sc->default_errno_ret.v, MAX_ERRNO_RET);
	for (size_t i = 0; i < sc->n_syscalls; i++) {
		const struct spec_seccomp_rule *r = &sc->syscalls[i];
		char config[64];
		snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu].errnoRet", i);
		if (r->errno_ret.set && r->errno_ret.v > MAX_ERRNO_RET)
			return hako_fail_config(err, config,
						"%s: %u is above %d, the largest errno the kernel "
						"returns",
						config, r->errno_ret.v, MAX_ERRNO_RET);
		for (size_t a = 0; a < r->n_args; a++)
			if (r->args[a].index > 5) {
				snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu].args[%zu]",
					 i, a);
				return hako_fail_config(err, config,
							"%s: index %u is above 5 (syscalls have six "
							"arguments)",
							config, r->args[a].index);
			}
		if (args_repeat(r))
			hako_warn("linux.seccomp.syscalls[%zu].args: two comparisons of one argument; "
				  "libseccomp cannot AND them, so hako adds one rule per comparison "
				  "(any one matching is enough), as runc does",
				  i);
	}
	return 0;
}

static int parse_flags(const struct spec_seccomp *sc, bool notify, unsigned *ret,
		       struct hako_err *err)
{
	char config[64];

	*ret = 0;
	for (size_t i = 0; i < sc->flags.n; i++) {
		int v = seccomp_flag_value(sc->flags.v[i]);
		snprintf(config, sizeof(config), "linux.seccomp.flags[%zu]", i);
		if (v < 0) {
			int r = hako_fail_config(err, config, "%s: unknown flag \"%s\"", config,
						 sc->flags.v[i]);
			hako_err_hint(err, "runtime-spec defines SECCOMP_FILTER_FLAG_TSYNC, "
					   "SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW and "
					   "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
			return r;
		}
		if (v == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !notify) {
			hako_warn("%s: %s only applies to a filter with a listener "
				  "(SCMP_ACT_NOTIFY); ignored",
				  config, sc->flags.v[i]);
			continue;
		}
		if (!seccomp_flag_supported_value((unsigned)v)) {
			int r = hako_fail(err, EINVAL, "seccomp", NULL,
					  "%s: the running kernel does not support %s", config,
					  sc->flags.v[i]);
			hako_err_config(err, "%s", config);
			hako_err_hint(err, "remove the flag, or run a newer kernel ('hako features' "
					   "lists the supported flags)");
			return r;
		}
		*ret |= (unsigned)v;
	}
	return 0;
}

static bool uses_notify(const struct spec_seccomp *sc)
{
	bool notify = sc->default_action == SCMP_ACTION_NOTIFY;

	for (size_t i = 0; i < sc->n_syscalls; i++)
		notify |= sc->syscalls[i].action == SCMP_ACTION_NOTIFY;
	return notify;
}

static int check_report(const struct spec_seccomp *sc, struct hako_err *err)
{
	uint32_t notif = SECCOMP_RET_USER_NOTIF;

	if (sc->listener_path) {
		int r = hako_fail_config(err, "annotations." SECCOMP_REPORT_ANNOTATION,
					 "seccomp report mode cannot be combined with "
					 "linux.seccomp.listenerPath: a filter has one listener, and "
					 "this one belongs to the agent at '%s'",
					 sc->listener_path);
		hako_err_hint(err, "drop the annotation or --seccomp-report, or let the agent "
				   "report denials");
		return r;
	}
	if (syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &notif) < 0)
		return hako_fail(err, errno, "seccomp(SECCOMP_GET_ACTION_AVAIL)", NULL,
				 "seccomp report mode needs user notification "
				 "(SECCOMP_RET_USER_NOTIF, Linux 5.0), which this kernel lacks");
	return 0;
}

static int action_of(const struct sock_filter *f, size_t len, const char *name, uint32_t *ret)
{
	int nr = seccomp_syscall_resolve_name(name);
	struct seccomp_data d = { .arch = seccomp_arch_native() };

	if (nr < 0)
		return -ENOENT;
	d.nr = nr;
	*ret = seccomp_bpf_run(f, len, &d);
	return 0;
}

/* The calls the init makes after loading the filter, and whether the
 * profile lets them through.  A listener may answer them, except sendmsg,
 * which hands it the fd it would answer with. */
static int check_after_load(const struct spec *s, const struct seccomp_prog *p,
			    struct hako_err *err)
{
	bool borrowed = !s->process.no_new_privileges &&
			!(s->process.capabilities.set[CAPSET_PERMITTED] & (1ULL << CAP_SYS_ADMIN));
	const struct {
		const char *name;
		bool needed, notify_ok;
		const char *why, *hint;
	} calls[] = {
		{ "sendmsg", p->notify, false,
		  "the init hands the filter's listener on with sendmsg right after loading it",
		  "allow sendmsg" },
		{ "capset", borrowed, true,
		  "with noNewPrivileges false the init loads the filter with a borrowed "
		  "CAP_SYS_ADMIN and drops it with capset afterwards",
		  "allow capset, or set process.noNewPrivileges to true" },
		{ "execve", true, true, "the init execs the container's program after loading it",
		  "allow execve (it is in @default)" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		uint32_t ret, action;
		if (!calls[i].needed || action_of(p->insns, p->len, calls[i].name, &ret) < 0)
			continue;
		if (p->profile)
			action_of(p->profile, p->profile_len, calls[i].name, &ret);
		action = ret & SECCOMP_RET_ACTION_FULL;
		if (action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG ||
		    action == SECCOMP_RET_TRACE ||
		    (action == SECCOMP_RET_USER_NOTIF && calls[i].notify_ok))
			continue;
		int r = hako_fail_config(err, "linux.seccomp",
					 "linux.seccomp %s %s, but %s",
					 action == SECCOMP_RET_ERRNO	   ? "denies"
					 : action == SECCOMP_RET_USER_NOTIF ? "sends to the listener"
									    : "kills or traps",
					 calls[i].name, calls[i].why);
		hako_err_hint(err, "%s", calls[i].hint);
		return r;
	}
	return 0;
}

/* ---- the whole ------------------------------------------------------------------------- */

/* What the program carries besides its instructions: cheap, taken from the
 * config on every create, cached or not. */
static void describe(const struct spec *s, bool report, struct seccomp_prog *p)
{
	const struct spec_seccomp *sc = &s->lnx.seccomp;

	p->report = report;
	p->notify = report || uses_notify(sc);
	p->listener_path = sc->listener_path ? xstrdup(sc->listener_path) : NULL;
	p->listener_metadata = sc->listener_metadata ? xstrdup(sc->listener_metadata) : NULL;
	p->caps = s->process.capabilities.present ? s->process.capabilities.set[CAPSET_BOUNDING]
						  : 0;
}

static int compile(const struct spec *s, bool report, struct seccomp_prog *p, struct plan *plan,
		   struct hako_err *err)
{
	const struct spec_seccomp *sc = &s->lnx.seccomp;
	int r;

	describe(s, report, p);
	if ((r = check_values(sc, err)) < 0 || (r = parse_flags(sc, p->notify, &p->flags, err)) < 0 ||
	    (report && (r = check_report(sc, err)) < 0) || (r = plan_archs(sc, plan, err)) < 0 ||
	    (r = collect(sc, plan, err)) < 0 || (r = resolve(sc, plan, err)) < 0)
		return r;
	if ((r = generate(sc, plan, report, &p->insns, &p->len, err)) < 0)
		return r;
	if (report && (r = generate(sc, plan, false, &p->profile, &p->profile_len, err)) < 0)
		return r;
	return check_after_load(s, p, err);
}

int seccomp_prog_compile_opts(const struct spec *s, const struct seccomp_opts *o,
			      struct seccomp_prog **ret, struct hako_err *err)
{
	_cleanup_buf_ struct buf key = { 0 };
	struct plan plan = { 0 };
	struct seccomp_prog *p;
	bool report, cache = false;
	unsigned warnings;
	int r;

	*ret = NULL;
	if ((r = report_wanted(s, o, &report, err)) < 0)
		return r;
	if (!s->lnx.seccomp.present) {
		if (report)
			hako_warn("seccomp report mode is on, but the config has no linux.seccomp: "
				  "nothing is filtered, so nothing will be reported");
		return 0;
	}
	p = xcalloc(1, sizeof(*p));
	p->channel = -1;
	if (o && o->cache_dir && seccomp_cache_key(s, report, &key) == 0) {
		if (seccomp_cache_load(o->cache_dir, &key, p)) {
			describe(s, report, p);
			*ret = p;
			return 0;
		}
		cache = true;
	}
	warnings = log_warning_count();
	r = compile(s, report, p, &plan, err);
	free(plan.v);
	if (r < 0) {
		seccomp_prog_free(p);
		return r;
	}
	if (cache && log_warning_count() == warnings)
		seccomp_cache_store(o->cache_dir, &key, p);
	*ret = p;
	return 0;
}

int seccomp_prog_compile(const struct spec *s, struct seccomp_prog **ret, struct hako_err *err)
{
	return seccomp_prog_compile_opts(s, NULL, ret, err);
}

int seccomp_prog_action(const struct seccomp_prog *p, const char *syscall, uint32_t *ret)
{
	if (p->profile)
		return action_of(p->profile, p->profile_len, syscall, ret);
	return action_of(p->insns, p->len, syscall, ret);
}

bool seccomp_syscall_known(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

bool seccomp_syscall_on_archs(const char *name, const char *const *archs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t token = seccomp_arch_token(archs[i]);
		if (token && seccomp_syscall_resolve_name_arch(token, name) >= 0)
			return true;
	}
	return false;
}

char *seccomp_syscall_name(uint32_t audit_arch, int nr)
{
	uint32_t token = audit_arch;

	if (audit_arch == AUDIT_ARCH_X86_64 && ((uint32_t)nr & HAKO_X32_SYSCALL_BIT))
		token = SCMP_ARCH_X32;
	return seccomp_syscall_resolve_num_arch(token, nr);
}
