/* cgroup_cmds.c - `hako pause`, `resume`, `update`, `ps`, `events`: runc's
 * options, one runtime call each. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "runtime/cgroup_cmds.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

static int id_only(const char *name, int argc, char **argv, const char **id,
		   struct hako_err *err)
{
	if (optind >= argc)
		return cli_usage_error(name, err, "a container id is required");
	*id = argv[optind++];
	if (optind < argc)
		return cli_usage_error(name, err, "too many arguments");
	return 0;
}

int cmd_pause(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	const char *id = NULL;
	int r;

	optind = 1;
	if ((r = id_only("pause", argc, argv, &id, err)))
		return r;
	return container_pause(g->root, id, err) < 0 ? 1 : 0;
}

int cmd_resume(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	const char *id = NULL;
	int r;

	optind = 1;
	if ((r = id_only("resume", argc, argv, &id, err)))
		return r;
	return container_resume(g->root, id, err) < 0 ? 1 : 0;
}

/* ---- update ---------------------------------------------------------------- */

/* "-1", "1048576", "512k", "100m", "1g" (binary units, as runc's
 * RAMInBytes reads them). */
static int parse_bytes(const char *s, int64_t *out)
{
	static const char units[] = "kmgt";
	const char *u;
	char *end;
	long long v;
	int shift = 0;

	if (!strcmp(s, "-1")) {
		*out = -1;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -EINVAL;
	if (*end && (u = strchr(units, tolower((unsigned char)*end)))) {
		shift = 10 * (int)(u - units + 1);
		end++;
	}
	/* "100m", "100mb", "100MiB", "100b" */
	if (*end && strcasecmp(end, "b") && strcasecmp(end, "ib"))
		return -EINVAL;
	if (shift && v > (INT64_MAX >> shift))
		return -ERANGE;
	*out = (int64_t)v << shift;
	return 0;
}

static int parse_int(const char *s, int64_t min, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min)
		return -EINVAL;
	*out = v;
	return 0;
}

enum {
	U_MEMORY = 256, U_SWAP, U_RESERVATION, U_QUOTA, U_PERIOD, U_SHARES, U_CPUS, U_MEMS,
	U_PIDS, U_BLKIO, U_RT_RUNTIME, U_RT_PERIOD, U_BURST, U_IDLE, U_KMEM, U_KMEM_TCP,
};

/* One flag: where it goes in the LinuxResources JSON. */
static const struct update_flag {
	int opt;
	const char *name, *object, *key;
	enum { F_BYTES, F_INT, F_UINT, F_STRING } kind;
} update_flags[] = {
	{ U_MEMORY, "memory", "memory", "limit", F_BYTES },
	{ U_SWAP, "memory-swap", "memory", "swap", F_BYTES },
	{ U_RESERVATION, "memory-reservation", "memory", "reservation", F_BYTES },
	{ U_KMEM, "kernel-memory", "memory", "kernel", F_BYTES },
	{ U_KMEM_TCP, "kernel-memory-tcp", "memory", "kernelTCP", F_BYTES },
	{ U_QUOTA, "cpu-quota", "cpu", "quota", F_INT },
	{ U_PERIOD, "cpu-period", "cpu", "period", F_UINT },
	{ U_SHARES, "cpu-share", "cpu", "shares", F_UINT },
	{ U_CPUS, "cpuset-cpus", "cpu", "cpus", F_STRING },
	{ U_MEMS, "cpuset-mems", "cpu", "mems", F_STRING },
	{ U_RT_RUNTIME, "cpu-rt-runtime", "cpu", "realtimeRuntime", F_INT },
	{ U_RT_PERIOD, "cpu-rt-period", "cpu", "realtimePeriod", F_UINT },
	{ U_BURST, "cpu-burst", "cpu", "burst", F_UINT },
	{ U_IDLE, "cpu-idle", "cpu", "idle", F_INT },
	{ U_PIDS, "pids-limit", "pids", "limit", F_INT },
	{ U_BLKIO, "blkio-weight", "blockIO", "weight", F_UINT },
};

/* The flags given, as one LinuxResources object, members grouped by object. */
static int flags_json(const char *values[], struct buf *out, struct hako_err *err)
{
	static const char *const objects[] = { "memory", "cpu", "pids", "blockIO" };
	bool first_obj = true;

	buf_putc(out, '{');
	for (size_t o = 0; o < ARRAY_SIZE(objects); o++) {
		bool open = false;
		for (size_t i = 0; i < ARRAY_SIZE(update_flags); i++) {
			const struct update_flag *f = &update_flags[i];
			const char *v = values[i];
			int64_t n;
			if (!v || strcmp(f->object, objects[o]))
				continue;
			buf_printf(out, "%s", open ? "," : first_obj ? "" : ",");
			if (!open)
				buf_printf(out, "\"%s\":{", objects[o]);
			open = true;
			first_obj = false;
			buf_printf(out, "\"%s\":", f->key);
			if (f->kind == F_STRING) {
				buf_json_str(out, v);
				continue;
			}
			if ((f->kind == F_BYTES ? parse_bytes(v, &n)
						: parse_int(v, f->kind == F_UINT ? 0 : -1, &n)) < 0)
				return cli_usage_error("update", err, "--%s: \"%s\" is not %s", f->name, v,
						       f->kind == F_BYTES ? "a size (bytes, or with k, "
									    "m, g; -1 for none)"
									  : f->kind == F_UINT ? "a number"
											       : "a number (-1 for none)");
			buf_printf(out, "%" PRId64, n);
		}
		if (open)
			buf_putc(out, '}');
	}
	buf_putc(out, '}');
	return 0;
}

