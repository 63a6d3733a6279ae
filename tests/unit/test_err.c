/* test_err.c - struct hako_err: filling, the hint table, the one-line
 * format, the JSON log line containerd reads, and the text block. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "tap.h"
#include "util/err.h"
#include "util/log.h"

TEST(fail_fills_fields)
{
	struct hako_err err;
	int r;

	memset(&err, 'x', sizeof(err));
	r = hako_fail(&err, ENOSPC, "mount", "/sys/fs/cgroup", "cannot mount %s on '%s'", "tmpfs",
		      "/sys/fs/cgroup");
	is_int(r, -ENOSPC, "returns -errno");
	is_int(hako_err_code(&err), -ENOSPC, "hako_err_code agrees");
	is_int(err.errnum, ENOSPC, "errnum");
	is_str(err.step, "mount", "step");
	is_str(err.path, "/sys/fs/cgroup", "path");
	is_str(err.config, "", "config starts empty (the struct is cleared)");
	is_str(err.msg, "cannot mount tmpfs on '/sys/fs/cgroup'", "msg");
	like(err.hint, "the mount table is full", "the hint comes from the table (mount, ENOSPC)");
	ok(hako_err_is_set(&err), "hako_err_is_set");

	hako_fail(&err, ENOSPC, "write cgroup.procs", NULL, "cannot join");
	like(err.hint, "ENOSPC here is not about disk space", "same errno, other step, other hint");
	is_str(err.path, "", "a NULL path is empty");
	hako_fail(&err, ENOENT, "execve", "/x", "cannot run '/x'");
	like(err.hint, "#! line", "execve ENOENT explains the interpreter");
	hako_fail(&err, EPERM, "setns(net)", "/run/netns/a", "cannot join");
	like(err.hint, "CAP_SYS_ADMIN in the user namespace that owns it",
	     "a step is matched by its prefix (setns(net) -> setns)");
	hako_fail(&err, EXDEV, "mount", NULL, "x");
	is_str(err.hint, "", "no hint for a pair the table lacks");
	r = hako_fail(&err, 0, "parse json", "config.json", "not JSON");
	is_int(r, -EINVAL, "errno 0 returns -EINVAL");
	is_str(err.hint, "", "and looks up no hint");
	is_int(hako_fail(NULL, EPERM, "x", NULL, "y"), -EPERM, "a NULL err still returns -errno");

	ok(hint_lookup("mount", ENODEV) != NULL, "hint_lookup(mount, ENODEV)");
	ok(hint_lookup(NULL, EPERM) == NULL && hint_lookup("mount", 0) == NULL,
	   "hint_lookup without a step or errno");
}

TEST(config_hint_prefix)
{
	struct hako_err err;
	int r;

	r = hako_fail_config(&err, "process.cwd", "process.cwd: \"%s\" is not absolute", "tmp");
	is_int(r, -EINVAL, "hako_fail_config returns -EINVAL");
	is_int(err.errnum, 0, "no errno");
	is_str(err.step, "validate config", "its step");
	is_str(err.config, "process.cwd", "config");
	hako_err_config(&err, "mounts[%d]", 3);
	is_str(err.config, "process.cwd", "hako_err_config keeps a deeper caller's path");
	hako_fail(&err, EACCES, "mount", "/x", "cannot mount");
	hako_err_config(&err, "mounts[%d]", 3);
	is_str(err.config, "mounts[3]", "and fills an empty one");
	hako_err_hint(&err, "try %s", "this");
	is_str(err.hint, "try this", "hako_err_hint replaces the hint");
	hako_err_prefix(&err, "hook %s[%d]", "poststart", 0);
	is_str(err.msg, "hook poststart[0]: cannot mount", "hako_err_prefix");
	is_str(errno_name(EPERM), "EPERM", "errno_name(EPERM)");
	is_str(errno_name(ENOSPC), "ENOSPC", "errno_name(ENOSPC)");
	is_str(errno_name(100000), "E?", "errno_name of nothing");
}

TEST(format)
{
	struct hako_err err;
	char buf[1024], small[24];

	hako_fail(&err, ENOENT, "execve", "/entrypoint.sh", "cannot run '/entrypoint.sh'");
	hako_err_format(&err, false, buf, sizeof(buf));
	is_str(buf, "cannot run '/entrypoint.sh': No such file or directory (ENOENT)",
	       "msg: strerror (NAME)");
	hako_err_hint(&err, "its #! interpreter does not exist");
	hako_err_format(&err, true, buf, sizeof(buf));
	is_str(buf,
	       "cannot run '/entrypoint.sh': No such file or directory (ENOENT); its #! "
	       "interpreter does not exist",
	       "with_hint appends it after \"; \"");
	hako_err_config(&err, "process.args[0]");
	hako_err_format(&err, false, buf, sizeof(buf));
	like(buf, "(ENOENT) [config: process.args[0]]", "a config path not in the text is added");
	hako_fail_config(&err, "process.user.uid",
			 "process.user.uid: expected an unsigned 32-bit integer, got \"x\"");
	hako_err_format(&err, true, buf, sizeof(buf));
	is_str(buf, "process.user.uid: expected an unsigned 32-bit integer, got \"x\"",
	       "no errno text and no repeated path for a config error");
	hako_err_format(&err, true, small, sizeof(small));
	is_int(strlen(small), sizeof(small) - 1, "a small buffer is filled and terminated");
}

/* The string member `key` of a parsed JSON object, or NULL. */
static const char *member(yajl_val obj, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(obj, path, yajl_t_string);

	return v ? v->u.string : NULL;
}

