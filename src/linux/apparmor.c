/* apparmor.c - applying process.apparmorProfile; see apparmor.h for how
 * and why this way. */
#include "linux/apparmor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

/* include/uapi/linux/magic.h */
#define PROC_SUPER_MAGIC 0x9fa0

/* What the kernel's profile lookup calls the absence of a profile: always
 * there, never in the list of loaded ones (Docker writes it for
 * --security-opt apparmor=unconfined). */
#define UNCONFINED "unconfined"

bool apparmor_enabled(void)
{
	_cleanup_free_ char *enabled = NULL;

	/* security/apparmor/lsm.c: "Y" when AppArmor was initialized at boot;
	 * the LSM core sets it to "N" when the lsm= list leaves it out */
	return read_file_at(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", &enabled, NULL,
			    NULL) == 0 &&
	       enabled[0] == 'Y';
}

const char *apparmor_profile_of(const struct spec_process *p)
{
	return p->present && p->apparmor_profile && p->apparmor_profile[0] ? p->apparmor_profile
									   : NULL;
}

int apparmor_prepare(const struct spec_process *p, int *fd, struct hako_err *err)
{
	/* Linux 5.8 gave each LSM a directory of its own; before, attr/exec
	 * belonged to the one major LSM, which AppArmor is when enabled. */
	static const char *const paths[] = {
		"/proc/thread-self/attr/apparmor/exec",
		"/proc/thread-self/attr/exec",
	};
	_cleanup_close_ int f = -1;
	const char *path = NULL;
	struct statfs fs;
	int r;

	*fd = -1;
	if (!apparmor_profile_of(p) || !apparmor_enabled())
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && f < 0; i++) {
		path = paths[i];
		f = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
		if (f < 0 && errno != ENOENT)
			break;
	}
	if (f < 0) {
		r = hako_fail(err, errno, "open", path,
			      "cannot open '%s' to apply AppArmor profile \"%s\"", path,
			      p->apparmor_profile);
		hako_err_config(err, "process.apparmorProfile");
		hako_err_hint(err, "AppArmor is enabled, but this /proc does not let hako ask for "
				   "a profile (hako in a container whose /proc is masked?); "
				   "without it the container would run unconfined");
		return r;
	}
	/* The host's /proc, before the container's mounts: anything but proc
	 * here is an over-mount, and a write to it would confine nothing. */
	if (fstatfs(f, &fs) < 0 || (unsigned long)fs.f_type != PROC_SUPER_MAGIC) {
		r = hako_fail(err, 0, "open", path, "'%s' is not on procfs", path);
		hako_err_config(err, "process.apparmorProfile");
		hako_err_hint(err, "something is mounted over /proc where hako runs, so it cannot "
				   "apply the AppArmor profile");
		return r;
	}
	*fd = TAKE_FD(f);
	return 0;
}

static void explain_write(int errnum, const char *profile, struct hako_err *err)
{
	switch (errnum) {
	case ENOENT:
		hako_err_hint(err, "load it with apparmor_parser -r FILE (see %s)",
			      APPARMOR_PROFILES);
		break;
	case EACCES:
	case EPERM:
		hako_err_hint(err, "hako itself runs confined by an AppArmor profile that does "
				   "not allow \"change_profile -> %s\" (see "
				   "/proc/self/attr/apparmor/current); run hako unconfined or "
				   "allow the change in its profile",
			      profile);
		break;
	case EINVAL:
		hako_err_hint(err, "the kernel does not take \"%s\" as a profile name", profile);
		break;
	default:
		break;
	}
}

int apparmor_apply(int fd, const char *profile, struct hako_err *err)
{
	char cmd[4096];
	ssize_t n;
	int len, e, r;

	if (fd < 0)
		return 0;
	/* the kernel reads at most a page, and one write is one command */
	len = snprintf(cmd, sizeof(cmd), "exec %s", profile);
	if (len < 0 || (size_t)len >= sizeof(cmd))
		return hako_fail_config(err, "process.apparmorProfile",
					"process.apparmorProfile: the name is longer than the "
					"kernel takes (%zu bytes)",
					sizeof(cmd) - sizeof("exec "));
	do
		n = write(fd, cmd, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n == len)
		return 0;
	e = n < 0 ? errno : EIO;
	if (e == ENOENT)
		r = hako_fail(err, e, "write attr/apparmor/exec", NULL,
			      "process.apparmorProfile: AppArmor profile \"%s\" is not loaded",
			      profile);
	else
		r = hako_fail(err, e, "write attr/apparmor/exec", NULL,
			      "process.apparmorProfile: cannot apply AppArmor profile \"%s\"",
			      profile);
	hako_err_config(err, "process.apparmorProfile");
	explain_write(e, profile, err);
	return r;
}

/* One line of the list: "NAME (MODE)". */
static bool line_names(const char *line, size_t len, const char *name, size_t name_len)
{
	const char *mode = NULL;

	for (const char *p = line; p + 1 < line + len; p++)
		if (p[0] == ' ' && p[1] == '(')
			mode = p;
	return mode && (size_t)(mode - line) == name_len && !memcmp(line, name, name_len);
}

static bool listed(const char *list, const char *name, size_t name_len)
{
	for (const char *line = list; *line;) {
		size_t len = strcspn(line, "\n");
		if (line_names(line, len, name, name_len))
			return true;
		line += len + (line[len] == '\n');
	}
	return false;
}

bool apparmor_profile_listed(const char *list, const char *profile)
{
	for (const char *name = profile;;) {
		const char *amp = strstr(name, "//&");
		size_t len = amp ? (size_t)(amp - name) : strlen(name);
		bool unconfined = len == strlen(UNCONFINED) && !strncmp(name, UNCONFINED, len);
		if (!unconfined && !listed(list, name, len))
			return false;
		if (!amp)
			return true;
		name = amp + 3;
	}
}

int apparmor_profile_loaded(const char *profile, struct hako_err *err)
{
	_cleanup_free_ char *list = NULL;
	int r;

	if (!strcmp(profile, UNCONFINED))
		return 1;
	/* a profile of another policy namespace (":ns:name") is listed in
	 * the kernel's notation for namespaces, which this lookup does not
	 * parse */
	if (profile[0] == ':')
		return hako_fail(err, EOPNOTSUPP, "look up profile", APPARMOR_PROFILES,
				 "\"%s\" is in a policy namespace, which hako does not look up",
				 profile);
	if ((r = read_file_at(AT_FDCWD, APPARMOR_PROFILES, &list, NULL, err)) < 0)
		return r;
	return apparmor_profile_listed(list, profile);
}
