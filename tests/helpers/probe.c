/*
 * hako-probe - a static multi-call program that integration tests put in
 * the rootfs to look at the container from inside, where busybox cannot.
 *
 *   hako-probe fds                 open fds other than 0-2, one per line
 *   hako-probe rlimit NAME         "SOFT HARD" of RLIMIT_NAME (unlimited as -1)
 *   hako-probe umask               the umask in octal
 *   hako-probe mlockall BYTES      map BYTES, mlockall; prints "ok" or the errno name
 *   hako-probe open PATH r|w       open PATH to read, or to write (created 0644);
 *                                  prints "ok" or the errno name (an LSM's denial)
 *   hako-probe sleep SECONDS       sleep (pid 1 with a SIGTERM handler that exits 143)
 *   hako-probe exit N              exit with N
 *   hako-probe keyring             "SERIAL DESCRIPTION" of the session keyring
 *   hako-probe sched               "POLICY NICE" of this process (SCHED_BATCH 5)
 *   hako-probe ioprio              "CLASS LEVEL" of this process (2 7 = best-effort 7)
 *   hako-probe nsmounts PID        (on the host) how many mounts hang below the
 *                                  parent of PID's root mount, in sight or not
 *                                  (statmount(2), listmount(2): Linux 6.8)
 *   hako-probe syscall NAME [ARG...]  make the syscall (NAME, or nr:N for a raw
 *                                  number) with harmless or invalid arguments (0
 *                                  unless given; see syscall_table); prints
 *                                  "ok RET" or the errno name; "SIGSYS" (exit 3)
 *                                  when the call raises it (SCMP_ACT_TRAP)
 *   hako-probe deny NAME CMD [ARG...]  (on the host) run CMD under a seccomp
 *                                  filter that fails syscall NAME (of
 *                                  syscall_table) with EPERM, as Docker's
 *                                  profile does to keyctl: hako inside a
 *                                  container
 *
 * Exit status 0 on success, 1 on failure, 2 on bad usage.  Later issues
 * add subcommands here rather than new binaries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{ "CPU", RLIMIT_CPU },	   { "FSIZE", RLIMIT_FSIZE },   { "DATA", RLIMIT_DATA },
	{ "STACK", RLIMIT_STACK }, { "CORE", RLIMIT_CORE },     { "RSS", RLIMIT_RSS },
	{ "NPROC", RLIMIT_NPROC }, { "NOFILE", RLIMIT_NOFILE }, { "MEMLOCK", RLIMIT_MEMLOCK },
	{ "AS", RLIMIT_AS },	   { "LOCKS", RLIMIT_LOCKS },   { "SIGPENDING", RLIMIT_SIGPENDING },
	{ "MSGQUEUE", RLIMIT_MSGQUEUE }, { "NICE", RLIMIT_NICE }, { "RTPRIO", RLIMIT_RTPRIO },
	{ "RTTIME", RLIMIT_RTTIME },
};

static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self;

	if (!d)
		return perror("opendir /proc/self/fd"), 1;
	self = dirfd(d);
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		char target[256] = "";
		if (e->d_name[0] == '.' || fd <= 2 || fd == self)
			continue;
		char link[64];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("%d %s\n", fd, target);
	}
	closedir(d);
	return 0;
}

static int cmd_rlimit(const char *name)
{
	struct rlimit rl;

	if (!strncmp(name, "RLIMIT_", 7))
		name += 7;
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
		if (strcmp(rlimits[i].name, name))
			continue;
		if (getrlimit(rlimits[i].resource, &rl) < 0)
			return perror("getrlimit"), 1;
		printf("%lld %lld\n", rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
		       rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
		return 0;
	}
	fprintf(stderr, "unknown rlimit %s\n", name);
	return 2;
}

static int cmd_mlockall(const char *bytes)
{
	size_t n = strtoull(bytes, NULL, 0);
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return perror("mmap"), 1;
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_open(const char *path, const char *mode)
{
	int flags = !strcmp(mode, "w") ? O_WRONLY | O_CREAT : O_RDONLY;
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}

static int cmd_keyring(void)
{
	char desc[256];
	long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	long n;

	if (id < 0)
		return perror("keyctl(KEYCTL_GET_KEYRING_ID)"), 1;
	n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, desc, sizeof(desc));
	if (n < 0)
		return perror("keyctl(KEYCTL_DESCRIBE)"), 1;
	desc[sizeof(desc) - 1] = '\0';
	/* "type;uid;gid;perm;description": print the description */
	printf("%ld %s\n", id, strrchr(desc, ';') ? strrchr(desc, ';') + 1 : desc);
	return 0;
}

