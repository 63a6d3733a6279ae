/* check_lsm.c - process.apparmorProfile against the host: a profile the
 * kernel has not loaded fails create, and one on a host without AppArmor
 * confines nothing. */
#include "runtime/check.h"

#include <stdio.h>

#include "linux/apparmor.h"

void check_apparmor(struct check_ctx *c)
{
	const char *profile = apparmor_profile_of(&c->spec->process);
	struct hako_err e = { 0 };
	char what[512], why[512];
	int r;

	if (!profile)
		return;
	if (c->host->apparmor < 0 ? !apparmor_enabled() : !c->host->apparmor) {
		snprintf(what, sizeof(what),
			 "process.apparmorProfile \"%s\" is not applied: AppArmor is not enabled "
			 "on this host, so the container runs unconfined",
			 profile);
		check_add(c, SEVERITY_WARNING, "apparmor", "process.apparmorProfile", what,
			  "without AppArmor in the kernel there is nothing to confine with, for any "
			  "runtime (runc too runs such a container unconfined)",
			  "boot a kernel with AppArmor enabled (/sys/module/apparmor/parameters/"
			  "enabled says Y) to have the profile applied, or remove "
			  "process.apparmorProfile to run unconfined on purpose");
		return;
	}
	/* At create the init's write gives the kernel's own answer, for the
	 * price of no read of the list. */
	if (c->at_create)
		return;
	r = apparmor_profile_loaded(profile, &e);
	if (r == 1)
		return;
	if (r < 0) {
		hako_err_config(&e, "process.apparmorProfile");
		snprintf(what, sizeof(what), "cannot tell whether AppArmor profile \"%s\" is loaded",
			 profile);
		snprintf(why, sizeof(why), "%s", e.msg);
		check_add(c, SEVERITY_NOTE, "apparmor", "process.apparmorProfile", what, why,
			  "create will tell: it fails when the profile is not loaded");
		return;
	}
	snprintf(what, sizeof(what), "AppArmor profile \"%s\" is not loaded", profile);
	snprintf(why, sizeof(why),
		 "create asks the kernel to run the process in this profile, and the kernel has "
		 "none of that name (%s lists the loaded ones)",
		 APPARMOR_PROFILES);
	check_add(c, SEVERITY_ERROR, "apparmor", "process.apparmorProfile", what, why,
		  "load it with apparmor_parser -r FILE, or name a loaded profile");
}
