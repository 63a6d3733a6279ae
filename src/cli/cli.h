/* cli.h - the command line: global options, and one handler per verb.
 * A handler parses its own options and makes one runtime/ call; it never
 * prints an error itself but returns it for main() to print once. */
#ifndef HAKO_CLI_CLI_H
#define HAKO_CLI_CLI_H

#include <stdbool.h>

#include "util/err.h"
#include "util/log.h"

struct global_opts {
	const char *root;
	const char *log_path;
	enum log_format log_format;
	bool debug;
};

struct command {
	const char *name;
	const char *summary;
	const char *usage; /* printed by --help, after "usage: hako " */
	/* Returns the process exit status; on failure fills err and returns
	 * a non-zero status. */
	int (*run)(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
};

extern const struct command cli_commands[];

/* "--help" / "-h" among argv: print the command's usage and return true. */
bool cli_wants_help(const struct command *cmd, int argc, char **argv);
/* An error for a bad option or missing argument, with the usage. */
int cli_usage_error(const char *cmd, struct hako_err *err, const char *fmt, ...) HAKO_PRINTF(3, 4);
/* The command's record in cli_commands. */
const struct command *cli_find(const char *name);

int cmd_create(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_start(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_run(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_state(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_kill(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_delete(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_list(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_spec(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_features(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_seccomp(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_check(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_pause(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_resume(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_update(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_ps(int argc, char **argv, const struct global_opts *g, struct hako_err *err);
int cmd_events(int argc, char **argv, const struct global_opts *g, struct hako_err *err);

#endif