static int read_resources(const char *path, char **text, struct hako_err *err)
{
	if (!strcmp(path, "-"))
		return read_file_at(AT_FDCWD, "/dev/stdin", text, NULL, err);
	return read_file_at(AT_FDCWD, path, text, NULL, err);
}

int cmd_update(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	struct option longopts[ARRAY_SIZE(update_flags) + 3];
	const char *values[ARRAY_SIZE(update_flags)] = { 0 };
	_cleanup_free_ char *text = NULL;
	_cleanup_buf_ struct buf json = { 0 };
	const char *file = NULL, *id = NULL;
	bool any = false;
	int c, r;

	for (size_t i = 0; i < ARRAY_SIZE(update_flags); i++)
		longopts[i] = (struct option){ update_flags[i].name, required_argument, NULL,
					       update_flags[i].opt };
	longopts[ARRAY_SIZE(update_flags)] = (struct option){ "resources", required_argument, NULL, 'r' };
	/* runc spells it --cpu-share; docker's --cpu-shares works too */
	longopts[ARRAY_SIZE(update_flags) + 1] =
		(struct option){ "cpu-shares", required_argument, NULL, U_SHARES };
	longopts[ARRAY_SIZE(update_flags) + 2] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		if (c == 'r') {
			file = optarg;
			continue;
		}
		size_t i = 0;
		while (i < ARRAY_SIZE(update_flags) && update_flags[i].opt != c)
			i++;
		if (i == ARRAY_SIZE(update_flags))
			return cli_usage_error("update", err, "unknown option");
		values[i] = optarg;
		any = true;
	}
	if ((r = id_only("update", argc, argv, &id, err)))
		return r;
	if (file && any)
		return cli_usage_error("update", err, "-r/--resources replaces the other options; "
						       "give one or the other");
	if (!file && !any)
		return cli_usage_error("update", err, "nothing to update: give -r FILE or an "
						       "option such as --memory");
	if (file) {
		if (read_resources(file, &text, err) < 0)
			return 1;
		return container_update(g->root, id, text, err) < 0 ? 1 : 0;
	}
	if ((r = flags_json(values, &json, err)))
		return r;
	return container_update(g->root, id, json.p, err) < 0 ? 1 : 0;
}

/* ---- ps -------------------------------------------------------------------- */

int cmd_ps(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	_cleanup_buf_ struct buf out = { 0 };
	const char *format = "table", *id;
	int c;

	/* "+": stop at the id, so that ps's own options after it pass through */
	while ((c = getopt_long(argc, argv, "+f:", longopts, NULL)) != -1) {
		if (c != 'f')
			return cli_usage_error("ps", err, "unknown option");
		format = optarg;
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage_error("ps", err, "--format is table or json, not \"%s\"", format);
	if (optind >= argc)
		return cli_usage_error("ps", err, "a container id is required");
	id = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (container_ps(g->root, id, !strcmp(format, "json"), optind < argc ? argv + optind : NULL,
			 &out, err) < 0)
		return 1;
	fwrite(out.p ? out.p : "", 1, out.len, stdout);
	return 0;
}

/* ---- events ------------------------------------------------------------------ */

/* Go durations as runc takes them: "5s", "500ms", "1m30s"; a bare number
 * is seconds. */
static int parse_duration(const char *s, unsigned *ms)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = { { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 } };
	double total = 0;
	const char *p = s;

	while (*p) {
		char *end;
		double v = strtod(p, &end);
		size_t k = 0;

		if (end == p || v < 0)
			return -EINVAL;
		if (!*end) {
			if (p != s)
				return -EINVAL; /* "1m30": a number without unit at the end */
			total = v * 1000;
			break;
		}
		p = end;
		while (k < ARRAY_SIZE(units) && strncmp(p, units[k].unit, strlen(units[k].unit)))
			k++;
		if (k == ARRAY_SIZE(units))
			return -EINVAL;
		total += v * units[k].ms;
		p += strlen(units[k].unit);
	}
	if (total < 1 || total > 86400000.0)
		return -ERANGE;
	*ms = (unsigned)total;
	return 0;
}

static void print_line(const char *line, void *arg)
{
	(void)arg;
	puts(line);
	fflush(stdout);
}

int cmd_events(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "stats", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct events_opts o = { .interval_ms = 5000, .emit = print_line };
	const char *id = NULL;
	int c, r;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 's')
			o.stats_only = true;
		else if (c == 'i') {
			if (parse_duration(optarg, &o.interval_ms) < 0)
				return cli_usage_error("events", err, "--interval: \"%s\" is not a "
								      "duration greater than 0 such as 5s "
								      "or 500ms", optarg);
		} else
			return cli_usage_error("events", err, "unknown option");
	}
	if ((r = id_only("events", argc, argv, &id, err)))
		return r;
	return container_events(g->root, id, &o, err) < 0 ? 1 : 0;
}
