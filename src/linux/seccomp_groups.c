/* seccomp_groups.c - systemd's syscall groups and nspawn's capability ->
 * syscall table, as data, with the lookups the rest of hako needs.
 *
 * The groups are systemd v260's syscall_filter_sets[] (src/shared/
 * seccomp-util.c), member for member, so that "@memlock" means here what
 * it means in SystemCallFilter= and `systemd-analyze syscall-filter`.
 * Names that do not exist on an architecture (the *32, *_time64, s390_*
 * variants) are kept: the filter compiler skips them where they do not
 * exist, as systemd does.  @known is left out: it is systemd's generated
 * list of every kernel syscall, and hako asks libseccomp instead.
 */
#include "linux/seccomp_groups.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"

static const char *const g_default[] = {
	"@sandbox", "arch_prctl", "brk", "cacheflush", "clock_getres", "clock_getres_time64",
	"clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "execve",
	"exit", "exit_group", "futex", "futex_time64", "futex_waitv", "get_robust_list",
	"get_thread_area", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
	"getgroups", "getgroups32", "getpgid", "getpgrp", "getpid", "getppid", "getrandom",
	"getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "getsid", "gettid",
	"gettimeofday", "getuid", "getuid32", "lsm_get_self_attr", "lsm_list_modules",
	"membarrier", "mmap", "mmap2", "mprotect", "mseal", "munmap", "nanosleep", "pause",
	"prlimit64", "restart_syscall", "riscv_flush_icache", "riscv_hwprobe", "rseq",
	"rt_sigreturn", "sched_getaffinity", "sched_yield", "set_robust_list", "set_thread_area",
	"set_tid_address", "set_tls", "sigreturn", "time", "ugetrlimit", "uretprobe", NULL,
};

static const char *const g_aio[] = {
	"io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
	"io_setup", "io_submit", "io_uring_enter", "io_uring_register", "io_uring_setup", NULL,
};

static const char *const g_basic_io[] = {
	"_llseek", "close", "close_range", "dup", "dup2", "dup3", "llseek", "lseek", "pread64",
	"preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readv", "write",
	"writev", NULL,
};

static const char *const g_chown[] = {
	"chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32", NULL,
};

static const char *const g_clock[] = {
	"adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime", "clock_settime64",
	"settimeofday", NULL,
};

static const char *const g_cpu_emulation[] = {
	"modify_ldt", "subpage_prot", "switch_endian", "vm86", "vm86old", NULL,
};

static const char *const g_debug[] = {
	"lookup_dcookie", "perf_event_open", "pidfd_getfd", "ptrace", "rtas",
	"s390_runtime_instr", "sys_debug_setcontext", NULL,
};

static const char *const g_file_system[] = {
	"access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2", "fallocate",
	"fchdir", "fchmod", "fchmodat", "fchmodat2", "fcntl", "fcntl64", "fgetxattr",
	"file_getattr", "file_setattr", "flistxattr", "fremovexattr", "fsetxattr", "fstat",
	"fstat64", "fstatat", "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64",
	"futimesat", "getcwd", "getdents", "getdents64", "getxattr", "getxattrat",
	"inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "lgetxattr",
	"link", "linkat", "listmount", "listxattr", "listxattrat", "llistxattr", "lremovexattr",
	"lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod", "mknodat", "newfstat",
	"newfstatat", "oldfstat", "oldlstat", "oldstat", "open", "open_tree", "openat", "openat2",
	"readlink", "readlinkat", "removexattr", "removexattrat", "rename", "renameat",
	"renameat2", "rmdir", "setxattr", "setxattrat", "stat", "stat64", "statfs", "statfs64",
	"statmount", "statx", "symlink", "symlinkat", "truncate", "truncate64", "unlink",
	"unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", NULL,
};

static const char *const g_io_event[] = {
	"_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
	"epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
	"poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64", "select", NULL,
};

static const char *const g_ipc[] = {
	"ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
	"mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl",
	"msgget", "msgrcv", "msgsnd", "pipe", "pipe2", "process_madvise", "process_vm_readv",
	"process_vm_writev", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64",
	"shmat", "shmctl", "shmdt", "shmget", NULL,
};

static const char *const g_keyring[] = {
	"add_key", "keyctl", "request_key", NULL,
};

static const char *const g_memlock[] = {
	"mlock", "mlock2", "mlockall", "munlock", "munlockall", NULL,
};

static const char *const g_module[] = {
	"delete_module", "finit_module", "init_module", NULL,
};

static const char *const g_mount[] = {
	"chroot", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr",
	"move_mount", "open_tree_attr", "pivot_root", "umount", "umount2", NULL,
};

static const char *const g_network_io[] = {
	"accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
	"listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
	"sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socket", "socketcall",
	"socketpair", NULL,
};

