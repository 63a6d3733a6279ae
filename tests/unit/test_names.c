/* test_names.c - names of capabilities, rlimits, signals and the runtime-spec
 * enums, against the kernel's own numbers. */
#include <linux/capability.h>
#include <linux/ioprio.h>
#include <linux/mempolicy.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/resource.h>

#include "spec/config.h"
#include "spec/names.h"
#include "tap.h"

TEST(capabilities)
{
	ok(HAKO_CAP_LAST <= CAP_LAST_CAP, "hako knows no capability the headers do not");
	is_str(cap_name(0), "CAP_CHOWN", "0 is CAP_CHOWN");
	is_str(cap_name(CAP_NET_ADMIN), "CAP_NET_ADMIN", "CAP_NET_ADMIN by number");
	is_str(cap_name(CAP_IPC_LOCK), "CAP_IPC_LOCK", "CAP_IPC_LOCK by number");
	is_str(cap_name(CAP_SYS_ADMIN), "CAP_SYS_ADMIN", "CAP_SYS_ADMIN by number");
	is_str(cap_name(CAP_PERFMON), "CAP_PERFMON", "CAP_PERFMON (5.8)");
	is_str(cap_name(CAP_BPF), "CAP_BPF", "CAP_BPF (5.8)");
	is_str(cap_name(CAP_CHECKPOINT_RESTORE), "CAP_CHECKPOINT_RESTORE", "the last one (5.9)");
	ok(cap_name(HAKO_CAP_LAST + 1) == NULL && cap_name(-1) == NULL, "NULL out of range");

	bool round_trip = true;
	for (int c = 0; c <= HAKO_CAP_LAST; c++)
		round_trip &= cap_from_name(cap_name(c)) == c && cap_from_user(cap_name(c) + 4) == c;
	ok(round_trip, "every name maps back to its number");

	is_int(cap_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN, "exact name");
	is_int(cap_from_name("cap_sys_admin"), -1, "config.json names are exact");
	is_int(cap_from_name("SYS_ADMIN"), -1, "... with the CAP_ prefix");
	is_int(cap_from_name(""), -1, "empty name");
	is_int(cap_from_user("sys_admin"), CAP_SYS_ADMIN, "the command line is lenient: sys_admin");
	is_int(cap_from_user("Cap_Sys_Admin"), CAP_SYS_ADMIN, "Cap_Sys_Admin");
	is_int(cap_from_user("CAP_"), -1, "a bare prefix");
	is_str(cap_suggest("CAP_SYS_ADMN"), "CAP_SYS_ADMIN", "suggests CAP_SYS_ADMIN");
	is_str(cap_suggest("NET_ADMIN"), "CAP_NET_ADMIN", "suggests the prefixed name");
	is_str(cap_suggest("cap_ipc_lok"), "CAP_IPC_LOCK", "suggests regardless of case");
	ok(cap_suggest("CAP_MAKE_COFFEE") == NULL, "no suggestion for a far name");
	ok(cap_suggest("CAP_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") ==
		   NULL,
	   "nor for a very long one");
}

