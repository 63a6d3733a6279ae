/* caps.c - capset(2), the bounding set and ambient capabilities. */
#include "linux/caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spec/names.h"
#include "spec/validate.h"

int caps_get(struct capsets *out, struct hako_err *err)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return hako_fail(err, errno, "capget", NULL, "cannot read capabilities");
	out->effective = d[0].effective | (uint64_t)d[1].effective << 32;
	out->permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	out->inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

int caps_set(const struct capsets *c, struct hako_err *err)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)c->effective, (uint32_t)c->permitted, (uint32_t)c->inheritable },
		{ (uint32_t)(c->effective >> 32), (uint32_t)(c->permitted >> 32),
		  (uint32_t)(c->inheritable >> 32) },
	};

	if (syscall(SYS_capset, &h, d) < 0) {
		char want[512];
		caps_format(c->permitted, want, sizeof(want));
		return hako_fail(err, errno, "capset", NULL,
				 "cannot set the process capabilities (permitted: %s)", want);
	}
	return 0;
}

int caps_bound(uint64_t keep, struct hako_err *err)
{
	int last = kernel_cap_last();

	for (int cap = 0; cap <= last && cap < 64; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return hako_fail(err, errno, "prctl(PR_CAPBSET_DROP)", NULL,
					 "cannot drop %s from the bounding set", cap_name(cap));
	}
	return 0;
}

int caps_ambient(uint64_t ambient, struct hako_err *err)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		if (errno == EINVAL && !ambient)
			return 0; /* a kernel without ambient capabilities (< 4.3) */
		return hako_fail(err, errno, "set ambient capability", NULL,
				 "cannot clear the ambient capabilities");
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(ambient & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return hako_fail(err, errno, "set ambient capability", NULL,
					 "cannot raise %s in the ambient set", cap_name(cap));
	}
	return 0;
}

void caps_format(uint64_t set, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int cap = 0; cap < 64 && len < size; cap++)
		if (set & (1ULL << cap)) {
			const char *name = cap_name(cap);
			int n = name ? snprintf(out + len, size - len, "%s%s", len ? " " : "", name)
				     : snprintf(out + len, size - len, "%s%d", len ? " " : "", cap);
			if (n > 0)
				len += (size_t)n;
		}
	if (!len)
		snprintf(out, size, "none");
}
