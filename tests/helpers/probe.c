/*
 * hako-probe - a static multi-call program that integration tests put in
 * the rootfs to look at the container from inside, where busybox cannot.
 *
 *   hako-probe fds                 open fds other than 0-2, one per line
 *   hako-probe rlimit NAME         "SOFT HARD" of RLIMIT_NAME (unlimited as -1)
 *   hako-probe umask               the umask in octal
 *   hako-probe mlockall BYTES      map BYTES, mlockall; prints "ok" or the errno name
 *   hako-probe sleep SECONDS       sleep (pid 1 with a SIGTERM handler that exits 143)
 *   hako-probe exit N              exit with N
 *
 * Exit status 0 on success, 1 on failure, 2 on bad usage.  Later issues
 * add subcommands here rather than new binaries.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
	if (!strcmp(cmd, "sleep") && argc > 2) {
		signal(SIGTERM, on_term);
		sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	if (!strcmp(cmd, "exit") && argc > 2)
		return atoi(argv[2]);
	fprintf(stderr, "usage: hako-probe fds|rlimit NAME|umask|mlockall BYTES|sleep S|exit N\n");
	return 2;
}
