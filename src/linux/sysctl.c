/* sysctl.c - writing sysctls through the container's /proc/sys. */
#include "linux/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "spec/sysctl_rules.h"
#include "util/fs.h"

static void explain(const char *key, struct hako_err *err)
{
	struct utsname u;

	uname(&u);
	switch (err->errnum) {
	case ENOENT:
		hako_err_hint(err, "sysctl %s does not exist inside the container's namespaces on "
				   "kernel %s: it is a host-wide setting there; set it on the host",
			      key, u.release);
		break;
	case EACCES:
	case EPERM:
		hako_err_hint(err, "sysctl %s is read-only inside a namespace on kernel %s: the "
				   "host owns it; set it on the host",
			      key, u.release);
		break;
	case EINVAL:
		if (!strcmp(key, "net.ipv4.ping_group_range"))
			hako_err_hint(err, "the kernel refused the value: in a user namespace every "
					   "gid of the range must be mapped (linux.gidMappings)");
		else
			hako_err_hint(err, "the kernel refused the value for %s", key);
		break;
	default:
		break;
	}
}

int sysctl_apply(const struct spec *s, struct hako_err *err)
{
	const struct strmap *m = &s->lnx.sysctl;

	for (size_t i = 0; i < m->n; i++) {
		char key[256], path[300];
		int r;

		sysctl_normalize(m->key[i], key, sizeof(key));
		sysctl_proc_path(key, path, sizeof(path));
		r = write_file_at(AT_FDCWD, path, m->value[i], strlen(m->value[i]), 0, 0, err);
		if (r < 0) {
			int e = err->errnum;
			hako_fail(err, e, "write sysctl", path, "cannot set sysctl %s=%s", key,
				  m->value[i]);
			snprintf(err->config, sizeof(err->config), "linux.sysctl[\"%s\"]", m->key[i]);
			explain(key, err);
			return r;
		}
	}
	return 0;
}
