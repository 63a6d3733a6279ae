/* spec.c - `hako spec`: write a default config.json, with the process,
 * user, capabilities, rlimits, sysctls and seccomp additions the command
 * line asks for. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"
#include "spec/default.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

struct lists {
	struct default_rlimit *rlimits;
	const char **sysctls, **allow;
	size_t n_rlimits, n_sysctls, n_allow;
};

static void push(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

static int parse_id_pair(const char *s, uint32_t *uid, uint32_t *gid)
{
	unsigned long long u, g;
	_cleanup_free_ char *copy = xstrdup(s);
	char *colon = strchr(copy, ':');

	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (parse_u64(copy, &u) < 0 || parse_u64(colon + 1, &g) < 0 || u > UINT32_MAX ||
	    g > UINT32_MAX)
		return -EINVAL;
	*uid = (uint32_t)u;
	*gid = (uint32_t)g;
	return 0;
}

/* "IPC_LOCK", "cap_ipc_lock", "ALL" */
static int parse_cap(const char *opt, const char *s, uint64_t *set, struct hako_err *err)
{
	int cap;

	if (!strcasecmp(s, "ALL")) {
		*set |= HAKO_CAP_LAST >= 63 ? ~0ULL : (1ULL << (HAKO_CAP_LAST + 1)) - 1;
		return 0;
	}
	cap = cap_from_user(s);
	if (cap < 0) {
		const char *near = cap_suggest(s);
		int r = cli_usage_error("spec", err, "%s: unknown capability \"%s\"", opt, s);
		if (near)
			hako_err_hint(err, "did you mean %s?", near);
		return r;
	}
	*set |= 1ULL << cap;
	return 0;
}

static int parse_limit(const char *s, uint64_t *out)
{
	unsigned long long v;

	if (!strcmp(s, "unlimited") || !strcmp(s, "infinity") || !strcmp(s, "-1")) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (parse_u64(s, &v) < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* TYPE=SOFT[:HARD], TYPE as "nofile", "NOFILE" or "RLIMIT_NOFILE" */
static int parse_rlimit(const char *s, struct lists *l, struct hako_err *err)
{
	_cleanup_free_ char *copy = xstrdup(s);
	char *eq = strchr(copy, '='), *colon;
	struct default_rlimit rl;

	if (!eq)
		return cli_usage_error("spec", err, "--rlimit takes TYPE=SOFT[:HARD], not \"%s\"", s);
	*eq = '\0';
	colon = strchr(eq + 1, ':');
	if (colon)
		*colon = '\0';
	rl.resource = rlimit_from_user(copy);
	if (rl.resource < 0)
		return cli_usage_error("spec", err, "--rlimit: unknown limit \"%s\" (NOFILE, "
						    "MEMLOCK, NPROC, ...)",
				       copy);
	if (parse_limit(eq + 1, &rl.soft) < 0 || parse_limit(colon ? colon + 1 : eq + 1, &rl.hard) < 0)
		return cli_usage_error("spec", err, "--rlimit %s: limits are numbers or "
						    "\"unlimited\", not \"%s\"",
				       copy, colon ? colon + 1 : eq + 1);
	if (rl.soft > rl.hard)
		return cli_usage_error("spec", err, "--rlimit %s: the soft limit %s is above the "
						    "hard limit",
				       copy, eq + 1);
	l->rlimits = xrealloc(l->rlimits, (l->n_rlimits + 1) * sizeof(*l->rlimits));
	l->rlimits[l->n_rlimits++] = rl;
	return 0;
}

static int parse(int argc, char **argv, struct default_opts *o, struct lists *l,
		 const char **bundle, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'R' },
		{ "user", required_argument, NULL, 'u' },
		{ "cap-add", required_argument, NULL, 'a' },
		{ "cap-drop", required_argument, NULL, 'd' },
		{ "rlimit", required_argument, NULL, 'l' },
		{ "sysctl", required_argument, NULL, 's' },
		{ "seccomp-allow", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, "+b:u:", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			*bundle = optarg;
			break;
		case 'R':
			o->rootless = true;
			break;
		case 'u':
			if (parse_id_pair(optarg, &o->uid, &o->gid) < 0)
				return cli_usage_error("spec", err,
						       "--user takes UID:GID (numbers), not \"%s\"",
						       optarg);
			o->user_set = true;
			break;
		case 'a':
		case 'd':
			r = parse_cap(c == 'a' ? "--cap-add" : "--cap-drop", optarg,
				      c == 'a' ? &o->cap_add : &o->cap_drop, err);
			if (r)
				return r;
			break;
		case 'l':
			if ((r = parse_rlimit(optarg, l, err)))
				return r;
			break;
		case 's':
			push(&l->sysctls, &l->n_sysctls, optarg);
			break;
		case 'S':
			push(&l->allow, &l->n_allow, optarg);
			break;
		default:
			return cli_usage_error("spec", err, "unknown option");
		}
	}
	if (optind < argc) {
		o->args = (const char *const *)argv + optind;
		o->n_args = (size_t)(argc - optind);
	}
	o->rlimits = l->rlimits;
	o->n_rlimits = l->n_rlimits;
	o->sysctls = l->sysctls;
	o->n_sysctls = l->n_sysctls;
	o->seccomp_allow = l->allow;
	o->n_seccomp_allow = l->n_allow;
	return 0;
}

static void lists_release(struct lists *l)
{
	free(l->rlimits);
	free(l->sysctls);
	free(l->allow);
}

int cmd_spec(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	struct default_opts o = { .host_uid = getuid(), .host_gid = getgid() };
	_cleanup_(lists_release) struct lists l = { 0 };
	_cleanup_free_ char *json = NULL, *path = NULL;
	const char *bundle = ".";
	int r;

	(void)g;
	if ((r = parse(argc, argv, &o, &l, &bundle, err)) != 0)
		return r;
	if (spec_default_check(&o, err) < 0)
		return 2;
	json = spec_default_json(&o);
	path = xasprintf("%s/config.json", bundle);
	if (write_file_at(AT_FDCWD, path, json, strlen(json), O_CREAT | O_EXCL, 0644, err) < 0) {
		if (err->errnum == EEXIST)
			hako_err_hint(err, "'%s' exists already; remove it first", path);
		return 1;
	}
	return 0;
}
