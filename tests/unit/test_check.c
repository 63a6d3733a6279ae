/* test_check.c - the rows of `hako check` on configs and a host described
 * by hand: capabilities after the uid switch and execve, RLIMIT_MEMLOCK,
 * sysctls, rootfs reachability, kernel support, the AppArmor profile. */
#include <errno.h>
#include <linux/capability.h>
#include <sys/xattr.h>

#include "linux/apparmor.h"
#include "runtime/check.h"
#include "fixture.h"
#include "tap.h"

#define CAPS(...) "'capabilities': {" __VA_ARGS__ "}"
#define BIT(c) (1ULL << (c))

static char tree[64]; /* a scratch rootfs with programs in it */

static void tree_cleanup(void)
{
	if (tree[0])
		rm_rf_at(AT_FDCWD, tree);
}

/* A host with 8 MiB of RLIMIT_MEMLOCK, no CAP_SYS_RESOURCE, every other
 * capability, and every kernel feature. */
static void fake_host(struct check_host *h)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->release, sizeof(h->release), "6.1.0-test");
	h->cap_last = 40;
	h->own_permitted = ((2ULL << 40) - 1) & ~BIT(CAP_SYS_RESOURCE);
	h->initial_userns = true;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		h->own_rlimit[i].rlim_cur = h->own_rlimit[i].rlim_max = RLIM_INFINITY;
	h->own_rlimit[RLIMIT_MEMLOCK].rlim_cur = h->own_rlimit[RLIMIT_MEMLOCK].rlim_max = 8 << 20;
	h->has_seccomp = true;
	snprintf(h->seccomp_actions, sizeof(h->seccomp_actions),
		 "kill_process kill_thread trap errno user_notif trace log allow");
	h->max_user_namespaces = 1000;
	h->userns_errno = 0;
	h->time_ns = true;
}

/* A config around `process` (JSON members after "cwd") and `linux` members. */
static struct spec *config(const char *process, const char *lnx)
{
	char json[4096];
	struct hako_err err;
	struct spec *s;

	snprintf(json, sizeof(json),
		 "{'ociVersion': '1.3.0', 'root': {'path': '%s'}, "
		 "'process': {'args': ['/bin/prog'], 'cwd': '/'%s%s}, "
		 "'linux': {'namespaces': [{'type': 'mount'}]%s%s}}",
		 tree, process[0] ? ", " : "", process, lnx[0] ? ", " : "", lnx);
	s = fx_load(json, &err);
	if (!s)
		printf("# config does not load: %s\n", err.msg);
	return s;
}

static void run(struct spec *s, const struct check_host *h, bool at_create, struct check_report *r)
{
	memset(r, 0, sizeof(*r));
	check_spec(s, NULL, h, at_create, r);
}

/* The first finding of `check` with severity `sev`, or NULL. */
static const struct finding *find(const struct check_report *r, const char *check,
				  enum severity sev)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].check, check) && r->v[i].severity == sev)
			return &r->v[i];
	return NULL;
}

/* The n-th finding (from 0) of `check`, or NULL. */
static const struct finding *nth(const struct check_report *r, const char *check, size_t n)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].check, check) && n-- == 0)
			return &r->v[i];
	return NULL;
}

static const char *what_of(const struct finding *f)
{
	return f ? f->what : "";
}

static size_t count(const struct check_report *r, const char *check)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += !strcmp(r->v[i].check, check);
	return n;
}

/* ---- capabilities after execve ------------------------------------------------------- */

TEST(exec_caps_non_root_keeps_only_ambient)
{
	struct spec *s = config("'user': {'uid': 1000, 'gid': 1000}, " CAPS(
					"'bounding': ['CAP_IPC_LOCK', 'CAP_KILL'], "
					"'effective': ['CAP_IPC_LOCK', 'CAP_KILL'], "
					"'permitted': ['CAP_IPC_LOCK', 'CAP_KILL'], "
					"'inheritable': ['CAP_IPC_LOCK'], 'ambient': ['CAP_IPC_LOCK']"),
				"");
	struct exec_caps ex;

	if (!ok(s != NULL, "a non-root config with one ambient capability loads"))
		return;
	ex = caps_after_exec(&s->process, NULL, 40);
	is_int(ex.effective, BIT(CAP_IPC_LOCK), "uid 1000 keeps the ambient CAP_IPC_LOCK only");
	is_int(ex.permitted, BIT(CAP_IPC_LOCK), "and permitted is the same");
	is_int(ex.missing, 0, "an ordinary program is never refused");
	spec_free(s);
}

