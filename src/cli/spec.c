/* spec.c - `hako spec`: write a default config.json. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "spec/default.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

int cmd_spec(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct default_opts o = { .host_uid = getuid(), .host_gid = getgid() };
	_cleanup_free_ char *json = NULL, *path = NULL;
	const char *bundle = ".";
	int c;

	(void)g;
	while ((c = getopt_long(argc, argv, "+b:", longopts, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'R')
			o.rootless = true;
		else
			return cli_usage_error("spec", err, "unknown option");
	}
	if (optind < argc) {
		o.args = (const char *const *)argv + optind;
		o.n_args = (size_t)(argc - optind);
	}
	json = spec_default_json(&o);
	path = xasprintf("%s/config.json", bundle);
	if (write_file_at(AT_FDCWD, path, json, strlen(json), O_CREAT | O_EXCL, 0644, err) < 0) {
		if (err->errnum == EEXIST)
			hako_err_hint(err, "'%s' exists already; remove it first", path);
		return 1;
	}
	return 0;
}
