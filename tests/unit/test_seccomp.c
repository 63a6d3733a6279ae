/* test_seccomp.c - syscall groups and the capability table, the BPF
 * interpreter and ENOSYS stub, the compiler's precedence, args, ENOSYS and
 * report mode (run in user space on the compiled program), and the
 * profile `hako spec` writes. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <sys/resource.h>

#include "linux/seccomp.h"
#include "linux/seccomp_bpf.h"
#include "linux/seccomp_groups.h"
#include "linux/seccomp_prog.h"
#include "spec/default.h"
#include "spec/names.h"
#include "util/cleanup.h"
#include "fixture.h"
#include "tap.h"

#define ACT(r) ((r) & SECCOMP_RET_ACTION_FULL)
#define ERRNO_OF(r) ((int)((r) & SECCOMP_RET_DATA))

/* ---- groups -------------------------------------------------------------------- */

struct names {
	const char *v[1024];
	size_t n;
	bool dup;
};

static void collect(const char *name, void *arg)
{
	struct names *s = arg;

	for (size_t i = 0; i < s->n; i++)
		s->dup |= !strcmp(s->v[i], name);
	if (s->n < 1024)
		s->v[s->n++] = name;
}

static bool has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	return false;
}

TEST(groups_table)
{
	size_t n;
	const struct syscall_group *g = seccomp_groups(&n);
	bool nested_known = true, all_help = true;

	is_int(n, 29, "systemd v260's groups but @known");
	is_str(g[0].name, "@default", "@default first, as systemd-analyze prints it");
	for (size_t i = 0; i < n; i++) {
		all_help &= g[i].help && *g[i].help;
		for (const char *const *m = g[i].members; *m; m++)
			if (**m == '@')
				nested_known &= seccomp_group_find(*m) != NULL;
	}
	ok(nested_known, "every nested group exists");
	ok(all_help, "every group has a one-line help");
	ok(seccomp_group_find("@memlock") != NULL, "@memlock found");
	ok(seccomp_group_find("@known") == NULL, "@known left out");
	ok(seccomp_group_find("memlock") == NULL, "a name without @ is no group");
}

TEST(groups_expand)
{
	struct names s = { 0 };

	is_int(seccomp_expand("@system-service", collect, &s), 0, "@system-service expands");
	ok(!s.dup, "each name once, though close is in @basic-io and @file-system");
	ok(has(&s, "mlockall") && has(&s, "read") && has(&s, "seccomp"),
	   "nested groups expanded (@memlock, @basic-io, @sandbox in @default)");
	ok(!has(&s, "@default") && !has(&s, "@sandbox"), "no @names in the result");
	ok(s.n > 350, "@system-service is big");

	memset(&s, 0, sizeof(s));
	seccomp_expand("@memlock", collect, &s);
	is_int(s.n, 5, "@memlock has five syscalls");
	memset(&s, 0, sizeof(s));
	is_int(seccomp_expand("ptrace", collect, &s), 0, "a plain name");
	ok(s.n == 1 && !strcmp(s.v[0], "ptrace"), "... is itself");
	is_int(seccomp_expand("@nope", collect, &s), -ENOENT, "an unknown group is ENOENT");
}

TEST(group_of)
{
	is_str(seccomp_group_of("mlockall"), "@memlock", "mlockall -> @memlock");
	is_str(seccomp_group_of("close"), "@basic-io", "the smaller of two groups");
	is_str(seccomp_group_of("seccomp"), "@sandbox", "a nested group beats its parent");
	is_str(seccomp_group_of("settimeofday"), "@clock", "settimeofday -> @clock");
	is_str(seccomp_group_of("capset"), NULL, "only in collections: no group to suggest");
	is_str(seccomp_group_of("nosuchcall"), NULL, "unknown: NULL");
}