TEST(exec_caps_root_gets_bounding)
{
	struct spec *s = config(CAPS("'bounding': ['CAP_IPC_LOCK', 'CAP_KILL'], "
				     "'effective': ['CAP_KILL'], 'permitted': ['CAP_KILL']"),
				"");
	struct exec_caps ex;

	if (!ok(s != NULL, "a root config loads"))
		return;
	ex = caps_after_exec(&s->process, NULL, 40);
	is_int(ex.effective, BIT(CAP_IPC_LOCK) | BIT(CAP_KILL),
	       "uid 0 gets the whole bounding set at execve");
	s->process.no_new_privileges = true;
	ex = caps_after_exec(&s->process, NULL, 40);
	is_int(ex.effective, BIT(CAP_KILL), "with no_new_privs only what was permitted");
	spec_free(s);
}

TEST(exec_caps_file_capabilities)
{
	struct spec *s = config("'user': {'uid': 1000, 'gid': 1000}, " CAPS(
					"'bounding': ['CAP_KILL'], 'effective': ['CAP_KILL'], "
					"'permitted': ['CAP_KILL']"),
				"");
	struct file_caps f = { .present = true, .effective = true,
			       .permitted = BIT(CAP_KILL) };
	struct exec_caps ex;

	if (!ok(s != NULL, "a config with bounding CAP_KILL loads"))
		return;
	ex = caps_after_exec(&s->process, &f, 40);
	is_int(ex.effective, BIT(CAP_KILL), "cap_kill+ep gives CAP_KILL to uid 1000");
	f.permitted |= BIT(CAP_IPC_LOCK);
	ex = caps_after_exec(&s->process, &f, 40);
	is_int(ex.missing, BIT(CAP_IPC_LOCK),
	       "cap_ipc_lock+ep outside the bounding set makes execve fail (EPERM)");
	f.effective = false;
	ex = caps_after_exec(&s->process, &f, 40);
	is_int(ex.missing, 0, "without the effective bit the program runs, just without it");
	spec_free(s);
}

/* ---- the capabilities row ------------------------------------------------------------ */

TEST(uid_switch_loses_capabilities)
{
	struct spec *s = config("'user': {'uid': 1000, 'gid': 1000}, " CAPS(
					"'bounding': ['CAP_IPC_LOCK'], 'effective': ['CAP_IPC_LOCK'], "
					"'permitted': ['CAP_IPC_LOCK']"),
				"");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "uid 1000 with CAP_IPC_LOCK, no ambient, loads"))
		return;
	run(s, &h, true, &r);
	f = find(&r, "capabilities", SEVERITY_WARNING);
	ok(f != NULL, "a warning at create");
	if (f) {
		is_str(f->config, "process.capabilities.ambient", "it points at the ambient set");
		like(f->what, "process.user.uid is 1000 and CAP_IPC_LOCK is not in "
			      "process.capabilities.ambient",
		     "it names the uid and the capability");
		like(f->why, "clears the effective and permitted sets", "it says why");
		like(f->fix, "ambient and .inheritable", "and what to add");
		like(f->fix, "--user 1000:1000 --cap-add", "and the hako spec options that do it");
	}
	check_report_free(&r);
	spec_free(s);
}

TEST(uid_switch_with_ambient_is_fine)
{
	struct spec *s = config("'user': {'uid': 1000, 'gid': 1000}, " CAPS(
					"'bounding': ['CAP_IPC_LOCK'], 'effective': ['CAP_IPC_LOCK'], "
					"'permitted': ['CAP_IPC_LOCK'], 'inheritable': ['CAP_IPC_LOCK'], "
					"'ambient': ['CAP_IPC_LOCK']"),
				"");
	struct check_report r;
	struct check_host h;

	fake_host(&h);
	if (!ok(s != NULL, "uid 1000 with CAP_IPC_LOCK in all five sets loads"))
		return;
	run(s, &h, false, &r);
	is_int(count(&r, "capabilities"), 0, "no capability finding");
	is_int(count(&r, "memlock"), 0, "and no memlock note: CAP_IPC_LOCK lifts the limit");
	check_report_free(&r);
	spec_free(s);
}

