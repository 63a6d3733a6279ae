/* validate_lsm.c - the SELinux labels a config asks for
 * (process.selinuxLabel, linux.mountLabel), which hako does not apply:
 * refused where the host enforces SELinux, warned about where it does not.
 *
 * A tool that writes a label asks for confinement.  Where SELinux is on,
 * going ahead without the label would run the container with less
 * confinement than asked for, and only a warning would say so: fail
 * closed.  Where it is off there is nothing to confine with, for any
 * runtime (runc too runs such a config unconfined), so a warning is all.
 *
 * process.apparmorProfile is applied (linux/apparmor.c); the `apparmor`
 * row of runtime/check warns where AppArmor is off. */
#include "spec/validate_internal.h"

#include <sys/vfs.h>

#include "util/log.h"

/* include/uapi/linux/magic.h; not in every libc's headers */
#define SELINUX_FS_MAGIC 0xf97cff8c

struct host_lsms host_lsms(void)
{
	struct host_lsms lsm = { false };
	struct statfs fs;

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

bool selinux_labels_asked(const struct spec *s)
{
	const struct spec_process *p = &s->process;

	return (p->present && p->selinux_label && p->selinux_label[0]) ||
	       (s->lnx.mount_label && s->lnx.mount_label[0]);
}

int validate_lsm_labels(const struct spec *s, struct host_lsms lsm, struct hako_err *err)
{
	const struct spec_process *p = &s->process;
	const char *ml = s->lnx.mount_label;

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
