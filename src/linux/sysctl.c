/* sysctl.c - writing sysctls through the container's /proc/sys. */
#include "linux/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "spec/json.h"
#include "spec/sysctl_rules.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* Why a write failed, in the words of the reference's section 5.2: a net.*
 * key passes the namespace rule by its prefix, yet some are not registered
 * per network namespace (ENOENT), or shown read-only with the initial
 * namespace's value (EACCES, net.core.rmem_max on recent kernels). */
void sysctl_explain(const char *key, const char *value, struct hako_err *err)
{
	bool net = !strncmp(key, "net.", 4);
	const char *where = net ? "inside a network namespace" : "inside the container's namespaces";
	struct utsname u;
	char msg[sizeof(err->msg)];

	uname(&u);
	switch (err->errnum) {
	case ENOENT:
		snprintf(msg, sizeof(msg), "cannot set sysctl %s=%s: it does not exist %s on kernel %s",
			 key, value, where, u.release);
		hako_err_hint(err, "if 'sysctl %s' works on the host, this kernel keeps the key "
				   "host-wide, not per namespace: set it on the host (sysctl -w %s=%s) "
				   "and drop it from linux.sysctl; otherwise check its spelling",
			      key, key, value);
		break;
	case EACCES:
	case EPERM:
		snprintf(msg, sizeof(msg), "cannot set sysctl %s=%s: it is read-only %s on kernel %s",
			 key, value, where, u.release);
		hako_err_hint(err, "this kernel shows the host's value there but keeps the key "
				   "host-wide; set it on the host (sysctl -w %s=%s) and drop it from "
				   "linux.sysctl",
			      key, value);
		break;
	case EINVAL:
		snprintf(msg, sizeof(msg), "cannot set sysctl %s=%s: the kernel refused the value",
			 key, value);
		if (!strcmp(key, "net.ipv4.ping_group_range"))
			hako_err_hint(err, "in a user namespace every gid of the range must be mapped "
					   "(linux.gidMappings)");
		else
			hako_err_hint(err, "check the value's format and range (cat /proc/sys/%s on "
					   "the host shows the current one)",
				      key);
		break;
	default:
		return;
	}
	memcpy(err->msg, msg, sizeof(err->msg));
}

/* The key's file, resolved beneath /proc/sys only: the validator refuses
 * ".." components already, and this keeps a second line of defence where
 * a mistake would write a host file. */
static int open_key(int procsys, const char *rel)
{
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, procsys, rel, &how, sizeof(how));
}

static int open_proc_sys(struct hako_err *err)
{
	_cleanup_close_ int fd = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct statfs sf;

	if (fd < 0 || fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC) {
		int r = hako_fail(err, fd < 0 ? errno : ENOENT, "write sysctl", "/proc/sys",
				  "cannot set linux.sysctl: the container has no proc file system "
				  "on /proc");
		hako_err_config(err, "linux.sysctl");
		hako_err_hint(err, "add a proc mount on /proc to config.json mounts");
		return r;
	}
	return TAKE_FD(fd);
}

static int write_one(int procsys, const char *raw, const char *value, struct hako_err *err)
{
	char key[256], path[300];
	const char *rel = path + strlen("/proc/sys/");
	size_t len = strlen(value);
	_cleanup_close_ int fd = -1;
	ssize_t n;

	sysctl_normalize(raw, key, sizeof(key));
	sysctl_proc_path(key, path, sizeof(path));
	fd = open_key(procsys, rel);
	if (fd >= 0) {
		n = write(fd, value, len);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			errno = EIO;
	}
	hako_fail(err, errno, "write sysctl", path, "cannot set sysctl %s=%s", key, value);
	json_path_key(err->config, sizeof(err->config), "linux.sysctl", raw);
	sysctl_explain(key, value, err);
	return hako_err_code(err);
}

int sysctl_apply(const struct spec *s, struct hako_err *err)
{
	const struct strmap *m = &s->lnx.sysctl;
	_cleanup_close_ int procsys = -1;

	if (!m->n)
		return 0;
	procsys = open_proc_sys(err);
	if (procsys < 0)
		return procsys;
	for (size_t i = 0; i < m->n; i++) {
		int r = write_one(procsys, m->key[i], m->value[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