TEST(root_needs_no_ambient)
{
	struct spec *s = config(CAPS("'bounding': ['CAP_IPC_LOCK'], 'effective': ['CAP_IPC_LOCK'], "
				     "'permitted': ['CAP_IPC_LOCK']"),
				"");
	struct check_report r;
	struct check_host h;

	fake_host(&h);
	if (!ok(s != NULL, "root with CAP_IPC_LOCK loads"))
		return;
	run(s, &h, false, &r);
	is_int(count(&r, "capabilities"), 0, "uid 0 keeps its capabilities without ambient");
	check_report_free(&r);
	spec_free(s);
}

TEST(capabilities_hako_does_not_hold)
{
	struct spec *s = config(CAPS("'bounding': ['CAP_SYS_RESOURCE'], "
				     "'effective': ['CAP_SYS_RESOURCE'], "
				     "'permitted': ['CAP_SYS_RESOURCE']"),
				"");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "a config asking for CAP_SYS_RESOURCE loads"))
		return;
	run(s, &h, true, &r);
	f = find(&r, "capabilities", SEVERITY_ERROR);
	ok(f != NULL, "an error when hako itself lacks the capability");
	if (f) {
		is_str(f->config, "process.capabilities.permitted", "on the permitted set");
		like(f->what, "CAP_SYS_RESOURCE: hako itself does not hold it", "naming it");
	}
	check_report_free(&r);
	s->lnx.ns[NS_USER].present = true;
	run(s, &h, true, &r);
	is_int(count(&r, "capabilities"), 0,
	       "in a user namespace of its own the init holds every capability there");
	check_report_free(&r);
	spec_free(s);
}

TEST(inheritable_outside_bounding)
{
	struct spec *s = config(CAPS("'bounding': ['CAP_KILL'], 'inheritable': ['CAP_NET_RAW']"),
				"");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "inheritable outside bounding loads"))
		return;
	run(s, &h, false, &r);
	f = find(&r, "capabilities", SEVERITY_ERROR);
	ok(f && !strcmp(f->config, "process.capabilities.inheritable") &&
		   strstr(f->what, "CAP_NET_RAW"),
	   "capset would refuse it: an error naming CAP_NET_RAW on the inheritable set");
	check_report_free(&r);
	spec_free(s);
}

/* ---- RLIMIT_MEMLOCK ------------------------------------------------------------------ */

TEST(memlock_note_names_the_limit)
{
	struct spec *s = config("", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "a config without capabilities loads"))
		return;
	run(s, &h, false, &r);
	f = find(&r, "memlock", SEVERITY_NOTE);
	ok(f != NULL, "a note about locking memory");
	if (f) {
		like(f->what, "mlockall of more than 8388608 bytes (8 MiB) will fail with ENOMEM",
		     "with hako's own RLIMIT_MEMLOCK");
		like(f->fix, "RLIMIT_MEMLOCK in process.rlimits", "and the two fixes");
		like(f->fix, "grant CAP_IPC_LOCK", "(both)");
	}
	check_report_free(&r);
	run(s, &h, true, &r);
	is_int(r.count[SEVERITY_WARNING] + r.count[SEVERITY_ERROR], 0,
	       "nothing that create would print");
	check_report_free(&r);
	spec_free(s);
}

TEST(memlock_from_config)
{
	struct spec *s =
		config("'rlimits': [{'type': 'RLIMIT_MEMLOCK', 'soft': 65536, 'hard': 65536}]", "");
	struct spec *u = config("'rlimits': [{'type': 'RLIMIT_MEMLOCK', 'soft': "
				"18446744073709551615, 'hard': 18446744073709551615}]",
				"");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s && u, "configs with RLIMIT_MEMLOCK load"))
		return;
	run(s, &h, false, &r);
	f = find(&r, "memlock", SEVERITY_NOTE);
	ok(f && strstr(f->what, "more than 65536 bytes (64 KiB)"), "the config's limit is used");
	check_report_free(&r);
	run(u, &h, false, &r);
	is_int(count(&r, "memlock"), 0, "an unlimited RLIMIT_MEMLOCK needs no note");
	check_report_free(&r);
	spec_free(s);
	spec_free(u);
}