TEST(cap_table)
{
	const char *const *l = seccomp_cap_syscalls(CAP_SYS_PTRACE);
	struct names s = { 0 };

	for (; l && *l; l++)
		collect(*l, &s);
	ok(has(&s, "ptrace") && has(&s, "process_vm_readv") && has(&s, "process_vm_writev"),
	   "CAP_SYS_PTRACE brings ptrace, process_vm_readv, process_vm_writev");
	is_str(seccomp_cap_syscalls(CAP_IPC_LOCK)[0], "@memlock", "CAP_IPC_LOCK brings @memlock");
	is_str(seccomp_cap_syscalls(CAP_SYS_TIME)[0], "@clock", "CAP_SYS_TIME brings @clock");
	is_str(seccomp_cap_syscalls(CAP_SYS_MODULE)[0], "@module", "CAP_SYS_MODULE: @module");
	is_str(seccomp_cap_syscalls(CAP_SYS_RAWIO)[0], "@raw-io", "CAP_SYS_RAWIO: @raw-io");
	is_str(seccomp_cap_syscalls(CAP_SYS_BOOT)[0], "reboot", "CAP_SYS_BOOT: reboot");
	is_str(seccomp_cap_syscalls(CAP_SYSLOG)[0], "syslog", "CAP_SYSLOG: syslog");
	is_str(seccomp_cap_syscalls(CAP_SYS_ADMIN)[0], "@mount", "CAP_SYS_ADMIN: @mount first");
	ok(seccomp_cap_syscalls(CAP_KILL) == NULL, "CAP_KILL gates no syscall");
	is_int(seccomp_cap_for_syscall("mlockall"), CAP_IPC_LOCK, "mlockall <- CAP_IPC_LOCK");
	is_int(seccomp_cap_for_syscall("settimeofday"), CAP_SYS_TIME, "through @clock");
	is_int(seccomp_cap_for_syscall("chroot"), CAP_SYS_CHROOT,
	       "chroot: a direct entry beats CAP_SYS_ADMIN's @mount");
	is_int(seccomp_cap_for_syscall("mount"), CAP_SYS_ADMIN, "mount <- CAP_SYS_ADMIN");
	is_int(seccomp_cap_for_syscall("read"), -1, "read needs no capability");
}

/* ---- BPF ---------------------------------------------------------------------- */

TEST(bpf_interpreter)
{
	const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x10, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter bad[] = {
		BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct seccomp_data d = { .nr = 7 };

	is_int(seccomp_bpf_run(prog, 8, &d), SECCOMP_RET_ERRNO | 5, "jeq taken");
	d.nr = 8;
	d.args[1] = 0x23;
	is_int(seccomp_bpf_run(prog, 8, &d), SECCOMP_RET_TRAP, "and, jgt taken");
	d.args[1] = 0x13;
	is_int(seccomp_bpf_run(prog, 8, &d), SECCOMP_RET_ALLOW, "jgt not taken");
	is_int(seccomp_bpf_run(bad, 2, &d), SECCOMP_RET_KILL_PROCESS,
	       "a jump out of the program is refused");
}

TEST(bpf_link)
{
	const struct sock_filter x86_64[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter x32[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP) };
	const struct sock_filter i386[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG) };
	struct seccomp_bpf_part parts[] = {
		{ AUDIT_ARCH_X86_64, false, true, 100, x86_64, 1 },
		{ AUDIT_ARCH_I386, false, true, 50, i386, 1 },
		{ AUDIT_ARCH_X86_64, true, false, 0, x32, 1 },
	};
	struct sock_filter *out = NULL;
	size_t len = 0;
	struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64, .nr = 100 };

	is_int(seccomp_bpf_link(parts, 3, &out, &len), 0, "three parts linked");
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_ALLOW, "x86-64 up to its maximum: its part");
	d.nr = 101;
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_ERRNO | ENOSYS, "above it: ENOSYS");
	d.nr = (int)(HAKO_X32_SYSCALL_BIT | 1000);
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_TRAP,
	       "x32 numbers go to the x32 part (no maximum there)");
	d.arch = AUDIT_ARCH_I386;
	d.nr = 50;
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_LOG, "i386: its part");
	d.nr = 51;
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_ERRNO | ENOSYS, "i386 maximum");
	d.arch = AUDIT_ARCH_AARCH64;
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_KILL_PROCESS,
	       "an architecture without a part is killed");
	free(out);

	is_int(seccomp_bpf_link(parts, 1, &out, &len), 0, "x86-64 alone");
	d = (struct seccomp_data){ .arch = AUDIT_ARCH_X86_64, .nr = (int)HAKO_X32_SYSCALL_BIT };
	is_int(seccomp_bpf_run(out, len, &d), SECCOMP_RET_KILL_PROCESS,
	       "x32 numbers without an x32 part are killed, not let through");
	free(out);
}

