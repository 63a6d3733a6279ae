/* check_seccomp.c - the seccomp profile against the capabilities: a
 * granted capability whose syscalls the profile denies, syscalls allowed
 * for a capability the process will not hold, and denials that look like
 * something else (seed 1: mlockall's EPERM read as an rlimit problem). */
#include "runtime/check.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "linux/seccomp.h"
#include "linux/seccomp_groups.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"

enum verdict { ALLOWED, DENIED, DEPENDS, UNKNOWN };

struct decision {
	enum verdict verdict;
	uint32_t action; /* SECCOMP_RET_* */
	int errno_ret;   /* for SECCOMP_RET_ERRNO */
};

/* What the compiled filter answers for `syscall` with all arguments 0
 * (seccomp_prog_action: the compiler's own semantics for groups and
 * overlapping rules, not a second reading of the JSON). */
static struct decision decide(const struct check_ctx *c, const char *syscall)
{
	struct decision d = { ALLOWED, SECCOMP_RET_ALLOW, 0 };
	uint32_t ret;

	if (!c->seccomp)
		return d;
	if (seccomp_prog_action(c->seccomp, syscall, &ret) < 0)
		return (struct decision){ UNKNOWN, 0, 0 };
	d.action = ret & SECCOMP_RET_ACTION_FULL;
	switch (d.action) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		d.verdict = ALLOWED;
		break;
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_TRACE:
		d.verdict = DEPENDS; /* another program decides */
		break;
	default:
		d.verdict = DENIED;
		d.errno_ret = d.action == SECCOMP_RET_ERRNO ? (int)(ret & SECCOMP_RET_DATA) : 0;
	}
	return d;
}

/* The syscalls of a capability's list (names and @groups) with verdict v,
 * as "a, b, c (@group)". */
struct collect {
	const struct check_ctx *ctx;
	enum verdict want;
	const char *const *skip;
	struct buf out;
	size_t n;
};

static bool in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

static void collect_one(const char *syscall, void *arg)
{
	struct collect *c = arg;

	if (in_list(c->skip, syscall) || decide(c->ctx, syscall).verdict != c->want)
		return;
	buf_printf(&c->out, "%s%s", c->n++ ? ", " : "", syscall);
}

static void collect(struct collect *c, const char *const *names)
{
	for (; names && *names; names++) {
		size_t before = c->n;
		seccomp_expand(*names, collect_one, c);
		if ((*names)[0] == '@' && c->n > before)
			buf_printf(&c->out, " (%s)", *names);
	}
}

/* A capability the process holds is useless for the syscalls the filter
 * answers before the kernel looks at it. */
static void granted_but_denied(struct check_ctx *c, uint64_t held)
{
	for (int cap = 0; cap <= HAKO_CAP_LAST; cap++) {
		const char *const *list = seccomp_cap_syscalls(cap);
		struct collect col = { .ctx = c, .want = DENIED };
		char what[1200], fix[600];

		if (!(held & (1ULL << cap)) || !list)
			continue;
		collect(&col, list);
		if (col.n) {
			snprintf(what, sizeof(what),
				 "%s is granted, but the seccomp profile denies %s: the process "
				 "cannot use the capability for them",
				 cap_name(cap), col.out.p);
			snprintf(fix, sizeof(fix),
				 "allow them in linux.seccomp.syscalls ('hako spec --seccomp-allow "
				 "%s'), or drop %s",
				 list[0], cap_name(cap));
			check_add(c, SEVERITY_WARNING, "seccomp", "linux.seccomp", what,
				  "the filter answers the syscall before the kernel checks the "
				  "capability",
				  fix);
		}
		buf_release(&col.out);
	}
}

/* Syscalls with uses that need no capability: allowing them without the
 * capability is normal (clone without namespace flags, ptrace of one's
 * own children, reading the clock, unprivileged BPF...). */
static const char *const unprivileged_uses[] = {
	"clone",	  "clone3",	 "unshare",	   "setns",	    "ptrace",
	"process_vm_readv", "process_vm_writev", "kcmp",   "pidfd_getfd", "process_madvise",
	"bpf",		  "perf_event_open", "syslog",	   "mbind",	    "migrate_pages",
	"move_pages",	  "set_mempolicy", "set_mempolicy_home_node", "adjtimex",
	"clock_adjtime",  "clock_adjtime64", "fanotify_init", "fanotify_mark", NULL,
};