TEST(memlock_user_namespace)
{
	struct spec *s = config(CAPS("'bounding': ['CAP_IPC_LOCK'], 'effective': ['CAP_IPC_LOCK'], "
				     "'permitted': ['CAP_IPC_LOCK']"),
				"'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}], "
				"'gidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}]");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "a user-namespaced config with CAP_IPC_LOCK loads"))
		return;
	s->lnx.ns[NS_USER].present = true;
	run(s, &h, true, &r);
	f = find(&r, "memlock", SEVERITY_WARNING);
	ok(f != NULL, "CAP_IPC_LOCK in a user namespace: a warning at create");
	if (f)
		like(f->what, "does not lift RLIMIT_MEMLOCK in a user namespace", "saying why");
	check_report_free(&r);
	spec_free(s);
}

/* ---- the program ---------------------------------------------------------------------- */

static void make_program(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/bin/%s", tree, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd >= 0)
		close(fd);
}

TEST(program_missing)
{
	struct spec *s = config("", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "a config loads"))
		return;
	s->process.args.v[0] = "/bin/nothere";
	run(s, &h, false, &r);
	f = find(&r, "program", SEVERITY_ERROR);
	ok(f && strstr(f->what, "'/bin/nothere' is not an executable file in the rootfs"),
	   "a missing program is an error");
	check_report_free(&r);
	run(s, &h, true, &r);
	is_int(count(&r, "program"), 0, "create leaves it to its own lookup (mounts, hooks)");
	check_report_free(&r);
	s->process.args.v[0] = "prog";
	run(s, &h, false, &r);
	is_int(count(&r, "program"), 0, "a name is found on the default PATH");
	check_report_free(&r);
	spec_free(s);
}

TEST(program_file_capabilities)
{
	struct spec *s = config(CAPS("'bounding': ['CAP_KILL'], 'effective': ['CAP_KILL'], "
				     "'permitted': ['CAP_KILL']"),
				"");
	struct vfs_cap_data d = { 0 };
	struct check_report r;
	struct check_host h;
	const struct finding *f;
	char path[128];

	fake_host(&h);
	if (!ok(s != NULL, "a config loads"))
		return;
	snprintf(path, sizeof(path), "%s/bin/prog", tree);
	d.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
	d.data[0].permitted = 1U << CAP_IPC_LOCK;
	if (setxattr(path, "security.capability", &d, XATTR_CAPS_SZ_2, 0) < 0) {
		tap_skip("file capabilities outside the bounding set",
			 "cannot set security.capability here (needs CAP_SETFCAP)");
		spec_free(s);
		return;
	}
	run(s, &h, true, &r);
	f = find(&r, "program", SEVERITY_ERROR);
	ok(f != NULL, "cap_ipc_lock+ep outside the bounding set is an error, at create too");
	if (f) {
		like(f->what, "execve of '/bin/prog' will fail with EPERM", "naming the program");
		like(f->what, "(cap_ipc_lock+ep)", "its file capabilities as getcap prints them");
		is_str(f->config, "process.capabilities.bounding", "pointing at the bounding set");
	}
	check_report_free(&r);
	removexattr(path, "security.capability");
	spec_free(s);
}

/* ---- sysctl, rlimits, rootfs ------------------------------------------------------------- */

TEST(sysctl_every_key)
{
	struct spec *s = config("", "'sysctl': {'vm.swappiness': '10', 'kernel.shmmax': '1', "
				    "'net/../kernel/core_pattern': 'x'}");
	struct check_report r;
	struct check_host h;

	fake_host(&h);
	if (!ok(s != NULL, "a config with three bad sysctls loads"))
		return;
	run(s, &h, false, &r);
	is_int(count(&r, "sysctl"), 3, "each bad key is a finding, not only the first");
	ok(strstr(what_of(nth(&r, "sysctl", 0)), "vm.swappiness is host-global"),
	   "the global key says it belongs to the host");
	check_report_free(&r);
	run(s, &h, true, &r);
	is_int(count(&r, "sysctl"), 0, "create leaves sysctls to the validator");
	check_report_free(&r);
	spec_free(s);
}

TEST(rlimit_above_hard_limit)
{
	struct spec *s = config("'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1024, 'hard': "
				"18446744073709551615}]",
				"");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "an unlimited RLIMIT_NOFILE loads"))
		return;
	run(s, &h, false, &r);
	f = find(&r, "rlimits", SEVERITY_ERROR);
	ok(f != NULL, "unlimited NOFILE is refused (fs.nr_open, or hako's own hard limit)");
	if (f)
		is_str(f->config, "process.rlimits[0]", "naming the entry");
	check_report_free(&r);
	spec_free(s);
}

