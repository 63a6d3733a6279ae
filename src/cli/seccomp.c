/* seccomp.c - `hako seccomp groups`: systemd's syscall groups as hako
 * expands them in config.json and `hako spec --seccomp-allow`, with the
 * capability that brings each one into hako's default profile. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "linux/seccomp_groups.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"

struct line {
	struct buf b;
	size_t col;
};

static void add_word(const char *word, void *arg)
{
	struct line *l = arg;
	size_t len = strlen(word);

	if (l->col && l->col + 1 + len > 78) {
		buf_puts(&l->b, "\n   ");
		l->col = 3;
	}
	buf_printf(&l->b, " %s", word);
	l->col += 1 + len;
}

/* "CAP_SYS_TIME" for @clock: a capability whose list names the group. */
static const char *cap_of_group(const char *group)
{
	for (int cap = 0; cap <= HAKO_CAP_LAST; cap++)
		for (const char *const *s = seccomp_cap_syscalls(cap); s && *s; s++)
			if (!strcmp(*s, group))
				return cap_name(cap);
	return NULL;
}

static void print_group(const struct syscall_group *g, bool expand)
{
	_cleanup_buf_ struct buf head = { 0 };
	struct line l = { .col = 3 };
	const char *cap = cap_of_group(g->name);

	buf_printf(&head, "%s: %s", g->name, g->help);
	if (cap)
		buf_printf(&head, "; granting %s allows it", cap);
	buf_puts(&l.b, "   ");
	if (expand)
		seccomp_expand(g->name, add_word, &l);
	else
		for (const char *const *m = g->members; *m; m++)
			add_word(*m, &l);
	printf("%s\n%s\n", head.p, l.b.p);
	buf_release(&l.b);
}

static int groups(int argc, char **argv, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "expand", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	bool expand = false;
	size_t n;
	const struct syscall_group *all = seccomp_groups(&n);
	int c;

	while ((c = getopt_long(argc, argv, "e", longopts, NULL)) != -1) {
		if (c != 'e')
			return cli_usage_error("seccomp", err, "unknown option");
		expand = true;
	}
	for (int i = optind; i < argc; i++)
		if (!seccomp_group_find(argv[i])) {
			int r = cli_usage_error("seccomp", err, "unknown syscall group \"%s\"",
						argv[i]);
			hako_err_hint(err, "'hako seccomp groups' lists them all; group names start "
					   "with @");
			return r;
		}
	for (size_t i = 0; i < n; i++) {
		bool wanted = optind >= argc;
		for (int k = optind; k < argc; k++)
			wanted |= !strcmp(argv[k], all[i].name);
		if (wanted)
			print_group(&all[i], expand);
	}
	return 0;
}

int cmd_seccomp(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	(void)g;
	if (argc < 2 || strcmp(argv[1], "groups"))
		return cli_usage_error("seccomp", err, "the one subcommand is \"groups\"");
	return groups(argc - 1, argv + 1, err);
}
