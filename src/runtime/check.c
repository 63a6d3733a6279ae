/* check.c - the table of checks, the findings they produce, the host facts
 * they read, and the two ways in: `hako check` and create's preflight. */
#include "runtime/check.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/rlimit.h"
#include "linux/seccomp.h"
#include "spec/validate.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

const char *const severity_names[SEVERITY_MAX] = {
	[SEVERITY_NOTE] = "note",
	[SEVERITY_WARNING] = "warning",
	[SEVERITY_ERROR] = "error",
};

/* The order is the order of the report: what stops a container first
 * comes first. */
const struct check_rule check_rules[] = {
	{ "rootfs", "root.path and bind mount sources exist and are reachable", false,
	  check_rootfs },
	{ "kernel", "the kernel supports the namespaces and seccomp actions the config uses",
	  true, check_kernel },
	{ "netdevices", "linux.netDevices name host devices that can move to the container", false,
	  check_netdevices },
	{ "rlimits", "process.rlimits can be set by hako", false, check_rlimits },
	{ "sysctl", "linux.sysctl keys are namespaced and exist in the container's namespaces",
	  false, check_sysctl },
	{ "apparmor", "process.apparmorProfile is loaded, on a host that enforces AppArmor", true,
	  check_apparmor },
	{ "program", "process.args[0] exists and its file capabilities fit the bounding set",
	  true, check_program },
	{ "capabilities", "the capability sets can be applied and survive the uid switch", true,
	  check_capabilities },
	{ "memlock", "what RLIMIT_MEMLOCK and CAP_IPC_LOCK let the process lock", true,
	  check_memlock },
	{ "seccomp", "the seccomp profile agrees with the capabilities", true, check_seccomp },
	{ NULL, NULL, false, NULL },
};

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void check_add(struct check_ctx *c, enum severity sev, const char *check, const char *config,
	       const char *what, const char *why, const char *fix)
{
	struct check_report *r = c->report;
	struct finding *f;

	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].config, config ? config : "") &&
		    !strcmp(r->v[i].what, what ? what : ""))
			return;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	f = &r->v[r->n++];
	f->severity = sev;
	f->check = check;
	f->config = dup_or_empty(config);
	f->what = dup_or_empty(what);
	f->why = dup_or_empty(why);
	f->fix = dup_or_empty(fix);
	r->count[sev]++;
}

void check_add_err(struct check_report *r, enum severity sev, const char *check,
		   const struct hako_err *err)
{
	struct check_ctx c = { .report = r };
	char what[sizeof(err->msg) + 128];

	if (err->errnum > 0)
		snprintf(what, sizeof(what), "%s: %s (%s)", err->msg, strerror(err->errnum),
			 errno_name(err->errnum));
	else
		snprintf(what, sizeof(what), "%s", err->msg);
	check_add(&c, sev, check, err->config, what, NULL, err->hint);
}

void check_report_free(struct check_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].config);
		free(r->v[i].what);
		free(r->v[i].why);
		free(r->v[i].fix);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- the host ----------------------------------------------------------------- */

static long read_long(const char *path, long fallback)
{
	_cleanup_free_ char *text = NULL;
	char *end;
	long v;

	if (read_file_at(AT_FDCWD, path, &text, NULL, NULL) < 0)
		return fallback;
	v = strtol(text, &end, 10);
	return end == text ? fallback : v;
}

/* clone(CLONE_NEWUSER) in a child that exits at once: the kernel's answer
 * is the only reliable one (boot options, sysctls, LSMs and seccomp can
 * each say no). */
static int probe_userns(void)
{
	int status;
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

void check_host_read(struct check_host *h, bool probe)
{
	_cleanup_free_ char *actions = NULL;
	struct utsname u;
	struct capsets own;

	memset(h, 0, sizeof(*h));
	if (uname(&u) == 0)
		snprintf(h->release, sizeof(h->release), "%s", u.release);
	h->cap_last = kernel_cap_last();
	if (caps_get(&own, NULL) == 0) {
		h->own_permitted = own.permitted;
		h->own_inheritable = own.inheritable;
	}
	h->initial_userns = rlimit_in_initial_userns();
	h->can_raise_rlimits = rlimit_can_raise();
	for (int i = 0; i < RLIM_NLIMITS; i++)
		if (getrlimit(i, &h->own_rlimit[i]) < 0)
			h->own_rlimit[i].rlim_cur = h->own_rlimit[i].rlim_max = RLIM_INFINITY;
	if (read_file_at(AT_FDCWD, "/proc/sys/kernel/seccomp/actions_avail", &actions, NULL,
			 NULL) == 0) {
		h->has_seccomp = true;
		snprintf(h->seccomp_actions, sizeof(h->seccomp_actions), "%s", actions);
		h->seccomp_actions[strcspn(h->seccomp_actions, "\n")] = '\0';
	}
	h->max_user_namespaces = read_long("/proc/sys/user/max_user_namespaces", -1);
	h->time_ns = access("/proc/self/ns/time", F_OK) == 0;
	h->apparmor = -1;
	h->probe = probe;
	h->userns_errno = probe ? probe_userns() : -1;
}

/* ---- running the table ---------------------------------------------------------- */

void check_spec(struct spec *s, const struct seccomp_prog *prog, const struct check_host *h,
		bool at_create, struct check_report *out)
{
	struct check_ctx c = {
		.spec = s, .seccomp = prog, .host = h, .at_create = at_create, .report = out,
	};

	for (const struct check_rule *rule = check_rules; rule->name; rule++)
		if (!at_create || rule->at_create)
			rule->run(&c);
}

/* The warnings of the validator (capabilities the kernel lacks,
 * deprecated values) and of the seccomp compiler (unknown syscall names)
 * become findings. */
struct capture {
	struct check_report *report;
	const char *check;
};

/* Messages name their element first ("mounts[7].destination \"data\" is
 * relative"): that token is the finding's config path. */
static void leading_path(const char *msg, char *out, size_t size)
{
	static const char *const tops[] = { "ociVersion", "root.", "process", "mounts[", "hooks.",
					    "linux.", "hostname", "domainname", "annotations" };
	size_t len = strcspn(msg, ": ");

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(tops); i++)
		if (!strncmp(msg, tops[i], strlen(tops[i])) && len < size) {
			snprintf(out, size, "%.*s", (int)len, msg);
			return;
		}
}