static bool rfc3339_utc(const char *t)
{
	int y, mo, d, h, mi, s, n = 0;
	char frac[16];

	return t && sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%9[0-9]Z%n", &y, &mo, &d, &h, &mi, &s, frac,
			   &n) == 7 &&
	       (size_t)n == strlen(t) && strlen(frac) == 9 && mo >= 1 && mo <= 12 && d >= 1 &&
	       d <= 31 && h < 24 && mi < 60 && s <= 60 && y >= 2024;
}

TEST(json_line)
{
	struct hako_err err;
	char parse_error[256];
	char *line;
	yajl_val v;

	hako_fail(&err, EPERM, "setrlimit", "/proc/1", "cannot set RLIMIT_MEMLOCK \"8M\"\n\tnext");
	hako_err_config(&err, "process.rlimits[1]");
	line = log_json_line("error", &err, NULL);
	ok(line && line[strlen(line) - 1] == '\n', "the line ends in a newline");
	ok(strchr(line, '\n') == line + strlen(line) - 1, "no newline inside (escaped)");
	v = yajl_tree_parse(line, parse_error, sizeof(parse_error));
	ok(v && YAJL_IS_OBJECT(v), "the line is a JSON object");
	if (!v) {
		printf("# %s\n# %s", parse_error, line);
		free(line);
		return;
	}
	is_str(member(v, "level"), "error", "level");
	like(member(v, "msg"), "cannot set RLIMIT_MEMLOCK \"8M\"\n\tnext: Operation not permitted (EPERM)",
	     "msg carries the text, quotes and control characters intact");
	like(member(v, "msg"), "[config: process.rlimits[1]]; raising a hard limit needs",
	     "... with the config path and the hint");
	ok(rfc3339_utc(member(v, "time")), "time is RFC 3339 UTC with nanoseconds");
	is_str(member(v, "errno"), "EPERM", "errno by name");
	is_str(member(v, "step"), "setrlimit", "step");
	is_str(member(v, "path"), "/proc/1", "path");
	is_str(member(v, "config"), "process.rlimits[1]", "config");
	like(member(v, "hint"), "CAP_SYS_RESOURCE", "hint");
	yajl_tree_free(v);
	free(line);

	hako_fail_config(&err, "hostname", "hostname: is set");
	line = log_json_line("error", &err, NULL);
	v = yajl_tree_parse(line, parse_error, sizeof(parse_error));
	ok(v && !member(v, "errno") && !member(v, "path") && !member(v, "hint"),
	   "empty fields are left out");
	yajl_tree_free(v);
	free(line);

	line = log_json_line("warning", NULL, "capability CAP_BPF is not supported");
	v = yajl_tree_parse(line, parse_error, sizeof(parse_error));
	ok(v && !strcmp(member(v, "level"), "warning") &&
		   !strcmp(member(v, "msg"), "capability CAP_BPF is not supported") &&
		   rfc3339_utc(member(v, "time")) && !member(v, "step"),
	   "a plain message: level, msg, time only");
	yajl_tree_free(v);
	free(line);
}

static char *capture_text(const struct hako_err *err)
{
	static char out[4096];
	int p[2];
	ssize_t n;

	if (pipe(p) < 0)
		return NULL;
	log_error_text(err, p[1]);
	close(p[1]);
	n = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

TEST(text_block)
{
	struct hako_err err;

	hako_fail(&err, ENOENT, "execve", "/entrypoint.sh", "cannot run '/entrypoint.sh'");
	hako_err_hint(&err, "its #! interpreter \"/bin/bash\" does not exist in the container");
	is_str(capture_text(&err),
	       "hako: cannot run '/entrypoint.sh': No such file or directory (ENOENT)\n"
	       "  hint: its #! interpreter \"/bin/bash\" does not exist in the container\n",
	       "message line, then the hint; the path is in the message already");

	hako_fail(&err, ENOSPC, "write cgroup.procs", "/sys/fs/cgroup/cpuset/hako/x/cgroup.procs",
		  "cannot join the cpuset cgroup");
	is_str(capture_text(&err),
	       "hako: cannot join the cpuset cgroup: No space left on device (ENOSPC)\n"
	       "  path: /sys/fs/cgroup/cpuset/hako/x/cgroup.procs\n"
	       "  hint: ENOSPC here is not about disk space: the cgroup v1 cpuset has an empty "
	       "cpuset.cpus or cpuset.mems, so no task may join it\n",
	       "a path not in the message gets its own line");

	hako_fail_config(&err, "process.user.uid",
			 "process.user.uid: expected an unsigned 32-bit integer, got \"x\"");
	is_str(capture_text(&err),
	       "hako: process.user.uid: expected an unsigned 32-bit integer, got \"x\"\n",
	       "a config error is one line");
}

static const tap_test_fn tests[] = { fail_fills_fields, config_hint_prefix, format, json_line,
				     text_block, NULL };

int main(void)
{
	return tap_main(tests);
}
