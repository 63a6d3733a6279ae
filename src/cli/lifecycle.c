/* lifecycle.c - `hako start`, `state`, `kill`, `delete`: an id (and a few
 * options) in, one runtime call out. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/container.h"
#include "spec/names.h"
#include "util/cleanup.h"

static int one_id(const char *name, int argc, char **argv, const char **id,
		  struct hako_err *err)
{
	if (optind >= argc)
		return cli_usage_error(name, err, "a container id is required");
	*id = argv[optind++];
	return 0;
}

int cmd_start(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	const char *id = NULL;
	int r;

	optind = 1;
	if ((r = one_id("start", argc, argv, &id, err)))
		return r;
	return container_start(g->root, id, err) < 0 ? 1 : 0;
}

int cmd_state(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	_cleanup_free_ char *json = NULL;
	const char *id = NULL;
	int r;

	optind = 1;
	if ((r = one_id("state", argc, argv, &id, err)))
		return r;
	if (container_state(g->root, id, &json, err) < 0)
		return 1;
	puts(json);
	return 0;
}

int cmd_kill(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *id = NULL, *signame = "TERM";
	bool all = false;
	int c, sig, r;

	while ((c = getopt_long(argc, argv, "a", longopts, NULL)) != -1) {
		if (c != 'a')
			return cli_usage_error("kill", err, "unknown option");
		all = true;
	}
	if ((r = one_id("kill", argc, argv, &id, err)))
		return r;
	if (optind < argc)
		signame = argv[optind++];
	if (optind < argc)
		return cli_usage_error("kill", err, "too many arguments");
	sig = signal_from_name(signame);
	if (sig < 0)
		return cli_usage_error("kill", err, "unknown signal \"%s\" (a name such as TERM or "
						    "SIGKILL, or a number)", signame);
	return container_kill(g->root, id, sig, all, err) < 0 ? 1 : 0;
}

int cmd_delete(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *id = NULL;
	bool force = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "f", longopts, NULL)) != -1) {
		if (c != 'f')
			return cli_usage_error("delete", err, "unknown option");
		force = true;
	}
	if ((r = one_id("delete", argc, argv, &id, err)))
		return r;
	return container_delete(g->root, id, force, err) < 0 ? 1 : 0;
}