TEST(rootfs_unreachable_for_mapped_root)
{
	char dir[128];
	struct spec *s;
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	snprintf(dir, sizeof(dir), "%s/private", tree);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	chmod(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/private/rootfs", tree);
	mkdir(dir, 0755);
	s = config("", "'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}], "
		       "'gidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}]");
	if (!ok(s != NULL, "a user-namespaced config loads"))
		return;
	s->lnx.ns[NS_USER].present = true;
	free(s->rootfs);
	s->rootfs = strdup(dir);
	run(s, &h, false, &r);
	f = find(&r, "rootfs", SEVERITY_ERROR);
	ok(f != NULL, "a 0700 parent stops the mapped root (seed 2)");
	if (f) {
		like(f->what, "not reachable by the container's root (host uid 100000)",
		     "naming the host uid");
		like(f->what, "has mode 0700", "and the mode");
		like(f->fix, "chmod o+x", "and the fix");
	}
	check_report_free(&r);
	snprintf(dir, sizeof(dir), "%s/private", tree);
	chmod(dir, 0711);
	run(s, &h, false, &r);
	is_int(count(&r, "rootfs"), 0, "o+x is enough");
	check_report_free(&r);
	spec_free(s);
}

TEST(missing_mount_source)
{
	struct spec *s = config("", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;
	struct spec_mount m = { .destination = "/data", .type = "bind",
				.source = "/nonexistent/hako-check-src" };

	fake_host(&h);
	if (!ok(s != NULL, "a config loads"))
		return;
	s->mounts = &m;
	s->n_mounts = 1;
	run(s, &h, false, &r);
	f = find(&r, "rootfs", SEVERITY_ERROR);
	ok(f && !strcmp(f->config, "mounts[0].source") && strstr(f->what, "ENOENT"),
	   "a missing bind source is an error on mounts[0].source");
	check_report_free(&r);
	s->mounts = NULL;
	s->n_mounts = 0;
	spec_free(s);
}

/* ---- kernel support ------------------------------------------------------------------------ */

TEST(kernel_support)
{
	struct spec *s = config("", "'seccomp': {'defaultAction': 'SCMP_ACT_LOG'}, "
				    "'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}], "
				    "'gidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "a config with seccomp and a user namespace loads"))
		return;
	s->lnx.ns[NS_USER].present = true;
	s->lnx.ns[NS_TIME].present = true;
	run(s, &h, false, &r);
	is_int(count(&r, "kernel"), 0, "a kernel with everything: no finding");
	check_report_free(&r);

	snprintf(h.seccomp_actions, sizeof(h.seccomp_actions), "kill_process errno allow");
	h.userns_errno = EINVAL;
	h.time_ns = false;
	run(s, &h, true, &r);
	is_int(count(&r, "kernel"), 3, "three findings on a kernel without them");
	f = find(&r, "kernel", SEVERITY_ERROR);
	ok(f && strstr(f->what, "no seccomp action SCMP_ACT_LOG"), "the missing action by name");
	ok(strstr(what_of(nth(&r, "kernel", 1)), "clone(CLONE_NEWUSER) fails with EINVAL"),
	   "the user namespace probe's errno");
	ok(strstr(what_of(nth(&r, "kernel", 2)), "time namespace"), "the time namespace");
	check_report_free(&r);

	h.userns_errno = 0;
	h.max_user_namespaces = 0;
	h.has_seccomp = false;
	run(s, &h, false, &r);
	ok(strstr(what_of(nth(&r, "kernel", 0)), "no seccomp filters"), "no seccomp at all");
	ok(strstr(what_of(nth(&r, "kernel", 1)), "user.max_user_namespaces is 0"),
	   "user namespaces switched off by sysctl");
	check_report_free(&r);
	spec_free(s);
}

/* ---- AppArmor ------------------------------------------------------------------------------ */

TEST(apparmor_profile)
{
	struct spec *s = config("'apparmorProfile': 'hako-test'", "");
	struct spec *none = config("'apparmorProfile': ''", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s && none, "configs with and without apparmorProfile load"))
		return;
	run(s, &h, true, &r);
	f = find(&r, "apparmor", SEVERITY_WARNING);
	ok(f && strstr(f->what, "\"hako-test\" is not applied: AppArmor is not enabled"),
	   "AppArmor off: create warns that the profile is not applied");
	like(what_of(f), "so the container runs unconfined", "... and that it runs unconfined");
	is_str(f ? f->config : "", "process.apparmorProfile", "... at process.apparmorProfile");
	like(f ? f->fix : "", "remove process.apparmorProfile", "... with a fix");
	check_report_free(&r);

	run(none, &h, false, &r);
	is_int(count(&r, "apparmor"), 0, "an empty apparmorProfile asks for nothing");
	check_report_free(&r);

	h.apparmor = true;
	run(s, &h, true, &r);
	is_int(count(&r, "apparmor"), 0,
	       "AppArmor on: create leaves the lookup to the kernel's answer in the init");
	check_report_free(&r);
	spec_free(s);
	spec_free(none);
}

TEST(apparmor_profile_list)
{
	static const char list[] = "docker-default (enforce)\n"
				   "/usr/bin/man (enforce)\n"
				   "lsb_release (complain)\n"
				   "parent//hat (enforce)\n"
				   "with space (kill)\n";
	static const struct {
		const char *profile;
		bool listed;
	} rows[] = {
		{ "docker-default", true },
		{ "docker", false },
		{ "default", false },
		{ "/usr/bin/man", true },
		{ "lsb_release", true },
		{ "parent//hat", true },
		{ "parent", false },
		{ "with space", true },
		{ "enforce", false },
		{ "unconfined", true },
		{ "docker-default//&/usr/bin/man", true },
		{ "docker-default//&unconfined", true },
		{ "docker-default//&missing", false },
		{ "", false },
	};
	char name[160];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(name, sizeof(name), "\"%s\" is %s", rows[i].profile,
			 rows[i].listed ? "loaded" : "not loaded");
		ok(apparmor_profile_listed(list, rows[i].profile) == rows[i].listed, name);
	}
}

/* ---- seccomp against the capabilities ---------------------------------------------------- */

static void run_seccomp(struct spec *s, const struct check_host *h, struct check_report *r)
{
	struct seccomp_prog *prog = NULL;
	struct hako_err err = { 0 };

	memset(r, 0, sizeof(*r));
	if (seccomp_prog_compile(s, &prog, &err) < 0) {
		printf("# the profile does not compile: %s\n", err.msg);
		return;
	}
	check_spec(s, prog, h, false, r);
	seccomp_prog_free(prog);
}

#define ALLOW_LIST                                                                                \
	"'seccomp': {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['@default', "     \
	"'@basic-io', '@file-system', '@process', '@signal', 'capget', 'capset', 'prctl'%s], "    \
	"'action': 'SCMP_ACT_ALLOW'}%s]}"

static struct spec *seccomp_config(const char *caps, const char *more_names, const char *rules)
{
	char lnx[1024];

	snprintf(lnx, sizeof(lnx), ALLOW_LIST, more_names, rules);
	return config(caps, lnx);
}

TEST(seccomp_denies_a_granted_capability)
{
	struct spec *s = seccomp_config(CAPS("'bounding': ['CAP_IPC_LOCK'], "
					     "'effective': ['CAP_IPC_LOCK'], "
					     "'permitted': ['CAP_IPC_LOCK']"),
					"", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "an allow-list without @memlock and CAP_IPC_LOCK loads"))
		return;
	run_seccomp(s, &h, &r);
	f = find(&r, "seccomp", SEVERITY_WARNING);
	ok(f != NULL, "a warning");
	if (f) {
		like(f->what, "CAP_IPC_LOCK is granted, but the seccomp profile denies mlock, mlock2, "
			      "mlockall, munlock, munlockall (@memlock)",
		     "naming the capability, the syscalls and their group");
		like(f->fix, "--seccomp-allow @memlock", "and how to allow them");
	}
	is_int(count(&r, "seccomp"), 1, "one finding: the @memlock one is not repeated");
	check_report_free(&r);
	spec_free(s);
}

