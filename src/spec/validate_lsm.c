/* validate_lsm.c - the LSM labels a config asks for (process.apparmorProfile,
 * process.selinuxLabel, linux.mountLabel), which hako does not apply:
 * refused where the host enforces that LSM, warned about where it does not.
 *
 * A tool that writes a label asks for confinement.  Where the LSM is on,
 * going ahead without the label would run the container with less
 * confinement than asked for, and only a warning would say so: fail
 * closed.  Where the LSM is off there is nothing to confine with, for any
 * runtime (runc too runs such a config unconfined), so a warning is all. */
#include "spec/validate_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* include/uapi/linux/magic.h; not in every libc's headers */
#define SELINUX_FS_MAGIC 0xf97cff8c

struct host_lsms host_lsms(void)
{
	struct host_lsms lsm = { false, false };
	_cleanup_free_ char *enabled = NULL;
	struct statfs fs;

	/* security/apparmor/lsm.c: "Y" when AppArmor was initialized at boot */
	if (read_file_at(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", &enabled, NULL, NULL) == 0)
		lsm.apparmor = enabled[0] == 'Y';
	/* selinuxfs is mounted there exactly when SELinux is enabled (the
	 * directory exists as a mount point either way) */
	lsm.selinux = statfs("/sys/fs/selinux", &fs) == 0 &&
		      (unsigned long)fs.f_type == (unsigned long)SELINUX_FS_MAGIC;
	return lsm;
}

static int refuse(struct hako_err *err, const char *config, const char *label, const char *lsm,
		  const char *outcome)
{
	int r = invalid(err, config,
			"\"%s\" is not applied by this hako; %s is enabled on this host, so %s",
			label, lsm, outcome);

	hako_err_hint(err, "run this container with a runtime that applies %s labels (runc, "
			   "crun), or remove %s to run it without one on purpose",
		      lsm, config);
	return r;
}

int validate_lsm_labels(const struct spec *s, struct host_lsms lsm, struct hako_err *err)
{
	const struct spec_process *p = &s->process;
	const char *ml = s->lnx.mount_label;

	if (p->present && p->apparmor_profile && p->apparmor_profile[0]) {
		if (lsm.apparmor)
			return refuse(err, "process.apparmorProfile", p->apparmor_profile,
				      "AppArmor", "the container would run unconfined");
		hako_warn("process.apparmorProfile \"%s\" is not applied: AppArmor is not enabled "
			  "on this host (and hako does not support it)",
			  p->apparmor_profile);
	}
	if (p->present && p->selinux_label && p->selinux_label[0]) {
		if (lsm.selinux)
			return refuse(err, "process.selinuxLabel", p->selinux_label, "SELinux",
				      "the container would run in hako's own SELinux context");
		hako_warn("process.selinuxLabel is not applied: SELinux is not enabled on this "
			  "host (and hako does not support it)");
	}
	if (ml && ml[0]) {
		if (lsm.selinux)
			return refuse(err, "linux.mountLabel", ml, "SELinux",
				      "the container's mounts would not get this label");
		hako_warn("linux.mountLabel is not applied: SELinux is not enabled on this host "
			  "(and hako does not support it)");
	}
	return 0;
}
