/* rlimit.c - checking and applying process.rlimits. */
#include "linux/rlimit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "linux/caps.h"
#include "spec/names.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define CAP_SYS_RESOURCE_BIT (1ULL << 24)

/* Where an administrator raises a limit for the program that starts hako:
 * the ulimit(1) flag (with its unit) and the systemd directive. */
static const struct {
	int resource;
	const char *ulimit;
	const char *systemd;
} raise_with[] = {
	{ RLIMIT_CPU, "ulimit -Ht SECONDS", "LimitCPU=" },
	{ RLIMIT_FSIZE, "ulimit -Hf KIB", "LimitFSIZE=" },
	{ RLIMIT_DATA, "ulimit -Hd KIB", "LimitDATA=" },
	{ RLIMIT_STACK, "ulimit -Hs KIB", "LimitSTACK=" },
	{ RLIMIT_CORE, "ulimit -Hc KIB", "LimitCORE=" },
	{ RLIMIT_RSS, "ulimit -Hm KIB", "LimitRSS=" },
	{ RLIMIT_NPROC, "ulimit -Hu N", "LimitNPROC=" },
	{ RLIMIT_NOFILE, "ulimit -Hn N", "LimitNOFILE=" },
	{ RLIMIT_MEMLOCK, "ulimit -Hl KIB", "LimitMEMLOCK=" },
	{ RLIMIT_AS, "ulimit -Hv KIB", "LimitAS=" },
	{ RLIMIT_LOCKS, "ulimit -Hx N", "LimitLOCKS=" },
	{ RLIMIT_SIGPENDING, "ulimit -Hi N", "LimitSIGPENDING=" },
	{ RLIMIT_MSGQUEUE, "ulimit -Hq BYTES", "LimitMSGQUEUE=" },
	{ RLIMIT_NICE, "ulimit -He N", "LimitNICE=" },
	{ RLIMIT_RTPRIO, "ulimit -Hr N", "LimitRTPRIO=" },
	{ RLIMIT_RTTIME, "ulimit -HR MICROSECONDS", "LimitRTTIME=" },
};

void rlimit_format_unit(uint64_t v, const char *unit, char *out, size_t size)
{
	if (v == RLIM_INFINITY)
		snprintf(out, size, "unlimited");
	else if (v >= 1024 * 1024 && v % (1024 * 1024) == 0)
		snprintf(out, size, "%llu%s (%llu MiB)", (unsigned long long)v, unit,
			 (unsigned long long)(v >> 20));
	else if (v >= 1024 && v % 1024 == 0)
		snprintf(out, size, "%llu%s (%llu KiB)", (unsigned long long)v, unit,
			 (unsigned long long)(v >> 10));
	else
		snprintf(out, size, "%llu%s", (unsigned long long)v, unit);
}

void rlimit_format(uint64_t v, char *out, size_t size)
{
	rlimit_format_unit(v, "", out, size);
}

bool rlimit_in_initial_userns(void)
{
	_cleanup_free_ char *map = NULL;
	unsigned long long inside, outside, count;

	/* The initial user namespace maps all 2^32 - 1 ids onto themselves. */
	if (read_file_at(AT_FDCWD, "/proc/self/uid_map", &map, NULL, NULL) < 0)
		return true;
	if (sscanf(map, "%llu %llu %llu", &inside, &outside, &count) != 3)
		return true;
	return inside == 0 && outside == 0 && count == 4294967295ULL &&
	       strcspn(map, "\n") + 1 >= strlen(map);
}

bool rlimit_can_raise(void)
{
	struct capsets caps;

	/* do_prlimit() asks capable(CAP_SYS_RESOURCE): the initial user
	 * namespace, so the capability in any other one does not count. */
	return caps_get(&caps, NULL) == 0 && (caps.effective & CAP_SYS_RESOURCE_BIT) &&
	       rlimit_in_initial_userns();
}

static uint64_t nr_open(void)
{
	_cleanup_free_ char *text = NULL;
	unsigned long long v;

	if (read_file_at(AT_FDCWD, "/proc/sys/fs/nr_open", &text, NULL, NULL) < 0)
		return RLIM_INFINITY;
	text[strcspn(text, "\n")] = '\0';
	return parse_u64(text, &v) == 0 ? v : RLIM_INFINITY;
}

static void raise_hint(int resource, const char *have, struct hako_err *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(raise_with); i++)
		if (raise_with[i].resource == resource) {
			hako_err_hint(err, "request at most %s, or raise the hard limit of whatever "
					   "starts hako ('%s' in its shell, %s in its systemd "
					   "unit)",
				      have, raise_with[i].ulimit, raise_with[i].systemd);
			return;
		}
}

int rlimit_check_one(const struct spec_rlimit *rl, size_t i, bool can_raise,
		     struct hako_err *err)
{
	struct rlimit own;
	char want[48], have[48], config[48];

	snprintf(config, sizeof(config), "process.rlimits[%zu]", i);
	if (rl->resource == RLIMIT_NOFILE && rl->hard != RLIM_INFINITY && rl->hard > nr_open()) {
		/* setrlimit(2): NOFILE above fs.nr_open is EPERM even with
		 * CAP_SYS_RESOURCE. */
		uint64_t max = nr_open();
		rlimit_format(rl->hard, want, sizeof(want));
		rlimit_format(max, have, sizeof(have));
		hako_fail_config(err, config,
				     "%s: cannot set RLIMIT_NOFILE hard limit to %s: the kernel's "
				     "fs.nr_open is %s",
				     config, want, have);
		hako_err_hint(err, "request at most %s, or raise fs.nr_open on the host "
				   "(sysctl -w fs.nr_open=N)",
			      have);
		return -EPERM;
	}
	if (can_raise || getrlimit(rl->resource, &own) < 0 || rl->hard <= own.rlim_max)
		return 0;
	rlimit_format(rl->hard, want, sizeof(want));
	rlimit_format(own.rlim_max, have, sizeof(have));
	hako_fail_config(err, config,
			 "%s: cannot set %s hard limit to %s: hako's own hard limit is %s, and "
			 "hako has no CAP_SYS_RESOURCE in the initial user namespace to raise it",
			 config, rl->type, want, have);
	raise_hint(rl->resource, have, err);
	return -EPERM;
}

int rlimit_check(const struct spec *s, struct hako_err *err)
{
	const struct spec_process *p = &s->process;
	bool can_raise;

	if (!p->present || !p->n_rlimits)
		return 0;
	can_raise = rlimit_can_raise();
	for (size_t i = 0; i < p->n_rlimits; i++) {
		int r = rlimit_check_one(&p->rlimits[i], i, can_raise, err);
		if (r < 0)
			return r;
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
			char soft[48], hard[48];
			rlimit_format(rl->soft, soft, sizeof(soft));
			rlimit_format(rl->hard, hard, sizeof(hard));
			hako_fail(err, errno, "setrlimit", NULL, "cannot set %s to soft %s, hard %s",
				  rl->type, soft, hard);
			snprintf(err->config, sizeof(err->config), "process.rlimits[%zu]", i);
			return hako_err_code(err);
		}
	}
	return 0;
}