TEST(seccomp_denies_memlock_without_the_capability)
{
	struct spec *s = seccomp_config("", "", "");
	struct spec *allowed = seccomp_config("", ", '@memlock'", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s && allowed, "allow-lists with and without @memlock load"))
		return;
	run_seccomp(s, &h, &r);
	f = find(&r, "seccomp", SEVERITY_WARNING);
	ok(f && strstr(f->what, "the seccomp profile denies mlock, mlock2, mlockall, munlock, "
				"munlockall (@memlock)"),
	   "seed 1: denying @memlock is a warning of its own");
	ok(f && strstr(f->why, "mlock(2) documents as a privilege or RLIMIT_MEMLOCK problem"),
	   "saying why the EPERM misleads");
	check_report_free(&r);
	run_seccomp(allowed, &h, &r);
	is_int(count(&r, "seccomp"), 0, "with @memlock allowed: nothing");
	ok(find(&r, "memlock", SEVERITY_NOTE) != NULL, "(the memlock note says how far it goes)");
	check_report_free(&r);
	spec_free(s);
	spec_free(allowed);
}

TEST(seccomp_allows_without_the_capability)
{
	struct spec *s = seccomp_config("", ", '@memlock', 'reboot'", "");
	struct check_report r;
	struct check_host h;
	const struct finding *f;

	fake_host(&h);
	if (!ok(s != NULL, "an allow-list with reboot loads"))
		return;
	run_seccomp(s, &h, &r);
	f = find(&r, "seccomp", SEVERITY_NOTE);
	ok(f && strstr(f->what, "allows reboot, but the process will not hold CAP_SYS_BOOT"),
	   "the reverse: allowed, but the capability is missing (a note)");
	check_report_free(&r);
	spec_free(s);
}