/* ---- the compiler ---------------------------------------------------------------------- */

static struct spec *spec_of(const char *seccomp, const char *extra)
{
	struct hako_err err;
	char json[8192];
	struct spec *s;

	snprintf(json, sizeof(json),
		 "{'ociVersion': '1.3.0', 'root': {'path': 'rootfs'}, 'process': {'args': ['sh'], "
		 "'cwd': '/', 'noNewPrivileges': true}, %s 'linux': {'seccomp': %s}}",
		 extra ? extra : "", seccomp);
	s = fx_load(json, &err);
	if (!s)
		printf("# load: %s\n", err.msg);
	return s;
}

/* Compile and return 0, or the error (text in err). */
static int compile(const char *seccomp, const char *extra, struct seccomp_prog **p,
		   struct hako_err *err)
{
	struct spec *s = spec_of(seccomp, extra);
	int r;

	memset(err, 0, sizeof(*err));
	*p = NULL;
	if (!s)
		return -100;
	r = seccomp_prog_compile(s, p, err);
	spec_free(s);
	return r;
}

static uint32_t act(const struct seccomp_prog *p, const char *name)
{
	uint32_t r = 0;

	if (seccomp_prog_action(p, name, &r) < 0)
		return 0xdeadbeef;
	return r;
}

/* The loaded program on a native call with these arguments. */
static uint32_t run(const struct seccomp_prog *p, int nr, uint64_t a0)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64, .args = { a0 } };

	return seccomp_bpf_run(p->insns, p->len, &d);
}

#define DENY_DEFAULT "'defaultAction': 'SCMP_ACT_ERRNO', "

TEST(compile_groups)
{
	struct seccomp_prog *p;
	struct hako_err err;
	char *w;

	free(fx_warnings());
	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default', '@memlock', "
		       "'nosuchcall'], 'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       0, "groups compile");
	is_int(act(p, "mlockall"), SECCOMP_RET_ALLOW, "@memlock allows mlockall");
	is_int(act(p, "execve"), SECCOMP_RET_ALLOW, "@default allows execve");
	is_int(act(p, "reboot"), SECCOMP_RET_ERRNO | EPERM, "reboot is denied: EPERM");
	w = fx_warnings();
	like(w, "linux.seccomp.syscalls[0].names[2]: rule for unknown syscall \"nosuchcall\" ignored",
	     "an unknown name is skipped with a warning");
	like(w, "will be denied", "... that says it will be denied");
	free(w);
	seccomp_prog_free(p);

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default', '@nope'], "
		       "'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       -EINVAL, "an unknown group is an error");
	is_str(err.config, "linux.seccomp.syscalls[0].names[1]", "... pointing at the name");
	like(err.hint, "hako seccomp groups", "... and at the list");
}

TEST(compile_precedence)
{
	struct seccomp_prog *p;
	struct hako_err err;

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@system-service'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['mlockall'], 'action': 'SCMP_ACT_ERRNO', "
		       "'errnoRet': 33}]}",
		       NULL, &p, &err),
	       0, "a group and a name");
	is_int(act(p, "mlockall"), SECCOMP_RET_ERRNO | 33, "the name written out wins");
	is_int(act(p, "mlock"), SECCOMP_RET_ALLOW, "the rest of the group stays");
	seccomp_prog_free(p);

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@memlock'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['@system-service'], 'action': 'SCMP_ACT_ERRNO', "
		       "'errnoRet': 33}, {'names': ['@default'], 'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       0, "two groups");
	is_int(act(p, "mlockall"), SECCOMP_RET_ALLOW, "the smaller group wins");
	is_int(act(p, "read"), SECCOMP_RET_ERRNO | 33, "the larger one holds the rest");
	seccomp_prog_free(p);

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default', 'read'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['read'], 'action': 'SCMP_ACT_ERRNO'}]}",
		       NULL, &p, &err),
	       -EINVAL, "one name, two actions");
	like(err.msg, "give syscall \"read\" different actions", "... is an error, not a silent pick");

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default', 'close'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['close'], 'action': 'SCMP_ACT_ERRNO', 'args': "
		       "[{'index': 0, 'value': 7, 'op': 'SCMP_CMP_EQ'}]}]}",
		       NULL, &p, &err),
	       -EINVAL, "an unconditional rule and a conditional one");
	like(err.hint, "drop every conditional rule", "... libseccomp would drop one silently");
}