static const char *const g_obsolete[] = {
	"_sysctl", "afs_syscall", "bdflush", "break", "create_module", "ftime", "get_kernel_syms",
	"getpmsg", "gtty", "idle", "lock", "mpx", "prof", "profil", "putpmsg", "query_module",
	"security", "sgetmask", "ssetmask", "stime", "stty", "sysfs", "tuxcall", "ulimit",
	"uselib", "ustat", "vserver", NULL,
};

static const char *const g_pkey[] = {
	"pkey_alloc", "pkey_free", "pkey_mprotect", NULL,
};

static const char *const g_privileged[] = {
	"@chown", "@clock", "@module", "@raw-io", "@reboot", "@swap", "_sysctl", "acct", "bpf",
	"capset", "chroot", "fanotify_init", "fanotify_mark", "nfsservctl", "open_by_handle_at",
	"pivot_root", "quotactl", "quotactl_fd", "setdomainname", "setfsuid", "setfsuid32",
	"setgroups", "setgroups32", "sethostname", "setresuid", "setresuid32", "setreuid",
	"setreuid32", "setuid", "setuid32", "vhangup", NULL,
};

static const char *const g_process[] = {
	"capget", "clone", "clone3", "execveat", "fork", "getrusage", "kill", "pidfd_open",
	"pidfd_send_signal", "prctl", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "setns",
	"swapcontext", "tgkill", "times", "tkill", "unshare", "vfork", "wait4", "waitid",
	"waitpid", NULL,
};

static const char *const g_raw_io[] = {
	"ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write",
	"s390_pci_mmio_read", "s390_pci_mmio_write", NULL,
};

static const char *const g_reboot[] = {
	"kexec_file_load", "kexec_load", "reboot", NULL,
};

static const char *const g_resources[] = {
	"ioprio_set", "mbind", "migrate_pages", "move_pages", "nice", "sched_setaffinity",
	"sched_setattr", "sched_setparam", "sched_setscheduler", "set_mempolicy",
	"set_mempolicy_home_node", "setpriority", "setrlimit", NULL,
};

static const char *const g_sandbox[] = {
	"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "seccomp", NULL,
};

static const char *const g_setuid[] = {
	"setgid", "setgid32", "setgroups", "setgroups32", "setregid", "setregid32", "setresgid",
	"setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32", NULL,
};

static const char *const g_signal[] = {
	"rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_sigtimedwait_time64", "sigaction", "sigaltstack", "signal", "signalfd", "signalfd4",
	"sigpending", "sigprocmask", "sigsuspend", NULL,
};

static const char *const g_swap[] = {
	"swapoff", "swapon", NULL,
};

static const char *const g_sync[] = {
	"fdatasync", "fsync", "msync", "sync", "sync_file_range", "sync_file_range2", "syncfs", NULL,
};

static const char *const g_system_service[] = {
	"@aio", "@basic-io", "@chown", "@default", "@file-system", "@io-event", "@ipc",
	"@keyring", "@memlock", "@network-io", "@process", "@resources", "@setuid", "@signal",
	"@sync", "@timer", "arm_fadvise64_64", "capget", "capset", "copy_file_range", "fadvise64",
	"fadvise64_64", "flock", "get_mempolicy", "getcpu", "getpriority", "ioctl", "ioprio_get",
	"kcmp", "madvise", "mremap", "name_to_handle_at", "oldolduname", "olduname",
	"personality", "readahead", "readdir", "remap_file_pages", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getattr", "sched_getparam", "sched_getscheduler",
	"sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_yield", "sendfile",
	"sendfile64", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setpgid", "setsid",
	"splice", "sysinfo", "tee", "umask", "uname", "userfaultfd", "vmsplice", NULL,
};

static const char *const g_timer[] = {
	"alarm", "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
	"timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
	"timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times", NULL,
};