static int cmd_sched(void)
{
	static const char *const names[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
					     "SCHED_BATCH", "SCHED_ISO",  "SCHED_IDLE",
					     "SCHED_DEADLINE" };
	int policy = sched_getscheduler(0);

	if (policy < 0)
		return perror("sched_getscheduler"), 1;
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, 0);
	if (errno)
		return perror("getpriority"), 1;
	policy &= ~0x40000000; /* SCHED_RESET_ON_FORK */
	printf("%s %d\n", policy >= 0 && policy < 7 ? names[policy] : "?", nice);
	return 0;
}

static int cmd_ioprio(void)
{
	long v = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);

	if (v < 0)
		return perror("ioprio_get"), 1;
	printf("%ld %ld\n", v >> 13, v & 0xff);
	return 0;
}

/* Syscalls the seccomp tests make.  Arguments default to 0, which makes
 * each of these fail harmlessly (EINVAL, EFAULT, ESRCH, a no-op) when the
 * filter lets it through: the test tells the filter's errno from the
 * kernel's. */
static const struct {
	const char *name;
	long nr;
	unsigned long args[6];
} syscall_table[] = {
	{ "getpid", SYS_getpid, { 0 } },
	{ "getppid", SYS_getppid, { 0 } },
	{ "uname", SYS_uname, { 0 } },
	{ "sysinfo", SYS_sysinfo, { 0 } },
	{ "mlock", SYS_mlock, { 0 } },
	{ "mlockall", SYS_mlockall, { 0 } },	     /* flags 0: EINVAL */
	{ "munlockall", SYS_munlockall, { 0 } },
	{ "ptrace", SYS_ptrace, { 16, 0 } },	     /* PTRACE_ATTACH to pid 0: ESRCH */
	{ "process_vm_readv", SYS_process_vm_readv, { 0 } },
	{ "kcmp", SYS_kcmp, { 0 } },		     /* pid 0: ESRCH */
	{ "personality", SYS_personality, { 0xffffffff } }, /* query */
	{ "reboot", SYS_reboot, { 0 } },	     /* bad magic: EINVAL (EPERM without the cap) */
	{ "syslog", SYS_syslog, { 10 } },	     /* SYSLOG_ACTION_SIZE_BUFFER */
	{ "acct", SYS_acct, { 0 } },
	{ "settimeofday", SYS_settimeofday, { 0 } }, /* both NULL: a no-op */
	{ "clock_settime", SYS_clock_settime, { 0 } },
	{ "adjtimex", SYS_adjtimex, { 0 } },	     /* NULL: EFAULT */
	{ "unshare", SYS_unshare, { 0 } },	     /* no flags: a no-op */
	{ "setns", SYS_setns, { 0 } },		     /* fd 0 is no namespace: EINVAL */
	{ "clone3", SYS_clone3, { 0 } },	     /* size 0: EINVAL */
	{ "chroot", SYS_chroot, { 0 } },	     /* NULL: EFAULT */
	{ "mount", SYS_mount, { 0 } },
	{ "keyctl", SYS_keyctl, { 0 } },
	{ "io_uring_setup", SYS_io_uring_setup, { 0 } }, /* 0 entries: EINVAL */
	{ "userfaultfd", SYS_userfaultfd, { ~0UL } },	 /* bad flags: EINVAL */
	{ "bpf", SYS_bpf, { ~0UL } },			 /* bad command: EINVAL */
	{ "perf_event_open", SYS_perf_event_open, { 0 } },
	{ "sethostname", SYS_sethostname, { 0 } },
	{ "mbind", SYS_mbind, { 0 } },
	{ "init_module", SYS_init_module, { 0 } },
	{ "open_by_handle_at", SYS_open_by_handle_at, { ~0UL } }, /* bad fd: EBADF */
	{ "getcpu", SYS_getcpu, { 0 } },
	{ "sched_yield", SYS_sched_yield, { 0 } },
};

/* SCMP_ACT_TRAP delivers SIGSYS, which a handler can catch; the kill
 * actions cannot be caught.  The tests tell them apart by this line. */
static void on_sigsys(int sig)
{
	static const char msg[] = "SIGSYS\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(4);
	_exit(3);
}

/* clone: a child that exits at once, so that flags (argv) can be tried. */
static long try_clone(unsigned long flags)
{
	long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}