TEST(compile_args)
{
	static const struct {
		const char *op;
		uint64_t value, two, arg;
		bool match;
	} cases[] = {
		{ "SCMP_CMP_EQ", 5, 0, 5, true },	   { "SCMP_CMP_EQ", 5, 0, 6, false },
		{ "SCMP_CMP_NE", 5, 0, 6, true },	   { "SCMP_CMP_NE", 5, 0, 5, false },
		{ "SCMP_CMP_LT", 5, 0, 4, true },	   { "SCMP_CMP_LT", 5, 0, 5, false },
		{ "SCMP_CMP_LE", 5, 0, 5, true },	   { "SCMP_CMP_LE", 5, 0, 6, false },
		{ "SCMP_CMP_GT", 5, 0, 6, true },	   { "SCMP_CMP_GT", 5, 0, 5, false },
		{ "SCMP_CMP_GE", 5, 0, 5, true },	   { "SCMP_CMP_GE", 5, 0, 4, false },
		{ "SCMP_CMP_MASKED_EQ", 0xf0, 0x20, 0x2f, true },
		{ "SCMP_CMP_MASKED_EQ", 0xf0, 0x20, 0x3f, false },
		{ "SCMP_CMP_EQ", 0x100000000ULL, 0, 0x100000000ULL, true },
		{ "SCMP_CMP_EQ", 0x100000000ULL, 0, 0, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct seccomp_prog *p;
		struct hako_err err;
		char profile[512], name[128];
		snprintf(profile, sizeof(profile),
			 "{" DENY_DEFAULT "'syscalls': [{'names': ['@default'], 'action': "
			 "'SCMP_ACT_ALLOW'}, {'names': ['kcmp'], 'action': 'SCMP_ACT_ERRNO', "
			 "'errnoRet': 33, 'args': [{'index': 0, 'value': %llu, 'valueTwo': %llu, "
			 "'op': '%s'}]}]}",
			 (unsigned long long)cases[i].value, (unsigned long long)cases[i].two,
			 cases[i].op);
		if (compile(profile, NULL, &p, &err) < 0) {
			ok(false, err.msg);
			continue;
		}
		snprintf(name, sizeof(name), "%s %#llx against %#llx: %s", cases[i].op,
			 (unsigned long long)cases[i].arg, (unsigned long long)cases[i].value,
			 cases[i].match ? "the rule" : "the default");
		is_int(run(p, 312 /* kcmp */, cases[i].arg),
		       cases[i].match ? SECCOMP_RET_ERRNO | 33 : SECCOMP_RET_ERRNO | EPERM, name);
		seccomp_prog_free(p);
	}
}

TEST(compile_args_same_index)
{
	struct seccomp_prog *p;
	struct hako_err err;
	char *w;

	free(fx_warnings());
	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['kcmp'], 'action': 'SCMP_ACT_ERRNO', "
		       "'errnoRet': 33, 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_EQ'}, "
		       "{'index': 0, 'value': 2, 'op': 'SCMP_CMP_EQ'}]}]}",
		       NULL, &p, &err),
	       0, "two comparisons of one argument compile");
	w = fx_warnings();
	like(w, "one rule per comparison", "... with a warning that they are ORed, as in runc");
	free(w);
	is_int(run(p, 312, 1), SECCOMP_RET_ERRNO | 33, "the first matches");
	is_int(run(p, 312, 2), SECCOMP_RET_ERRNO | 33, "the second matches");
	is_int(run(p, 312, 3), SECCOMP_RET_ERRNO | EPERM, "neither: the default");
	seccomp_prog_free(p);
}