static void capture_warning(enum log_level level, const char *msg, void *arg)
{
	struct capture *cap = arg;
	struct check_ctx c = { .report = cap->report };
	char config[192];

	leading_path(msg, config, sizeof(config));
	check_add(&c, level == LOG_ERROR ? SEVERITY_ERROR : SEVERITY_WARNING, cap->check, config,
		  msg, NULL, NULL);
}

/* The validator's error, filed under the row that covers the same
 * config element, so one problem reads the same from both. */
static const char *validator_check(const char *config)
{
	static const struct {
		const char *prefix, *check;
	} owners[] = {
		{ "linux.sysctl", "sysctl" },	   { "process.rlimits", "rlimits" },
		{ "process.capabilities", "capabilities" }, { "root.path", "rootfs" },
		{ "linux.seccomp", "seccomp" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(owners); i++)
		if (!strncmp(config, owners[i].prefix, strlen(owners[i].prefix)))
			return owners[i].check;
	return "config";
}

void check_bundle(const char *bundle, struct check_report *out)
{
	struct validate_opts vo = { .for_create = true };
	_cleanup_spec_ struct spec *s = NULL;
	struct seccomp_prog *prog = NULL;
	struct capture cap = { out, "config" };
	struct hako_err err = { 0 };
	struct check_host host;

	if (spec_load_bundle(bundle, &s, &err) < 0) {
		check_add_err(out, SEVERITY_ERROR, "config", &err);
		return;
	}
	log_capture(capture_warning, &cap);
	if (spec_validate(s, &vo, &err) < 0)
		check_add_err(out, SEVERITY_ERROR, validator_check(err.config), &err);
	memset(&err, 0, sizeof(err));
	cap.check = "seccomp";
	if (seccomp_prog_compile(s, &prog, &err) < 0)
		check_add_err(out, SEVERITY_ERROR, "seccomp", &err);
	log_capture(NULL, NULL);
	check_host_read(&host, true);
	check_spec(s, prog, &host, false, out);
	seccomp_prog_free(prog);
}

/* One line per warning, for the log: "what (config); why; fix: fix". */
static void log_finding(const struct finding *f)
{
	_cleanup_buf_ struct buf b = { 0 };

	buf_puts(&b, f->what);
	if (f->config[0] && !strstr(f->what, f->config))
		buf_printf(&b, " [%s]", f->config);
	if (f->why[0])
		buf_printf(&b, "; %s", f->why);
	if (f->fix[0])
		buf_printf(&b, "; fix: %s", f->fix);
	hako_warn("%s", b.p);
}

int check_preflight(struct spec *s, const struct seccomp_prog *prog, struct hako_err *err)
{
	struct check_report report = { 0 };
	struct check_host host;
	int r = 0;

	check_host_read(&host, false);
	check_spec(s, prog, &host, true, &report);
	for (size_t i = 0; i < report.n; i++) {
		const struct finding *f = &report.v[i];
		if (f->severity == SEVERITY_WARNING)
			log_finding(f);
		else if (f->severity == SEVERITY_ERROR && r == 0) {
			if (f->config[0] && strncmp(f->what, f->config, strlen(f->config)))
				r = hako_fail_config(err, f->config, "%s: %s", f->config, f->what);
			else
				r = hako_fail_config(err, f->config, "%s", f->what);
			if (f->why[0] && f->fix[0])
				hako_err_hint(err, "%s; %s", f->why, f->fix);
			else
				hako_err_hint(err, "%s", f->why[0] ? f->why : f->fix);
		}
	}
	check_report_free(&report);
	return r;
}
