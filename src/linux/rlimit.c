/* rlimit.c - checking and applying process.rlimits. */
#include "linux/rlimit.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include "linux/caps.h"
#include "spec/names.h"

static void format_limit(rlim_t v, char *out, size_t size)
{
	if (v == RLIM_INFINITY)
		snprintf(out, size, "unlimited");
	else
		snprintf(out, size, "%llu", (unsigned long long)v);
}

int rlimit_check(const struct spec *s, struct hako_err *err)
{
	const struct spec_process *p = &s->process;
	struct capsets caps;
	bool can_raise;

	if (!p->present || !p->n_rlimits)
		return 0;
	can_raise = caps_get(&caps, NULL) == 0 && (caps.effective & (1ULL << 24 /* CAP_SYS_RESOURCE */));
	if (can_raise)
		return 0;
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *rl = &p->rlimits[i];
		struct rlimit own;
		char want[32], have[32];

		if (getrlimit(rl->resource, &own) < 0 || rl->hard <= own.rlim_max)
			continue;
		format_limit(rl->hard, want, sizeof(want));
		format_limit(own.rlim_max, have, sizeof(have));
		hako_fail_config(err, "process.rlimits",
				 "process.rlimits[%zu]: %s hard limit %s is above hako's own hard "
				 "limit %s, and hako lacks CAP_SYS_RESOURCE to raise it",
				 i, rl->type, want, have);
		snprintf(err->config, sizeof(err->config), "process.rlimits[%zu]", i);
		hako_err_hint(err, "request at most %s (soft and hard), or raise the limit where hako "
				   "is started (ulimit -H, LimitXXX= in its systemd unit)",
			      have);
		return -EPERM;
	}
	return 0;
}

int rlimit_apply(pid_t pid, const struct spec *s, struct hako_err *err)
{
	const struct spec_process *p = &s->process;

	for (size_t i = 0; p->present && i < p->n_rlimits; i++) {
		const struct spec_rlimit *rl = &p->rlimits[i];
		struct rlimit want = { .rlim_cur = rl->soft, .rlim_max = rl->hard };

		if (prlimit(pid, rl->resource, &want, NULL) < 0) {
			char soft[32], hard[32];
			format_limit(rl->soft, soft, sizeof(soft));
			format_limit(rl->hard, hard, sizeof(hard));
			hako_fail(err, errno, "setrlimit", NULL, "cannot set %s to %s:%s", rl->type,
				  soft, hard);
			snprintf(err->config, sizeof(err->config), "process.rlimits[%zu]", i);
			return hako_err_code(err);
		}
	}
	return 0;
}
