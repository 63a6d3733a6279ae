/* check.c - `hako check`: what would fail in this bundle on this host, as
 * text for people or JSON for tools.  Exit 0 without errors (warnings and
 * notes allowed), 1 with errors. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/check.h"
#include "util/buf.h"
#include "util/cleanup.h"

static void print_text(const struct check_report *r)
{
	static const char *const label[] = { "what", "why", "fix" };

	for (size_t i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];
		const char *text[] = { f->what, f->why, f->fix };

		printf("%s: %s%s%s\n", severity_names[f->severity], f->check,
		       f->config[0] ? ": " : "", f->config);
		for (size_t k = 0; k < 3; k++)
			if (text[k][0])
				printf("  %-5s %s\n", label[k], text[k]);
		printf("\n");
	}
	if (!r->n)
		printf("hako check: no problems found\n");
	else
		printf("hako check: %zu error%s, %zu warning%s, %zu note%s\n",
		       r->count[SEVERITY_ERROR], r->count[SEVERITY_ERROR] == 1 ? "" : "s",
		       r->count[SEVERITY_WARNING], r->count[SEVERITY_WARNING] == 1 ? "" : "s",
		       r->count[SEVERITY_NOTE], r->count[SEVERITY_NOTE] == 1 ? "" : "s");
}

static void print_json(const struct check_report *r, const char *bundle)
{
	_cleanup_buf_ struct buf b = { 0 };

	buf_puts(&b, "{\"bundle\":");
	buf_json_str(&b, bundle);
	buf_puts(&b, ",\"findings\":[");
	for (size_t i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];
		buf_printf(&b, "%s{\"severity\":\"%s\",\"check\":", i ? "," : "",
			   severity_names[f->severity]);
		buf_json_str(&b, f->check);
		buf_puts(&b, ",\"config\":");
		buf_json_str(&b, f->config);
		buf_puts(&b, ",\"what\":");
		buf_json_str(&b, f->what);
		buf_puts(&b, ",\"why\":");
		buf_json_str(&b, f->why);
		buf_puts(&b, ",\"fix\":");
		buf_json_str(&b, f->fix);
		buf_putc(&b, '}');
	}
	buf_printf(&b, "],\"errors\":%zu,\"warnings\":%zu,\"notes\":%zu}\n",
		   r->count[SEVERITY_ERROR], r->count[SEVERITY_WARNING], r->count[SEVERITY_NOTE]);
	fputs(b.p, stdout);
}

static void print_rules(void)
{
	for (const struct check_rule *r = check_rules; r->name; r++)
		printf("%-13s %s%s\n", r->name, r->about, r->at_create ? " (also at create)" : "");
}

int cmd_check(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_report report = { 0 };
	const char *bundle = ".", *format = "text";
	int c, status;

	(void)g;
	while ((c = getopt_long(argc, argv, "+b:f:", longopts, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'f')
			format = optarg;
		else if (c == 'l')
			return print_rules(), 0;
		else
			return cli_usage_error("check", err, "unknown option");
	}
	if (optind < argc)
		return cli_usage_error("check", err, "unexpected argument \"%s\"", argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error("check", err, "--format must be text or json, not \"%s\"",
				       format);
	check_bundle(bundle, &report);
	if (!strcmp(format, "json"))
		print_json(&report, bundle);
	else
		print_text(&report);
	status = report.count[SEVERITY_ERROR] ? 1 : 0;
	check_report_free(&report);
	return status;
}