static void allowed_without_cap(struct check_ctx *c, uint64_t held)
{
	for (int cap = 0; cap <= HAKO_CAP_LAST; cap++) {
		const char *const *list = seccomp_cap_syscalls(cap);
		struct collect col = { .ctx = c, .want = ALLOWED, .skip = unprivileged_uses };
		char what[1200], fix[300];

		/* @memlock without CAP_IPC_LOCK works up to RLIMIT_MEMLOCK: the
		 * memlock check says how far. */
		if ((held & (1ULL << cap)) || !list || cap == CAP_IPC_LOCK)
			continue;
		collect(&col, list);
		if (col.n) {
			snprintf(what, sizeof(what),
				 "the seccomp profile allows %s, but the process will not hold %s, "
				 "so the kernel refuses them with EPERM",
				 col.out.p, cap_name(cap));
			snprintf(fix, sizeof(fix), "grant %s if the program needs them",
				 cap_name(cap));
			check_add(c, SEVERITY_NOTE, "seccomp", "linux.seccomp", what, NULL, fix);
		}
		buf_release(&col.out);
	}
}

/* Denials whose EPERM sends people looking elsewhere. */
static const struct {
	const char *group;
	int cap;
	const char *who;
} surprising[] = {
	{ "@memlock", CAP_IPC_LOCK,
	  "programs that lock memory (Elasticsearch's bootstrap.memory_lock, databases, .NET) "
	  "get EPERM, which mlock(2) documents as a privilege or RLIMIT_MEMLOCK problem, so "
	  "nobody looks at seccomp" },
};

static void surprising_denials(struct check_ctx *c, uint64_t held)
{
	for (size_t i = 0; i < ARRAY_SIZE(surprising); i++) {
		const char *const names[] = { surprising[i].group, NULL };
		struct collect col = { .ctx = c, .want = DENIED };
		char what[900], fix[600];

		if (held & (1ULL << surprising[i].cap))
			continue; /* granted_but_denied() said it */
		collect(&col, names);
		if (col.n) {
			snprintf(what, sizeof(what), "the seccomp profile denies %s", col.out.p);
			snprintf(fix, sizeof(fix),
				 "allow %s in linux.seccomp.syscalls ('hako spec --seccomp-allow %s'; "
				 "locking then works within RLIMIT_MEMLOCK), or grant %s and allow %s",
				 surprising[i].group, surprising[i].group,
				 cap_name(surprising[i].cap), surprising[i].group);
			check_add(c, SEVERITY_WARNING, "seccomp", "linux.seccomp", what,
				  surprising[i].who, fix);
		}
		buf_release(&col.out);
	}
}

/* glibc 2.34+ calls clone3 first and falls back to clone only on ENOSYS
 * (moby/moby#42680): EPERM breaks thread creation. */
static void clone3_errno(struct check_ctx *c)
{
	struct decision d = decide(c, "clone3");

	if (d.verdict == DENIED && d.action == SECCOMP_RET_ERRNO && d.errno_ret != ENOSYS)
		check_add(c, SEVERITY_WARNING, "seccomp", "linux.seccomp",
			  "the seccomp profile answers clone3 with an errno other than ENOSYS: "
			  "programs built with glibc 2.34 or later cannot create threads",
			  "glibc tries clone3 first and falls back to clone only when the kernel "
			  "seems not to have it (ENOSYS)",
			  "answer clone3 with ENOSYS: a rule {\"names\": [\"clone3\"], \"action\": "
			  "\"SCMP_ACT_ERRNO\", \"errnoRet\": 38}");
}

void check_seccomp(struct check_ctx *c)
{
	uint64_t held;

	/* A profile that did not compile is the config check's error. */
	if (!c->spec->lnx.seccomp.present || !c->seccomp || !c->spec->process.present)
		return;
	held = check_exec_caps(c).effective;
	granted_but_denied(c, held);
	surprising_denials(c, held);
	clone3_errno(c);
	if (!c->at_create)
		allowed_without_cap(c, held);
}