static const struct syscall_group groups[] = {
	{ "@default",
	  "system calls every program needs: memory, time, identity queries, exit",
	  g_default },
	{ "@aio",
	  "asynchronous I/O, io_uring included",
	  g_aio },
	{ "@basic-io",
	  "read, write, seek, dup and close on open file descriptors",
	  g_basic_io },
	{ "@chown",
	  "changing the owner of files",
	  g_chown },
	{ "@clock",
	  "setting the system clock",
	  g_clock },
	{ "@cpu-emulation",
	  "CPU emulation helpers (vm86, modify_ldt)",
	  g_cpu_emulation },
	{ "@debug",
	  "debugging, tracing and performance monitoring",
	  g_debug },
	{ "@file-system",
	  "paths, files, directories, attributes and file system queries",
	  g_file_system },
	{ "@io-event",
	  "event loops: poll, select, epoll, eventfd",
	  g_io_event },
	{ "@ipc",
	  "SysV IPC, POSIX message queues, pipes, memory of other processes",
	  g_ipc },
	{ "@keyring",
	  "the kernel keyrings",
	  g_keyring },
	{ "@memlock",
	  "locking memory into RAM (up to RLIMIT_MEMLOCK without CAP_IPC_LOCK)",
	  g_memlock },
	{ "@module",
	  "loading and unloading kernel modules",
	  g_module },
	{ "@mount",
	  "mounting, unmounting, pivot_root and chroot",
	  g_mount },
	{ "@network-io",
	  "sockets",
	  g_network_io },
	{ "@obsolete",
	  "obsolete, unimplemented or unused system calls",
	  g_obsolete },
	{ "@pkey",
	  "memory protection keys",
	  g_pkey },
	{ "@privileged",
	  "system calls that need super-user capabilities",
	  g_privileged },
	{ "@process",
	  "creating, signalling and waiting for processes; namespaces",
	  g_process },
	{ "@raw-io",
	  "raw I/O port and PCI configuration access",
	  g_raw_io },
	{ "@reboot",
	  "rebooting and loading a new kernel",
	  g_reboot },
	{ "@resources",
	  "scheduling, memory policy, priorities and rlimits",
	  g_resources },
	{ "@sandbox",
	  "self-sandboxing with Landlock and seccomp",
	  g_sandbox },
	{ "@setuid",
	  "changing user and group ids",
	  g_setuid },
	{ "@signal",
	  "signal handling",
	  g_signal },
	{ "@swap",
	  "enabling and disabling swap",
	  g_swap },
	{ "@sync",
	  "flushing files and memory to storage",
	  g_sync },
	{ "@system-service",
	  "a reasonable set for a typical system service",
	  g_system_service },
	{ "@timer",
	  "timers and alarms",
	  g_timer },
};

/* Groups that collect other groups: not a useful unit to suggest when one
 * syscall is denied ("allow @privileged" would allow far too much). */
static bool is_collection(const struct syscall_group *g)
{
	return !strcmp(g->name, "@privileged") || !strcmp(g->name, "@system-service");
}

/*
 * Capability -> the syscalls it makes useful.  nspawn's table (v260,
 * nspawn-seccomp.c): CAP_SYS_TIME @clock, CAP_SYS_MODULE @module,
 * CAP_SYS_RAWIO @raw-io, CAP_IPC_LOCK @memlock, CAP_SYS_PACCT acct,
 * CAP_SYS_PTRACE ptrace process_vm_*, CAP_SYS_BOOT reboot, CAP_SYSLOG
 * syslog, CAP_SYS_TTY_CONFIG vhangup, CAP_BPF bpf.  Added from Docker's
 * profile, which gates the same way: CAP_SYS_ADMIN (nspawn grants it by
 * default, so needs no entry), CAP_SYS_PTRACE's kcmp, pidfd_getfd and
 * process_madvise, CAP_SYS_NICE's NUMA placement, CAP_DAC_READ_SEARCH's
 * open_by_handle_at (the "shocker" escape), CAP_SYS_CHROOT, CAP_PERFMON.
 */
static const char *const cap_dac_read_search[] = { "open_by_handle_at", NULL };
static const char *const cap_ipc_lock[] = { "@memlock", NULL };
static const char *const cap_sys_module[] = { "@module", NULL };
static const char *const cap_sys_rawio[] = { "@raw-io", NULL };
static const char *const cap_sys_chroot[] = { "chroot", NULL };
static const char *const cap_sys_ptrace[] = {
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
	"process_madvise", NULL,
};
static const char *const cap_sys_pacct[] = { "acct", NULL };
/* Namespaces and mounts.  clone and clone3 are here because creating a
 * namespace is what needs the capability; without it the default profile
 * still allows clone without namespace flags, and answers clone3 (whose
 * flags seccomp cannot read) with ENOSYS so that libc falls back to clone. */
static const char *const cap_sys_admin[] = {
	"@mount", "setns", "unshare", "clone", "clone3", "fanotify_init", "fanotify_mark",
	"quotactl", "quotactl_fd", "lookup_dcookie", "sethostname", "setdomainname", NULL,
};
static const char *const cap_sys_boot[] = { "reboot", NULL };
static const char *const cap_sys_nice[] = {
	"mbind", "migrate_pages", "move_pages", "set_mempolicy", "set_mempolicy_home_node", NULL,
};
static const char *const cap_sys_time[] = { "@clock", NULL };
static const char *const cap_sys_tty_config[] = { "vhangup", NULL };
static const char *const cap_syslog[] = { "syslog", NULL };
static const char *const cap_perfmon[] = { "perf_event_open", NULL };
static const char *const cap_bpf[] = { "bpf", NULL };