static int cmd_syscall(int argc, char **argv)
{
	const char *name = argv[0];
	unsigned long a[6] = { 0 };
	long nr = -1, ret;

	for (size_t i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
		if (!strcmp(syscall_table[i].name, name)) {
			nr = syscall_table[i].nr;
			memcpy(a, syscall_table[i].args, sizeof(a));
		}
	if (!strncmp(name, "nr:", 3))
		nr = strtol(name + 3, NULL, 0);
	if (nr < 0 && strcmp(name, "clone")) {
		fprintf(stderr, "hako-probe: syscall %s is not in the probe's table; use nr:N\n",
			name);
		return 2;
	}
	for (int i = 1; i < argc && i <= 6; i++)
		a[i - 1] = strtoul(argv[i], NULL, 0);
	signal(SIGSYS, on_sigsys);
	errno = 0;
	if (!strcmp(name, "clone"))
		ret = try_clone(a[0]);
	else
		ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ret < 0) {
		printf("%s\n", strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
		return 1;
	}
	printf("ok %ld\n", ret);
	return 0;
}

/* listmount(2) is newer than the headers of Debian 12. */
struct probe_mnt_id_req {
	uint32_t size, spare;
	uint64_t mnt_id, param;
};

/* How many mounts hang below the parent of PID's root mount.  After
 * pivot_root the old root is detached and the root mount is the top of
 * its namespace; after a chroot the old root still holds the host's
 * mounts, out of sight.  statx(STATX_MNT_ID_UNIQUE), statmount(2) and
 * listmount(2) (Linux 6.8) see them; their numbers are not in Debian 12's
 * headers. */
static int cmd_nsmounts(const char *pid)
{
	struct probe_mnt_id_req req = { .size = 24 };
	uint64_t sm[64] = { 0 }, ids[4096];
	struct statx stx;
	char path[64];
	long n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNS) < 0)
		return perror(path), 1;
	if (statx(AT_FDCWD, "/", 0, 0x4000 /* STATX_MNT_ID_UNIQUE */, &stx) < 0 ||
	    !(stx.stx_mask & 0x4000))
		return fprintf(stderr, "statx: no unique mount id\n"), 1;
	req.mnt_id = stx.stx_mnt_id;
	req.param = 0x2; /* STATMOUNT_MNT_BASIC */
	if (syscall(457 /* statmount */, &req, sm, sizeof(sm), 0) < 0)
		return perror("statmount"), 1;
	/* struct statmount: mnt_id at byte 40, mnt_parent_id at 48 */
	if (sm[6] == sm[5]) {
		printf("0\n"); /* the root mount is its own parent: nothing below */
		return 0;
	}
	req.mnt_id = sm[6];
	req.param = 0;
	n = syscall(458 /* listmount */, &req, ids, 4096, 0);
	if (n < 0)
		return perror("listmount"), 1;
	printf("%ld\n", n);
	return 0;
}

static int cmd_deny(const char *name, char **argv)
{
	long nr = -1;

	for (size_t i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
		if (!strcmp(syscall_table[i].name, name))
			nr = syscall_table[i].nr;
	if (nr < 0) {
		fprintf(stderr, "hako-probe: deny: unknown syscall %s\n", name);
		return 2;
	}
	/* the native architecture only: what the caller runs is native */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("hako-probe: deny: seccomp");
		return 1;
	}
	execvp(argv[0], argv);
	perror("hako-probe: deny: execvp");
	return 1;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(143);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "fds"))
		return cmd_fds();
	if (!strcmp(cmd, "rlimit") && argc > 2)
		return cmd_rlimit(argv[2]);
	if (!strcmp(cmd, "umask")) {
		mode_t m = umask(0);
		printf("%04o\n", (unsigned)m);
		return 0;
	}
	if (!strcmp(cmd, "mlockall") && argc > 2)
		return cmd_mlockall(argv[2]);
	if (!strcmp(cmd, "open") && argc > 3)
		return cmd_open(argv[2], argv[3]);
	if (!strcmp(cmd, "sleep") && argc > 2) {
		signal(SIGTERM, on_term);
		sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	if (!strcmp(cmd, "exit") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(cmd, "keyring"))
		return cmd_keyring();
	if (!strcmp(cmd, "sched"))
		return cmd_sched();
	if (!strcmp(cmd, "ioprio"))
		return cmd_ioprio();
	if (!strcmp(cmd, "syscall") && argc > 2)
		return cmd_syscall(argc - 2, argv + 2);
	if (!strcmp(cmd, "nsmounts") && argc > 2)
		return cmd_nsmounts(argv[2]);
	if (!strcmp(cmd, "deny") && argc > 3)
		return cmd_deny(argv[2], argv + 3);
	fprintf(stderr, "usage: hako-probe fds|rlimit NAME|umask|mlockall BYTES|open PATH r|w|"
			"sleep S|exit N|"
			"keyring|sched|ioprio|nsmounts PID|syscall NAME [ARG...]|deny NAME CMD...\n");
	return 2;
}