TEST(seccomp_clone3_eperm)
{
	struct spec *eperm = seccomp_config("", ", '@memlock'",
					    ", {'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', "
					    "'errnoRet': 1}");
	struct spec *enosys = seccomp_config("", ", '@memlock'",
					     ", {'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', "
					     "'errnoRet': 38}");
	struct check_report r;
	struct check_host h;

	fake_host(&h);
	if (!ok(eperm && enosys, "profiles answering clone3 load"))
		return;
	run_seccomp(eperm, &h, &r);
	ok(strstr(what_of(find(&r, "seccomp", SEVERITY_WARNING)),
		  "clone3 with an errno other than ENOSYS"),
	   "clone3 with EPERM breaks glibc 2.34 threads: a warning");
	check_report_free(&r);
	run_seccomp(enosys, &h, &r);
	is_int(count(&r, "seccomp"), 0, "clone3 with ENOSYS is what glibc expects");
	check_report_free(&r);
	spec_free(eperm);
	spec_free(enosys);
}

TEST(findings_are_added_once)
{
	struct check_report r = { 0 };
	struct check_ctx c = { .report = &r };

	check_add(&c, SEVERITY_ERROR, "a", "x.y", "same", "why", "fix");
	check_add(&c, SEVERITY_ERROR, "b", "x.y", "same", NULL, NULL);
	check_add(&c, SEVERITY_NOTE, "a", "x.y", "other", NULL, NULL);
	is_int(r.n, 2, "the same config and what are one finding");
	is_int(r.count[SEVERITY_ERROR], 1, "counted once");
	is_str(r.v[1].why, "", "a missing why is empty, not NULL");
	check_report_free(&r);
}

static const tap_test_fn tests[] = {
	exec_caps_non_root_keeps_only_ambient,
	exec_caps_root_gets_bounding,
	exec_caps_file_capabilities,
	uid_switch_loses_capabilities,
	uid_switch_with_ambient_is_fine,
	root_needs_no_ambient,
	capabilities_hako_does_not_hold,
	inheritable_outside_bounding,
	memlock_note_names_the_limit,
	memlock_from_config,
	memlock_user_namespace,
	program_missing,
	program_file_capabilities,
	sysctl_every_key,
	rlimit_above_hard_limit,
	rootfs_unreachable_for_mapped_root,
	missing_mount_source,
	kernel_support,
	apparmor_profile,
	apparmor_profile_list,
	seccomp_denies_a_granted_capability,
	seccomp_denies_memlock_without_the_capability,
	seccomp_allows_without_the_capability,
	seccomp_clone3_eperm,
	findings_are_added_once,
	NULL,
};

int main(void)
{
	char bin[96];

	fx_setup();
	snprintf(tree, sizeof(tree), "/tmp/hako-check-XXXXXX");
	if (!mkdtemp(tree))
		return perror("mkdtemp"), 1;
	atexit(tree_cleanup);
	chmod(tree, 0755);
	snprintf(bin, sizeof(bin), "%s/bin", tree);
	mkdir(bin, 0755);
	make_program("prog");
	return tap_main(tests);
}