TEST(rlimits)
{
	static const struct {
		const char *name;
		int resource;
	} all[] = {
		{ "RLIMIT_CPU", RLIMIT_CPU },	    { "RLIMIT_FSIZE", RLIMIT_FSIZE },
		{ "RLIMIT_DATA", RLIMIT_DATA },	    { "RLIMIT_STACK", RLIMIT_STACK },
		{ "RLIMIT_CORE", RLIMIT_CORE },	    { "RLIMIT_RSS", RLIMIT_RSS },
		{ "RLIMIT_NPROC", RLIMIT_NPROC },   { "RLIMIT_NOFILE", RLIMIT_NOFILE },
		{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_AS", RLIMIT_AS },
		{ "RLIMIT_LOCKS", RLIMIT_LOCKS },   { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
		{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
		{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	};
	bool mapped = true;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		mapped &= rlimit_from_name(all[i].name) == all[i].resource &&
			  !strcmp(rlimit_name(all[i].resource), all[i].name);
	ok(mapped, "all 16 rlimits of getrlimit(2) map both ways");
	is_int(rlimit_from_name("RLIMIT_FOO"), -1, "unknown rlimit");
	is_int(rlimit_from_name("NOFILE"), -1, "config.json names are exact");
	is_int(rlimit_from_user("nofile"), RLIMIT_NOFILE, "the command line is lenient: nofile");
	is_int(rlimit_from_user("RLIMIT_MEMLOCK"), RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK");
	is_int(rlimit_from_user("rlimit_nproc"), RLIMIT_NPROC, "rlimit_nproc");
	is_int(rlimit_from_user("RLIMIT_"), -1, "a bare prefix");
	is_str(rlimit_name(99), "RLIMIT_?", "an unknown number");
}

TEST(signals)
{
	is_int(signal_from_name("TERM"), SIGTERM, "TERM");
	is_int(signal_from_name("SIGTERM"), SIGTERM, "SIGTERM");
	is_int(signal_from_name("sigterm"), SIGTERM, "sigterm");
	is_int(signal_from_name("15"), 15, "15");
	is_int(signal_from_name("KILL"), SIGKILL, "KILL");
	is_int(signal_from_name("SIGHUP"), SIGHUP, "SIGHUP");
	is_int(signal_from_name("WINCH"), SIGWINCH, "WINCH");
	is_int(signal_from_name("RTMIN"), SIGRTMIN, "RTMIN");
	is_int(signal_from_name("RTMIN+3"), SIGRTMIN + 3, "RTMIN+3");
	is_int(signal_from_name("SIGRTMIN+3"), SIGRTMIN + 3, "SIGRTMIN+3");
	is_int(signal_from_name("rtmax-1"), SIGRTMAX - 1, "rtmax-1");
	is_int(signal_from_name("SIGRTMAX"), SIGRTMAX, "SIGRTMAX");
	is_int(signal_from_name("64"), SIGRTMAX, "the highest number");

	static const char *const bad[] = { "0", "65", "-1", "15x", "", "FOO", "SIG", "RTMIN+",
					   "RTMAX+1", "RTMIN-1", "RTMIN+100", "RTMINX" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[64];
		snprintf(name, sizeof(name), "\"%s\" is not a signal", bad[i]);
		is_int(signal_from_name(bad[i]), -1, name);
	}
	is_int(signal_from_name(NULL), -1, "NULL is not a signal");
}

TEST(enums)
{
	static const char *const t[] = { "b", NULL, "a" };

	is_int(name_index(t, 3, "a"), 2, "name_index finds past a NULL row");
	is_int(name_index(t, 3, "c"), -1, "name_index: absent");
	is_int(name_index(t, 3, NULL), -1, "name_index: NULL name");

	is_str(sched_policy_names[SCHED_NORMAL], "SCHED_OTHER", "SCHED_OTHER is 0");
	is_str(sched_policy_names[SCHED_FIFO], "SCHED_FIFO", "SCHED_FIFO by number");
	is_str(sched_policy_names[SCHED_BATCH], "SCHED_BATCH", "SCHED_BATCH by number");
	is_str(sched_policy_names[SCHED_IDLE], "SCHED_IDLE", "SCHED_IDLE by number");
	is_str(sched_policy_names[SCHED_DEADLINE], "SCHED_DEADLINE", "SCHED_DEADLINE by number");
	is_str(sched_flag_names[0], "SCHED_FLAG_RESET_ON_FORK", "flag bit 0 is RESET_ON_FORK");
	ok(SCHED_FLAG_UTIL_CLAMP_MAX == 1 << (SCHED_FLAG_COUNT - 1) &&
		   !strcmp(sched_flag_names[SCHED_FLAG_COUNT - 1], "SCHED_FLAG_UTIL_CLAMP_MAX"),
	   "the last flag is UTIL_CLAMP_MAX, bit 6");
	is_str(ioprio_class_names[IOPRIO_CLASS_RT], "IOPRIO_CLASS_RT", "IOPRIO_CLASS_RT by number");
	is_str(ioprio_class_names[IOPRIO_CLASS_IDLE], "IOPRIO_CLASS_IDLE", "IOPRIO_CLASS_IDLE");
	ok(ioprio_class_names[IOPRIO_CLASS_NONE] == NULL, "IOPRIO_CLASS_NONE has no name");
	is_str(mpol_mode_names[MPOL_BIND], "MPOL_BIND", "MPOL_BIND by number");
	is_str(mpol_mode_names[MPOL_LOCAL], "MPOL_LOCAL", "MPOL_LOCAL by number");
	is_str(mpol_mode_names[MPOL_PREFERRED_MANY], "MPOL_PREFERRED_MANY", "MPOL_PREFERRED_MANY");
	is_str(mpol_mode_names[MPOL_PREFERRED_MANY + 1], "MPOL_WEIGHTED_INTERLEAVE",
	       "MPOL_WEIGHTED_INTERLEAVE is 6 (6.9)");
	is_int(name_index(oci_seccomp_archs, OCI_SECCOMP_ARCH_COUNT, "SCMP_ARCH_RISCV64") >= 0, 1,
	       "SCMP_ARCH_RISCV64 is a known architecture");
	is_int(name_index(oci_seccomp_flags, OCI_SECCOMP_FLAG_COUNT,
			  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") >= 0,
	       1, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is a known flag");
	is_str(ns_type_names[NS_NET], "network", "config.json says network");
	is_str(ns_proc_names[NS_NET], "net", "/proc says net");
	is_str(ns_proc_names[NS_MNT], "mnt", "and mnt");
	is_str(hook_kind_names[HOOK_CREATE_RUNTIME], "createRuntime", "hook names");
	is_str(seccomp_action_names[SCMP_ACTION_KILL_PROCESS], "SCMP_ACT_KILL_PROCESS",
	       "seccomp action names");
	is_str(seccomp_op_names[SCMP_OP_MASKED_EQ], "SCMP_CMP_MASKED_EQ", "seccomp operator names");
}

static const tap_test_fn tests[] = { capabilities, rlimits, signals, enums, NULL };

int main(void)
{
	return tap_main(tests);
}