TEST(compile_enosys)
{
	struct seccomp_prog *p;
	struct hako_err err;

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default', '@basic-io'], "
		       "'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       0, "an allow-list");
	is_int(run(p, 1000, 0), SECCOMP_RET_ERRNO | ENOSYS,
	       "a number above every syscall the profile names: ENOSYS");
	is_int(run(p, 169 /* reboot */, 0), SECCOMP_RET_ERRNO | EPERM,
	       "a known syscall it does not allow: its errno");
	is_int(act(p, "clone3"), SECCOMP_RET_ERRNO | ENOSYS,
	       "clone3, not mentioned: ENOSYS so glibc falls back to clone");
	is_int(act(p, "faccessat2"), SECCOMP_RET_ERRNO | ENOSYS, "faccessat2 too");
	seccomp_prog_free(p);

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', "
		       "'errnoRet': 13}]}",
		       NULL, &p, &err),
	       0, "clone3 named");
	is_int(act(p, "clone3"), SECCOMP_RET_ERRNO | 13, "a profile that names it is obeyed");
	seccomp_prog_free(p);

	is_int(compile("{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['reboot'], "
		       "'action': 'SCMP_ACT_ERRNO'}]}",
		       NULL, &p, &err),
	       0, "a deny-list");
	is_int(run(p, 1000, 0), SECCOMP_RET_ALLOW, "no stub: new syscalls get the default");
	is_int(act(p, "reboot"), SECCOMP_RET_ERRNO | EPERM, "its denial holds");
	seccomp_prog_free(p);
}

TEST(compile_empty)
{
	struct seccomp_prog *p;
	struct hako_err err;

	is_int(compile("{'defaultAction': 'SCMP_ACT_ALLOW'}", NULL, &p, &err), 0,
	       "a profile without rules");
	is_int(act(p, "reboot"), SECCOMP_RET_ALLOW, "... allows everything");
	is_int(run(p, 1000, 0), SECCOMP_RET_ALLOW, "... new syscalls too");
	seccomp_prog_free(p);
	is_int(compile("{'defaultAction': 'SCMP_ACT_LOG', 'syscalls': []}", NULL, &p, &err), 0,
	       "an empty list");
	is_int(act(p, "getpid"), SECCOMP_RET_LOG, "... logs everything");
	seccomp_prog_free(p);
}

