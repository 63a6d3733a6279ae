/* cgroup_devices.c - the device rules of a container, and writing them to
 * a cgroup v1 devices hierarchy (v2: cgroup_devices_bpf.c). */
#include "linux/cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"

/* Always allowed, after the config's rules (runc's order, so a config
 * cannot take the basics away by accident): mknod of anything (creating a
 * node is harmless without access to it), the standard character devices
 * of runtime-config-linux.md, ptmx and the pty slaves.  Unlike runc 1.1,
 * /dev/net/tun (10:200) is not on the list: a container that needs it says
 * so in linux.resources.devices. */
static const struct cg_dev_rule default_rules[] = {
	{ true, 'c', -1, -1, CG_DEV_MKNOD, "" }, /* c *:* m */
	{ true, 'b', -1, -1, CG_DEV_MKNOD, "" }, /* b *:* m */
	{ true, 'c', 1, 3, CG_DEV_ALL, "" },     /* /dev/null */
	{ true, 'c', 1, 5, CG_DEV_ALL, "" },     /* /dev/zero */
	{ true, 'c', 1, 7, CG_DEV_ALL, "" },     /* /dev/full */
	{ true, 'c', 1, 8, CG_DEV_ALL, "" },     /* /dev/random */
	{ true, 'c', 1, 9, CG_DEV_ALL, "" },     /* /dev/urandom */
	{ true, 'c', 5, 0, CG_DEV_ALL, "" },     /* /dev/tty */
	{ true, 'c', 5, 2, CG_DEV_ALL, "" },     /* /dev/ptmx */
	{ true, 'c', 136, -1, CG_DEV_ALL, "" },  /* /dev/pts/N */
};

static int parse_access(const char *a, unsigned *out)
{
	unsigned bits = 0;

	if (!a || !*a) {
		*out = CG_DEV_ALL; /* runc reads an absent access as "rwm" */
		return 0;
	}
	for (; *a; a++) {
		if (*a == 'r')
			bits |= CG_DEV_READ;
		else if (*a == 'w')
			bits |= CG_DEV_WRITE;
		else if (*a == 'm')
			bits |= CG_DEV_MKNOD;
		else
			return -EINVAL;
	}
	*out = bits;
	return 0;
}

static int from_config(const struct spec_device_rule *in, size_t i, struct cg_dev_rule *out,
		       struct hako_err *err)
{
	char where[48];

	snprintf(where, sizeof(where), "linux.resources.devices[%zu]", i);
	memset(out, 0, sizeof(*out));
	snprintf(out->config, sizeof(out->config), "%s", where);
	out->allow = in->allow;
	if (!in->type || !strcmp(in->type, "a"))
		out->type = 'a';
	else if (!strcmp(in->type, "c") || !strcmp(in->type, "b"))
		out->type = in->type[0];
	else
		return hako_fail_config(err, where, "%s.type: \"%s\" is not a, b or c", where,
					in->type);
	out->major = in->major.set ? in->major.v : -1;
	out->minor = in->minor.set ? in->minor.v : -1;
	if (out->major < -1 || out->minor < -1)
		return hako_fail_config(err, where, "%s: a negative major or minor other than -1 "
					"(any) is not a device number", where);
	if (parse_access(in->access, &out->access) < 0)
		return hako_fail_config(err, where, "%s.access: \"%s\" may contain only r, w and m",
					where, in->access);
	if (out->type == 'a')
		out->major = out->minor = -1;
	return 0;
}

int cg_dev_rules(const struct spec *s, struct cg_dev_rule **ret, size_t *ret_n,
		 struct hako_err *err)
{
	const struct spec_resources *res = &s->lnx.resources;
	size_t max = res->n_devices + ARRAY_SIZE(default_rules) + s->lnx.n_devices, n = 0;
	_cleanup_free_ struct cg_dev_rule *rules = xcalloc(max + 1, sizeof(*rules));

	for (size_t i = 0; i < res->n_devices; i++) {
		int r = from_config(&res->devices[i], i, &rules[n++], err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_rules); i++) {
		rules[n] = default_rules[i];
		snprintf(rules[n++].config, sizeof(rules[0].config), "hako's default device rules");
	}
	/* the nodes the config asks hako to create must also be usable */
	for (size_t i = 0; i < s->lnx.n_devices; i++) {
		const struct spec_device *d = &s->lnx.devices[i];
		char t = d->type ? d->type[0] : 'c';
		if (t == 'p')
			continue; /* a fifo is not governed by the device cgroup */
		rules[n] = (struct cg_dev_rule){ true, t == 'b' ? 'b' : 'c', d->major, d->minor,
						 CG_DEV_ALL, "" };
		snprintf(rules[n++].config, sizeof(rules[0].config), "linux.devices[%zu]", i);
	}
	*ret = TAKE_PTR(rules);
	*ret_n = n;
	return 0;
}

static void access_text(unsigned a, char *out)
{
	size_t k = 0;

	if (a & CG_DEV_READ)
		out[k++] = 'r';
	if (a & CG_DEV_WRITE)
		out[k++] = 'w';
	if (a & CG_DEV_MKNOD)
		out[k++] = 'm';
	out[k] = '\0';
}

static void number(int64_t v, char *out, size_t size)
{
	if (v < 0)
		snprintf(out, size, "*");
	else
		snprintf(out, size, "%lld", (long long)v);
}

static int write_rule(const struct cgroup_dir *d, bool allow, char type, const char *major,
		      const char *minor, const char *access, const char *config,
		      struct hako_err *err)
{
	char line[80];

	if (type == 'a')
		snprintf(line, sizeof(line), "a");
	else
		snprintf(line, sizeof(line), "%c %s:%s %s", type, major, minor, access);
	return cg_write(d->path, allow ? "devices.allow" : "devices.deny", line, config, err);
}

/* v1: start from deny-all ("a" into devices.deny clears every exception),
 * then write each rule in order into devices.allow or devices.deny, so
 * devices.list ends up listing the config's rules and the defaults. */
int cg_v1_devices(const struct cgroup_dir *d, const struct cg_dev_rule *rules, size_t n,
		  struct hako_err *err)
{
	int r = cg_write(d->path, "devices.deny", "a", "linux.resources.devices", err);

	for (size_t i = 0; r == 0 && i < n; i++) {
		const struct cg_dev_rule *x = &rules[i];
		char major[24], minor[24], access[4];

		number(x->major, major, sizeof(major));
		number(x->minor, minor, sizeof(minor));
		access_text(x->access, access);
		if (x->type == 'a' && x->access != CG_DEV_ALL) {
			/* the kernel reads any "a" line as all of rwm: spell a partial one
			 * out for both device types */
			r = write_rule(d, x->allow, 'c', "*", "*", access, x->config, err);
			if (r == 0)
				r = write_rule(d, x->allow, 'b', "*", "*", access, x->config, err);
		} else {
			r = write_rule(d, x->allow, x->type, major, minor, access, x->config, err);
		}
	}
	return r;
}
