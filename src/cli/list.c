/* list.c - `hako list`: every container under the state root. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/state.h"
#include "util/buf.h"
#include "util/cleanup.h"

int cmd_list(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "table";
	bool quiet = false, json;
	char **ids = NULL;
	size_t n = 0;
	int c;

	while ((c = getopt_long(argc, argv, "f:q", longopts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'q')
			quiet = true;
		else
			return cli_usage_error("list", err, "unknown option");
	}
	json = !strcmp(format, "json");
	if (!json && strcmp(format, "table"))
		return cli_usage_error("list", err, "--format is table or json, not \"%s\"", format);
	if (state_list(g->root, &ids, &n, err) < 0)
		return 1;
	if (json)
		fputs("[", stdout);
	else if (!quiet)
		printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	for (size_t i = 0, shown = 0; i < n; i++) {
		struct container_state *st = NULL;
		struct hako_err ignored = { 0 };

		if (state_peek(g->root, ids[i], &st, &ignored) < 0)
			continue;
		enum container_status status = state_status(st);
		pid_t pid = status == STATUS_STOPPED ? 0 : st->pid;
		if (quiet && !json)
			puts(st->id);
		else if (json) {
			_cleanup_free_ char *one = state_oci_json(st, status);
			printf("%s%s", shown ? "," : "", one);
		} else
			printf("%-20s %-8d %-10s %-40s %-30s %u\n", st->id, (int)pid,
			       status_name(status), st->bundle ? st->bundle : "",
			       st->created ? st->created : "", (unsigned)st->owner);
		shown++;
		state_free(st);
	}
	if (json)
		puts("]");
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return 0;
}
