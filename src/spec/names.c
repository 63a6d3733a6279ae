/* names.c - tables of names for kernel constants. */
#include "spec/names.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "spec/config.h"
#include "util/cleanup.h"

/* Indexed by number, as include/uapi/linux/capability.h defines them. */
static const char *const cap_names[HAKO_CAP_LAST + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
	"CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

const char *const ns_type_names[NS_MAX] = {
	[NS_PID] = "pid", [NS_NET] = "network", [NS_MNT] = "mount", [NS_IPC] = "ipc",
	[NS_UTS] = "uts", [NS_USER] = "user", [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

const char *const ns_proc_names[NS_MAX] = {
	[NS_PID] = "pid", [NS_NET] = "net", [NS_MNT] = "mnt", [NS_IPC] = "ipc",
	[NS_UTS] = "uts", [NS_USER] = "user", [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

const char *const hook_kind_names[HOOK_MAX] = {
	[HOOK_PRESTART] = "prestart", [HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer", [HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart", [HOOK_POSTSTOP] = "poststop",
};

const char *const seccomp_action_names[SCMP_ACTION_MAX] = {
	[SCMP_ACTION_KILL] = "SCMP_ACT_KILL",
	[SCMP_ACTION_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[SCMP_ACTION_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[SCMP_ACTION_TRAP] = "SCMP_ACT_TRAP",
	[SCMP_ACTION_ERRNO] = "SCMP_ACT_ERRNO",
	[SCMP_ACTION_TRACE] = "SCMP_ACT_TRACE",
	[SCMP_ACTION_ALLOW] = "SCMP_ACT_ALLOW",
	[SCMP_ACTION_LOG] = "SCMP_ACT_LOG",
	[SCMP_ACTION_NOTIFY] = "SCMP_ACT_NOTIFY",
};

const char *const seccomp_op_names[SCMP_OP_MAX] = {
	[SCMP_OP_NE] = "SCMP_CMP_NE", [SCMP_OP_LT] = "SCMP_CMP_LT",
	[SCMP_OP_LE] = "SCMP_CMP_LE", [SCMP_OP_EQ] = "SCMP_CMP_EQ",
	[SCMP_OP_GE] = "SCMP_CMP_GE", [SCMP_OP_GT] = "SCMP_CMP_GT",
	[SCMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

const char *const sched_policy_names[SCHED_POLICY_COUNT] = {
	"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
	"SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE",
};

const char *const sched_flag_names[SCHED_FLAG_COUNT] = {
	"SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",	  "SCHED_FLAG_DL_OVERRUN",
	"SCHED_FLAG_KEEP_POLICY",    "SCHED_FLAG_KEEP_PARAMS",	  "SCHED_FLAG_UTIL_CLAMP_MIN",
	"SCHED_FLAG_UTIL_CLAMP_MAX",
};

const char *const ioprio_class_names[IOPRIO_CLASS_COUNT] = {
	NULL, "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE",
};

const char *const mpol_mode_names[MPOL_MODE_COUNT] = {
	"MPOL_DEFAULT", "MPOL_PREFERRED",	"MPOL_BIND",		    "MPOL_INTERLEAVE",
	"MPOL_LOCAL",	"MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE",
};

const char *const mpol_flag_names[MPOL_FLAG_COUNT] = {
	"MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES", "MPOL_F_NUMA_BALANCING",
};

const char *const oci_seccomp_archs[OCI_SECCOMP_ARCH_COUNT] = {
	"SCMP_ARCH_X86",	 "SCMP_ARCH_X86_64",	 "SCMP_ARCH_X32",
	"SCMP_ARCH_ARM",	 "SCMP_ARCH_AARCH64",	 "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64",	 "SCMP_ARCH_MIPS64N32",	 "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64",	 "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64",	 "SCMP_ARCH_PPC64LE",	 "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X",	 "SCMP_ARCH_PARISC",	 "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_RISCV64",	 "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH",		 "SCMP_ARCH_SHEB",
};

const char *const oci_seccomp_flags[OCI_SECCOMP_FLAG_COUNT] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

static const struct {
	const char *name;
	int resource;
} rlimit_table[] = {
	{ "RLIMIT_CPU", RLIMIT_CPU },         { "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_DATA", RLIMIT_DATA },       { "RLIMIT_STACK", RLIMIT_STACK },
	{ "RLIMIT_CORE", RLIMIT_CORE },       { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },     { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },     { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },   { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

int name_index(const char *const *table, size_t n, const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (table[i] && strcmp(table[i], name) == 0)
			return (int)i;
	return -1;
}

const char *cap_name(int cap)
{
	return cap >= 0 && cap <= HAKO_CAP_LAST ? cap_names[cap] : NULL;
}

int cap_from_name(const char *name)
{
	return name_index(cap_names, ARRAY_SIZE(cap_names), name);
}

int cap_from_user(const char *name)
{
	const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;

	for (int i = 0; i <= HAKO_CAP_LAST; i++)
		if (strcasecmp(cap_names[i] + 4, bare) == 0)
			return i;
	return -1;
}

/* Levenshtein distance, small strings only. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (toupper((unsigned char)a[i - 1]) !=
						    toupper((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[lb];
}

const char *cap_suggest(const char *name)
{
	const char *best = NULL;
	size_t best_d = 4; /* farther than this is no suggestion */
	char full[64];

	snprintf(full, sizeof(full), "%s%s", strncasecmp(name, "CAP_", 4) ? "CAP_" : "", name);
	for (int i = 0; i <= HAKO_CAP_LAST; i++) {
		size_t d = edit_distance(full, cap_names[i]);
		if (d < best_d) {
			best_d = d;
			best = cap_names[i];
		}
	}
	return best;
}

int rlimit_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimit_table); i++)
		if (strcmp(rlimit_table[i].name, name) == 0)
			return rlimit_table[i].resource;
	return -1;
}

const char *rlimit_name(int resource)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimit_table); i++)
		if (rlimit_table[i].resource == resource)
			return rlimit_table[i].name;
	return "RLIMIT_?";
}

int rlimit_from_user(const char *name)
{
	const char *bare = strncasecmp(name, "RLIMIT_", 7) == 0 ? name + 7 : name;

	for (size_t i = 0; i < ARRAY_SIZE(rlimit_table); i++)
		if (strcasecmp(rlimit_table[i].name + 7, bare) == 0)
			return rlimit_table[i].resource;
	return -1;
}

int signal_from_name(const char *name)
{
	char *end;
	long n;

	if (!name || !*name)
		return -1;
	if (isdigit((unsigned char)name[0])) {
		n = strtol(name, &end, 10);
		return *end || n <= 0 || n > SIGRTMAX ? -1 : (int)n;
	}
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
		bool min = toupper((unsigned char)name[3]) == 'I';
		n = 0;
		if (name[5] == '+' || name[5] == '-') {
			n = strtol(name + 5, &end, 10);
			if (*end)
				return -1;
		} else if (name[5]) {
			return -1;
		}
		n += min ? SIGRTMIN : SIGRTMAX;
		return n < SIGRTMIN || n > SIGRTMAX ? -1 : (int)n;
	}
	for (int s = 1; s < NSIG; s++) {
		const char *abbrev = sigabbrev_np(s);
		if (abbrev && strcasecmp(abbrev, name) == 0)
			return s;
	}
	return -1;
}