static const struct {
	int cap;
	const char *const *syscalls;
} cap_table[] = {
	{ CAP_DAC_READ_SEARCH, cap_dac_read_search },
	{ CAP_IPC_LOCK, cap_ipc_lock },
	{ CAP_SYS_MODULE, cap_sys_module },
	{ CAP_SYS_RAWIO, cap_sys_rawio },
	{ CAP_SYS_CHROOT, cap_sys_chroot },
	{ CAP_SYS_PTRACE, cap_sys_ptrace },
	{ CAP_SYS_PACCT, cap_sys_pacct },
	{ CAP_SYS_ADMIN, cap_sys_admin },
	{ CAP_SYS_BOOT, cap_sys_boot },
	{ CAP_SYS_NICE, cap_sys_nice },
	{ CAP_SYS_TIME, cap_sys_time },
	{ CAP_SYS_TTY_CONFIG, cap_sys_tty_config },
	{ CAP_SYSLOG, cap_syslog },
	{ 38 /* CAP_PERFMON */, cap_perfmon },
	{ 39 /* CAP_BPF */, cap_bpf },
};

const struct syscall_group *seccomp_groups(size_t *ret_n)
{
	*ret_n = ARRAY_SIZE(groups);
	return groups;
}

const struct syscall_group *seccomp_group_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

/* ---- expansion ---------------------------------------------------------------- */

/* The names seen during one expansion.  @system-service, the largest
 * group, has under 400 names; a linear scan over a few hundred pointers
 * costs less than it takes to explain a hash table. */
struct seen {
	const char **v;
	size_t n, cap;
};

static bool seen_add(struct seen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return false;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = name;
	return true;
}

static int expand(const struct syscall_group *g, struct seen *s,
		  void (*fn)(const char *syscall, void *arg), void *arg)
{
	for (const char *const *m = g->members; *m; m++) {
		if (!seen_add(s, *m))
			continue;
		if (**m != '@') {
			fn(*m, arg);
			continue;
		}
		const struct syscall_group *sub = seccomp_group_find(*m);
		if (!sub)
			return -ENOENT;
		int r = expand(sub, s, fn, arg);
		if (r < 0)
			return r;
	}
	return 0;
}

int seccomp_expand(const char *name, void (*fn)(const char *syscall, void *arg), void *arg)
{
	const struct syscall_group *g;
	struct seen s = { 0 };
	int r;

	if (*name != '@') {
		fn(name, arg);
		return 0;
	}
	g = seccomp_group_find(name);
	if (!g)
		return -ENOENT;
	seen_add(&s, g->name);
	r = expand(g, &s, fn, arg);
	free(s.v);
	return r;
}

static void count_one(const char *syscall, void *arg)
{
	(void)syscall;
	(*(size_t *)arg)++;
}

static size_t group_size(const struct syscall_group *g)
{
	size_t n = 0;

	seccomp_expand(g->name, count_one, &n);
	return n;
}

struct find_ctx {
	const char *want;
	bool found;
};

static void find_one(const char *syscall, void *arg)
{
	struct find_ctx *f = arg;

	if (!strcmp(syscall, f->want))
		f->found = true;
}

/* `name` (a syscall or @group) is or contains `syscall`. */
static bool covers(const char *name, const char *syscall)
{
	struct find_ctx f = { .want = syscall };

	seccomp_expand(name, find_one, &f);
	return f.found;
}

const char *seccomp_group_of(const char *syscall)
{
	const struct syscall_group *best = NULL;
	size_t best_size = SIZE_MAX;

	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		const struct syscall_group *g = &groups[i];
		size_t size;

		if (is_collection(g) || !covers(g->name, syscall))
			continue;
		size = group_size(g);
		if (size < best_size) {
			best = g;
			best_size = size;
		}
	}
	return best ? best->name : NULL;
}

/* ---- capabilities --------------------------------------------------------------- */

const char *const *seccomp_cap_syscalls(int cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++)
		if (cap_table[i].cap == cap)
			return cap_table[i].syscalls;
	return NULL;
}

/* A syscall named directly by one capability wins over a group of
 * another: chroot is CAP_SYS_CHROOT's, though @mount (CAP_SYS_ADMIN's)
 * holds it too. */
int seccomp_cap_for_syscall(const char *syscall)
{
	for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++)
		for (const char *const *s = cap_table[i].syscalls; *s; s++)
			if (!strcmp(*s, syscall))
				return cap_table[i].cap;
	for (size_t i = 0; i < ARRAY_SIZE(cap_table); i++)
		for (const char *const *s = cap_table[i].syscalls; *s; s++)
			if (**s == '@' && covers(*s, syscall))
				return cap_table[i].cap;
	return -1;
}