TEST(compile_archs)
{
	struct seccomp_prog *p;
	struct hako_err err;
	struct seccomp_data d = { .arch = AUDIT_ARCH_I386, .nr = 88 /* i386 reboot */ };

	is_int(compile("{" DENY_DEFAULT "'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'], "
		       "'syscalls': [{'names': ['@default', 'reboot'], 'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       0, "two architectures");
	is_int(seccomp_bpf_run(p->insns, p->len, &d), SECCOMP_RET_ALLOW,
	       "i386 reboot (88) is matched by name");
	d.nr = 169;
	is_int(seccomp_bpf_run(p->insns, p->len, &d), SECCOMP_RET_ERRNO | EPERM,
	       "i386's 169 is not reboot there");
	seccomp_prog_free(p);

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['@default'], 'action': "
		       "'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       0, "native only");
	d.nr = 20;
	is_int(seccomp_bpf_run(p->insns, p->len, &d), SECCOMP_RET_KILL_PROCESS,
	       "an architecture not listed is killed, not let through");
	seccomp_prog_free(p);
}

TEST(compile_after_load)
{
	struct seccomp_prog *p;
	struct hako_err err;

	is_int(compile("{" DENY_DEFAULT "'syscalls': [{'names': ['read'], 'action': "
		       "'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       -EINVAL, "a profile without execve");
	like(err.msg, "denies execve", "... fails create with the reason");

	struct spec *s = spec_of("{" DENY_DEFAULT "'syscalls': [{'names': ['@default'], "
				 "'action': 'SCMP_ACT_ALLOW'}]}",
				 NULL);
	s->process.no_new_privileges = false;
	memset(&err, 0, sizeof(err));
	is_int(seccomp_prog_compile(s, &p, &err), -EINVAL,
	       "noNewPrivileges false and capset denied");
	like(err.msg, "capset", "... names capset");
	like(err.hint, "noNewPrivileges", "... and the way out");
	spec_free(s);
}

TEST(compile_values)
{
	struct seccomp_prog *p;
	struct hako_err err;
	char *w;

	is_int(compile("{" DENY_DEFAULT "'defaultErrnoRet': 5000, 'syscalls': [{'names': "
		       "['@default'], 'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       -EINVAL, "an errno above 4095");
	is_str(err.config, "linux.seccomp.defaultErrnoRet", "... points at it");
	free(fx_warnings());
	is_int(compile("{" DENY_DEFAULT "'flags': ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV', "
		       "'SECCOMP_FILTER_FLAG_LOG'], 'syscalls': [{'names': ['@default'], "
		       "'action': 'SCMP_ACT_ALLOW'}]}",
		       NULL, &p, &err),
	       0, "flags");
	w = fx_warnings();
	like(w, "only applies to a filter with a listener", "WAIT_KILLABLE_RECV without one: warned");
	free(w);
	is_int(p->flags, SECCOMP_FILTER_FLAG_LOG, "LOG kept, WAIT_KILLABLE_RECV dropped");
	seccomp_prog_free(p);
}

TEST(compile_report)
{
	const char *profile = "{" DENY_DEFAULT "'syscalls': [{'names': ['@default', 'sendmsg'], 'action': "
			      "'SCMP_ACT_ALLOW'}, {'names': ['mlockall'], 'action': "
			      "'SCMP_ACT_ERRNO', 'errnoRet': 33}]}";
	struct seccomp_prog *p;
	struct hako_err err;

	is_int(compile(profile, "'annotations': {'org.hako.seccomp.report': 'true'},", &p, &err), 0,
	       "report mode by annotation");
	if (!p) {
		printf("# %s\n", err.msg);
		return;
	}
	ok(p->report && p->notify && p->profile, "a listener, and the profile kept for answers");
	is_int(ACT(run(p, 151 /* mlockall */, 0)), SECCOMP_RET_USER_NOTIF,
	       "a denied call goes to the monitor");
	is_int(run(p, 169 /* reboot */, 0), SECCOMP_RET_USER_NOTIF, "the default action too");
	is_int(run(p, 1000, 0), SECCOMP_RET_ERRNO | ENOSYS, "ENOSYS for newer calls: not reported");
	is_int(act(p, "mlockall"), SECCOMP_RET_ERRNO | 33, "the monitor answers errnoRet");
	is_int(act(p, "getpid"), SECCOMP_RET_ALLOW, "allowed calls are not notified");
	seccomp_prog_free(p);

	is_int(compile(profile, "'annotations': {'org.hako.seccomp.report': 'yes'},", &p, &err),
	       -EINVAL, "a bad annotation value");
	like(err.msg, "expected \"true\" or \"false\"", "... says what it takes");
}

TEST(compile_notify)
{
	struct seccomp_prog *p;
	struct hako_err err;

	is_int(compile("{" DENY_DEFAULT "'listenerPath': '/run/agent.sock', 'syscalls': [{'names': "
		       "['@default', '@network-io'], 'action': 'SCMP_ACT_ALLOW'}, {'names': "
		       "['sendmsg'], 'action': 'SCMP_ACT_NOTIFY'}]}",
		       NULL, &p, &err),
	       -EINVAL, "SCMP_ACT_NOTIFY for sendmsg");
	like(err.msg, "sendmsg", "... is refused: the init hands the listener on with it");

	is_int(compile("{" DENY_DEFAULT "'listenerPath': '/run/agent.sock', 'syscalls': [{'names': "
		       "['@default', '@network-io'], 'action': 'SCMP_ACT_ALLOW'}, {'names': "
		       "['getppid'], 'action': 'SCMP_ACT_NOTIFY'}]}",
		       "'annotations': {'org.hako.seccomp.report': 'true'},", &p, &err),
	       -EINVAL, "report mode and listenerPath");
	like(err.msg, "one listener", "... cannot share the one listener");

	is_int(compile("{" DENY_DEFAULT "'listenerPath': '/run/agent.sock', 'listenerMetadata': "
		       "'m', 'syscalls': [{'names': ['@default', '@network-io'], 'action': "
		       "'SCMP_ACT_ALLOW'}, {'names': ['getppid'], 'action': 'SCMP_ACT_NOTIFY'}]}",
		       NULL, &p, &err),
	       0, "a notify rule");
	ok(p->notify && !p->report, "a listener for the agent");
	ok(seccomp_prog_wants_state(p), "the init sends the agent the state");
	seccomp_prog_set_state(p, 42, "{\"id\":\"c\"}");
	is_str(p->msg,
	       "{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":42,\"metadata\":\"m\","
	       "\"state\":{\"id\":\"c\"}}",
	       "containerProcessState");
	seccomp_prog_free(p);
}

/* ---- hako spec's profile --------------------------------------------------------------- */

static struct seccomp_prog *default_prog(struct default_opts *o, struct spec **ret_spec)
{
	struct seccomp_prog *p = NULL;
	struct hako_err err = { 0 };
	char *json = spec_default_json(o);
	struct spec *s = NULL;

	if (spec_load_string(json, fx_bundle, &s, &err) < 0 ||
	    seccomp_prog_compile(s, &p, &err) < 0)
		printf("# default profile: %s\n", err.msg);
	free(json);
	if (ret_spec)
		*ret_spec = s;
	else
		spec_free(s);
	return p;
}

TEST(default_profile)
{
	struct default_opts o = { 0 };
	struct seccomp_prog *p = default_prog(&o, NULL);
	static const char *const allowed[] = { "read", "execve", "mlockall", "mlock", "keyctl",
					       "adjtimex", "clone", "getppid", "uname", "sysinfo" };
	static const char *const eperm[] = { "ptrace", "reboot", "settimeofday", "init_module",
					     "iopl", "syslog", "mount", "unshare", "setns",
					     "io_uring_setup", "process_vm_readv", "kexec_load" };

	if (!ok(p != NULL, "the default profile compiles"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(allowed); i++) {
		char name[64];
		snprintf(name, sizeof(name), "default allows %s", allowed[i]);
		is_int(act(p, allowed[i]), SECCOMP_RET_ALLOW, name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(eperm); i++) {
		char name[64];
		snprintf(name, sizeof(name), "default denies %s with EPERM", eperm[i]);
		is_int(act(p, eperm[i]), SECCOMP_RET_ERRNO | EPERM, name);
	}
	is_int(act(p, "clone3"), SECCOMP_RET_ERRNO | ENOSYS, "clone3: ENOSYS");
	is_int(run(p, 56 /* clone */, 0x10000000 /* CLONE_NEWUSER */), SECCOMP_RET_ERRNO | EPERM,
	       "clone with a namespace flag: EPERM");
	is_int(run(p, 56, 0x11 /* SIGCHLD */), SECCOMP_RET_ALLOW, "clone without: allowed");
	seccomp_prog_free(p);
}

TEST(default_profile_caps)
{
	static const struct {
		int cap;
		const char *syscall;
	} cases[] = {
		{ CAP_SYS_PTRACE, "ptrace" },	  { CAP_SYS_PTRACE, "process_vm_readv" },
		{ CAP_SYS_PTRACE, "process_vm_writev" }, { CAP_SYS_TIME, "settimeofday" },
		{ CAP_SYS_TIME, "clock_settime" }, { CAP_SYS_MODULE, "init_module" },
		{ CAP_SYS_RAWIO, "iopl" },	  { CAP_SYS_BOOT, "reboot" },
		{ CAP_SYSLOG, "syslog" },	  { CAP_SYS_ADMIN, "mount" },
		{ CAP_SYS_ADMIN, "unshare" },	  { CAP_SYS_ADMIN, "clone3" },
		{ CAP_SYS_NICE, "mbind" },	  { CAP_SYS_PACCT, "acct" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct default_opts o = { .cap_add = 1ULL << cases[i].cap };
		struct seccomp_prog *p = default_prog(&o, NULL);
		char name[96];
		snprintf(name, sizeof(name), "--cap-add %s allows %s", cap_name(cases[i].cap),
			 cases[i].syscall);
		is_int(p ? act(p, cases[i].syscall) : 0, SECCOMP_RET_ALLOW, name);
		seccomp_prog_free(p);
	}
	struct default_opts o = { .cap_add = 1ULL << CAP_SYS_PTRACE,
				  .cap_drop = 1ULL << CAP_SYS_PTRACE };
	struct seccomp_prog *p = default_prog(&o, NULL);
	is_int(p ? act(p, "ptrace") : 0, SECCOMP_RET_ERRNO | EPERM, "--cap-drop wins");
	seccomp_prog_free(p);
}

TEST(default_profile_allow)
{
	const char *allow[] = { "@aio", "ptrace", "clone3" };
	struct default_opts o = { .seccomp_allow = allow, .n_seccomp_allow = 3 };
	struct seccomp_prog *p = default_prog(&o, NULL);
	struct hako_err err;

	if (!ok(p != NULL, "--seccomp-allow compiles"))
		return;
	is_int(act(p, "io_uring_setup"), SECCOMP_RET_ALLOW, "@aio brings io_uring back");
	is_int(act(p, "ptrace"), SECCOMP_RET_ALLOW, "a syscall by name");
	is_int(act(p, "clone3"), SECCOMP_RET_ALLOW, "clone3 allowed replaces its ENOSYS rule");
	seccomp_prog_free(p);

	const char *bad_group[] = { "@nope" }, *bad_name[] = { "nosuchcall" },
		   *bad_sysctl[] = { "net.ipv4.ip_forward" };
	o = (struct default_opts){ .seccomp_allow = bad_group, .n_seccomp_allow = 1 };
	is_int(spec_default_check(&o, &err), -EINVAL, "an unknown group");
	like(err.msg, "unknown syscall group \"@nope\"", "... named");
	o = (struct default_opts){ .seccomp_allow = bad_name, .n_seccomp_allow = 1 };
	is_int(spec_default_check(&o, &err), -EINVAL, "an unknown syscall");
	o = (struct default_opts){ .sysctls = bad_sysctl, .n_sysctls = 1 };
	is_int(spec_default_check(&o, &err), -EINVAL, "a sysctl without =");
}

TEST(default_config_options)
{
	const char *sysctls[] = { "net.ipv4.ip_forward=1", "kernel.msgmax=8192",
				  "net.ipv4.ip_forward=0" };
	struct default_rlimit rl[] = { { RLIMIT_MEMLOCK, 1 << 20, 2 << 20 },
				       { RLIMIT_NOFILE, 4096, 4096 } };
	struct default_opts o = { .user_set = true, .uid = 1000, .gid = 1000,
				  .cap_add = 1ULL << CAP_IPC_LOCK, .sysctls = sysctls,
				  .n_sysctls = 3, .rlimits = rl, .n_rlimits = 2 };
	struct spec *s = NULL;
	struct seccomp_prog *p = default_prog(&o, &s);
	const struct spec_capabilities *c;

	if (!ok(s != NULL, "the config with options loads"))
		return;
	c = &s->process.capabilities;
	is_int(s->process.user.uid, 1000, "--user uid");
	is_int(s->process.user.gid, 1000, "--user gid");
	ok(c->set[CAPSET_AMBIENT] == 1ULL << CAP_IPC_LOCK &&
		   c->set[CAPSET_INHERITABLE] == 1ULL << CAP_IPC_LOCK,
	   "a cap added for a non-root user is ambient and inheritable");
	ok((c->set[CAPSET_BOUNDING] & c->set[CAPSET_EFFECTIVE] & c->set[CAPSET_PERMITTED]) &
		   (1ULL << CAP_IPC_LOCK),
	   "... and in bounding, effective, permitted");
	ok(!(c->set[CAPSET_AMBIENT] & (1ULL << CAP_KILL)), "runc's defaults are not made ambient");
	ok(!(c->set[CAPSET_EFFECTIVE] & (1ULL << CAP_KILL)) &&
		   (c->set[CAPSET_BOUNDING] & (1ULL << CAP_KILL)),
	   "... nor effective (gone at execve anyway), but stay in bounding");
	is_str(strmap_get(&s->lnx.sysctl, "net.ipv4.ip_forward"), "0", "--sysctl, the last wins");
	is_str(strmap_get(&s->lnx.sysctl, "kernel.msgmax"), "8192", "--sysctl");
	is_int(s->lnx.sysctl.n, 2, "each key once");
	is_int(s->process.n_rlimits, 2, "NOFILE replaced, MEMLOCK added");
	for (size_t i = 0; i < s->process.n_rlimits; i++)
		if (s->process.rlimits[i].resource == RLIMIT_MEMLOCK) {
			is_int(s->process.rlimits[i].soft, 1 << 20, "--rlimit soft");
			is_int(s->process.rlimits[i].hard, 2 << 20, "--rlimit hard");
		}
	is_int(p ? act(p, "mlockall") : 0, SECCOMP_RET_ALLOW, "mlockall allowed");
	seccomp_prog_free(p);
	spec_free(s);
}

int main(void)
{
	static const tap_test_fn tests[] = {
		groups_table,	    groups_expand,	    group_of,
		cap_table,	    bpf_interpreter,	    bpf_link,
		compile_groups,	    compile_precedence,	    compile_args,
		compile_args_same_index, compile_enosys,  compile_empty, compile_archs,
		compile_after_load, compile_values,	    compile_report,
		compile_notify,	    default_profile,	    default_profile_caps,
		default_profile_allow, default_config_options, NULL,
	};

	fx_setup();
	return tap_main(tests);
}
