/* main.c - hako's entry point: global options, the verb table, and the one
 * place where errors are printed. */
#include <getopt.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/state.h"
#include "util/cleanup.h"

const struct command cli_commands[] = {
	{ "create", "create a container from a bundle; its process waits for 'start'",
	  "create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] [--no-pivot]\n"
	  "       [--no-new-keyring] [--preserve-fds N] [--seccomp-report] ID",
	  cmd_create },
	{ "start", "start the process of a created container", "start ID", cmd_start },
	{ "run", "create and start a container, and wait for it unless detached",
	  "run [--bundle DIR] [-d|--detach] [--pid-file FILE] [--console-socket SOCKET]\n"
	  "       [--no-pivot] [--no-new-keyring] [--preserve-fds N] [--seccomp-report] ID",
	  cmd_run },
	{ "state", "print the state of a container as JSON", "state ID", cmd_state },
	{ "kill", "send a signal (default TERM) to a container's process",
	  "kill [--all|-a] ID [SIGNAL]", cmd_kill },
	{ "delete", "delete a stopped container and everything create made",
	  "delete [--force|-f] ID", cmd_delete },
	{ "list", "list containers", "list [--format table|json] [--quiet|-q]", cmd_list },
	{ "pause", "freeze every process of a running container", "pause ID", cmd_pause },
	{ "resume", "thaw a paused container", "resume ID", cmd_resume },
	{ "update", "change the cgroup resources of a running container",
	  "update [--memory BYTES] [--memory-swap BYTES] [--memory-reservation BYTES]\n"
	  "       [--kernel-memory-tcp BYTES] [--cpu-quota N] [--cpu-period N] [--cpu-share N]\n"
	  "       [--cpu-burst N] [--cpu-idle 0|1] [--cpuset-cpus LIST] [--cpuset-mems LIST]\n"
	  "       [--cpu-rt-runtime N] [--cpu-rt-period N] [--pids-limit N] [--blkio-weight N] ID\n"
	  "       update -r|--resources FILE|- ID   (an OCI LinuxResources JSON object)",
	  cmd_update },
	{ "ps", "list the processes of a container",
	  "ps [--format table|json] ID [ps options (default -ef)]", cmd_ps },
	{ "events", "print stats and OOM events of a container as JSON",
	  "events [--stats] [--interval DURATION (default 5s)] ID", cmd_events },
	{ "spec", "write a default config.json for a bundle",
	  "spec [--bundle DIR] [--rootless] [--user UID:GID] [--cap-add CAP] [--cap-drop CAP]\n"
	  "       [--rlimit TYPE=SOFT[:HARD]] [--sysctl KEY=VALUE] [--seccomp-allow NAME|@group]\n"
	  "       [-- CMD ARGS...]",
	  cmd_spec },
	{ "features", "print the runtime-spec features hako implements, as JSON", "features",
	  cmd_features },
	{ "seccomp", "list the syscall groups (@default, @memlock, ...) and their syscalls",
	  "seccomp groups [--expand] [@GROUP...]", cmd_seccomp },
	{ "check", "predict what would fail in a bundle on this host, before anything starts",
	  "check [--bundle|-b DIR] [--format text|json] [--list]", cmd_check },
	{ NULL, NULL, NULL, NULL },
};

static void print_version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("hako version %s\nspec: %s\nlibseccomp: %u.%u.%u\n", HAKO_VERSION, HAKO_OCI_VERSION,
	       v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
}

static void print_help(FILE *out)
{
	fprintf(out, "usage: hako [--root DIR] [--log FILE] [--log-format text|json] [--debug] "
		     "COMMAND [ARGS...]\n\n"
		     "An OCI container runtime with the command line of runc.\n\ncommands:\n");
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fprintf(out, "\nglobal options:\n"
		     "  --root DIR          state directory (default " HAKO_DEFAULT_ROOT ")\n"
		     "  --log FILE          write messages to FILE instead of stderr\n"
		     "  --log-format FMT    text (default) or json, as runc writes it\n"
		     "  --debug             print debug messages\n"
		     "  -v, --version       print the version\n"
		     "  -h, --help          print this help; 'hako COMMAND --help' for a command\n");
}

const struct command *cli_find(const char *name)
{
	for (const struct command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

bool cli_wants_help(const struct command *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: hako %s\n\n%s\n", cmd->usage, cmd->summary);
			return true;
		}
	}
	return false;
}

int cli_usage_error(const char *cmd, struct hako_err *err, const char *fmt, ...)
{
	const struct command *c = cli_find(cmd);
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hako_fail(err, 0, "usage", NULL, "%s: %s", cmd, msg);
	if (c)
		hako_err_hint(err, "usage: hako %s", c->usage);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "systemd-cgroup", no_argument, NULL, 's' },
		{ "rootless", required_argument, NULL, 'R' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct global_opts g = { .root = HAKO_DEFAULT_ROOT };
	struct hako_err err = { 0 };
	const struct command *cmd;
	const char *log_format = "text";
	bool systemd_cgroup = false;
	int c, status;

	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			g.root = optarg;
			break;
		case 'l':
			g.log_path = optarg;
			break;
		case 'f':
			log_format = optarg;
			break;
		case 'd':
			g.debug = true;
			break;
		case 's':
			systemd_cgroup = true;
			break;
		case 'R':
			break; /* runc's --rootless=auto|true|false: hako decides by itself */
		case 'v':
			print_version();
			return 0;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return 2;
		}
	}
	if (!strcmp(log_format, "json"))
		g.log_format = LOG_FORMAT_JSON;
	else if (strcmp(log_format, "text")) {
		fprintf(stderr, "hako: --log-format must be text or json, not \"%s\"\n", log_format);
		return 2;
	}
	if (log_setup(g.log_path, g.log_format, g.debug, &err) < 0) {
		log_error(&err);
		return 1;
	}
	if (systemd_cgroup)
		hako_warn("--systemd-cgroup: hako manages cgroupfs directly; the cgroup path is "
			  "used as a cgroupfs path");
	if (optind >= argc) {
		print_help(stderr);
		return 2;
	}
	cmd = cli_find(argv[optind]);
	if (!cmd) {
		hako_fail(&err, 0, "usage", NULL, "unknown command \"%s\"", argv[optind]);
		hako_err_hint(&err, "'hako --help' lists the commands");
		log_error(&err);
		return 2;
	}
	argc -= optind;
	argv += optind;
	if (cli_wants_help(cmd, argc, argv))
		return 0;
	optind = 0; /* reset getopt for the command (0 also re-reads GNU extensions) */
	status = cmd->run(argc, argv, &g, &err);
	if (status != 0 && hako_err_is_set(&err))
		log_error(&err);
	return status;
}
