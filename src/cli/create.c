/* create.c - `hako create` and `hako run`: the same options, one call. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/container.h"
#include "util/fs.h"

/* --preserve-fds N passes fds 3 .. 3+N-1 on.  Each must be one the caller
 * opened: if fewer were passed, hako's own log file could sit in the gap
 * and reach the container. */
static int check_preserved_fds(unsigned n, struct hako_err *err)
{
	for (int fd = 3; fd < 3 + (int)n; fd++) {
		if (fd == log_fd())
			return hako_fail(err, EBADF, "preserve fds", NULL,
					 "--preserve-fds %u: fd %d is hako's --log file, not one passed "
					 "to hako",
					 n, fd);
		if (fcntl(fd, F_GETFD) < 0)
			return hako_fail(err, errno, "preserve fds", NULL,
					 "--preserve-fds %u: fd %d is not open", n, fd);
	}
	return 0;
}

static int parse(const char *name, int argc, char **argv, bool allow_detach,
		 struct create_opts *o, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "no-pivot", no_argument, NULL, 'P' },
		{ "no-new-keyring", no_argument, NULL, 'K' },
		{ "preserve-fds", required_argument, NULL, 'F' },
		{ "detach", no_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'k' },
		{ "no-subreaper", no_argument, NULL, 'S' },
		{ "seccomp-report", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long n;
	int c;

	o->bundle = ".";
	while ((c = getopt_long(argc, argv, "b:d", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->bundle = optarg;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'c':
			o->console_socket = optarg;
			break;
		case 'P':
			o->no_pivot = true;
			break;
		case 'K':
			o->no_new_keyring = true;
			break;
		case 'F':
			if (parse_u64(optarg, &n) < 0 || n > 1024)
				return cli_usage_error(name, err, "--preserve-fds takes a number, not "
								  "\"%s\"", optarg);
			o->preserve_fds = (unsigned)n;
			break;
		case 'd':
			if (!allow_detach)
				return cli_usage_error(name, err, "unknown option --detach");
			o->mode = MODE_RUN_DETACHED;
			break;
		case 'R':
			o->seccomp_report = true;
			break;
		case 'k':
		case 'S':
			break; /* runc options hako has no use for */
		default:
			return cli_usage_error(name, err, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(name, err, "exactly one container id is required");
	o->id = argv[optind];
	return check_preserved_fds(o->preserve_fds, err) < 0 ? 1 : 0;
}

int cmd_create(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	struct create_opts o = { .root = g->root, .mode = MODE_CREATE };
	int status;
	int r = parse("create", argc, argv, false, &o, err);

	if (r)
		return r;
	return container_create(&o, &status, err) < 0 ? 1 : 0;
}

int cmd_run(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	struct create_opts o = { .root = g->root, .mode = MODE_RUN };
	int status = 0;
	int r = parse("run", argc, argv, true, &o, err);

	if (r)
		return r;
	if (container_create(&o, &status, err) < 0)
		return 1;
	return o.mode == MODE_RUN ? status : 0;
}
