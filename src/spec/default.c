/* default.c - the default config: runc's `spec` choices, with the process
 * not on a terminal so that it runs from scripts and CI, a cgroup
 * namespace so /sys/fs/cgroup shows the container's own cgroup, and
 * hako's seccomp profile.
 *
 * The profile is an allow-list written with systemd's syscall groups, so
 * a reader sees "@file-system", not 88 names (hako expands them when it
 * loads the config).  It allows what ordinary programs use, denies what
 * only a capability makes useful, and, as nspawn does, allows the
 * syscalls of each capability the container is granted
 * (seccomp_cap_syscalls): --cap-add SYS_PTRACE brings ptrace.  Rules, in
 * order:
 *   1. allowed: the groups and syscalls of ordinary programs;
 *   2. allowed: what the granted capabilities bring;
 *   3. allowed: --seccomp-allow;
 *   4. EPERM: members of the groups in 1 that a capability not granted
 *      gates, and io_uring - a syscall named directly beats its group;
 *   5. without CAP_SYS_ADMIN: clone without namespace flags only, and
 *      clone3 (whose flags seccomp cannot read) ENOSYS, so libc falls back
 *      to clone (Docker's rules, moby/moby#42681).
 */
#include "spec/default.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "linux/seccomp.h"
#include "linux/seccomp_groups.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"

#define CAP_BIT(c) (1ULL << (c))

static const int default_caps[] = { CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE };

static const char *const masked_paths[] = {
	"/proc/acpi",	     "/proc/asound",   "/proc/kcore",	   "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",	     "/sys/firmware",  "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
					      "/proc/sysrq-trigger" };

/* ---- the seccomp profile's policy ----------------------------------------------- */

/* nspawn's default groups (v260) without @mount (CAP_SYS_ADMIN's here),
 * with @pkey (it protects only the process's own memory; Docker allows
 * it).  @keyring as in nspawn since v258: hako gives each container a
 * session keyring of its own. */
static const char *const allowed_groups[] = {
	"@default", "@aio",	   "@basic-io", "@chown",   "@file-system", "@io-event",
	"@ipc",	    "@keyring",	   "@memlock",	"@network-io", "@pkey",	       "@process",
	"@resources", "@setuid",   "@signal",	"@sync",    "@timer",
};

/* nspawn's extra syscalls, less sethostname and setdomainname
 * (CAP_SYS_ADMIN's), kcmp (CAP_SYS_PTRACE's) and userfaultfd (an exploit
 * helper, denied by Docker too); plus what reads the clock's state
 * (glibc's ntp_gettime calls adjtimex) and newer calls Docker allows. */
static const char *const allowed_syscalls[] = {
	"adjtimex", "arm_fadvise64_64", "cachestat", "capget", "capset", "clock_adjtime",
	"clock_adjtime64", "copy_file_range", "fadvise64", "fadvise64_64", "flock",
	"futex_requeue", "futex_wait", "futex_wake", "get_mempolicy", "getcpu", "getpriority",
	"ioctl", "ioprio_get", "madvise", "map_shadow_stack", "memfd_secret", "mincore",
	"mremap", "name_to_handle_at", "oldolduname", "olduname", "personality",
	"process_mrelease", "readahead", "readdir", "remap_file_pages",
	"sched_get_priority_max", "sched_get_priority_min", "sched_getattr",
	"sched_getparam", "sched_getscheduler", "sched_rr_get_interval",
	"sched_rr_get_interval_time64", "sendfile", "sendfile64", "setfsgid", "setfsgid32",
	"setfsuid", "setfsuid32", "setpgid", "setsid", "splice", "sysinfo", "tee", "umask",
	"uname", "vmsplice",
};

/* In a capability's list, but allowed without it: the kernel checks the
 * capability itself, and they have uses that need none.  The mlock family
 * is bounded by RLIMIT_MEMLOCK - denying it is what broke Elasticsearch in
 * nspawn 235 (seed 1); adjtimex and clock_adjtime only read without
 * CAP_SYS_TIME. */
static const char *const kept[] = { "@memlock", "adjtimex", "clock_adjtime", "clock_adjtime64" };

/* Denied whatever the capabilities: a large kernel attack surface behind
 * many exploits (Docker and containerd deny it as well). */
static const char *const always_denied[] = { "io_uring_setup", "io_uring_enter",
					     "io_uring_register" };

/* clone's flags word: arg 1 on s390, arg 0 elsewhere. */
#if defined(__s390__) || defined(__s390x__)
#define CLONE_FLAGS_ARG 1
#else
#define CLONE_FLAGS_ARG 0
#endif
/* CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET */
#define CLONE_NAMESPACE_FLAGS 0x7E020000ULL

static const char *const *profile_archs(size_t *n)
{
#if defined(__x86_64__)
	static const char *const a[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" };
#elif defined(__aarch64__)
	static const char *const a[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM" };
#elif defined(__s390x__)
	static const char *const a[] = { "SCMP_ARCH_S390X", "SCMP_ARCH_S390" };
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	static const char *const a[] = { "SCMP_ARCH_PPC64LE" };
#elif defined(__riscv) && __riscv_xlen == 64
	static const char *const a[] = { "SCMP_ARCH_RISCV64" };
#elif defined(__i386__)
	static const char *const a[] = { "SCMP_ARCH_X86" };
#elif defined(__arm__)
	static const char *const a[] = { "SCMP_ARCH_ARM" };
#else
	static const char *const a[] = { NULL };
	*n = 0;
	return a;
#endif
	*n = ARRAY_SIZE(a);
	return a;
}

/* A set of names, in the order they were added. */
struct names {
	const char **v;
	size_t n, cap;
};

static bool names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	return false;
}

static void names_add(struct names *s, const char *name)
{
	if (names_has(s, name))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = name;
}

static void names_add_cb(const char *syscall, void *arg)
{
	names_add(arg, syscall);
}

/* Every syscall of the names and @groups of `list`. */
static void names_expand(struct names *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n && list[i]; i++)
		seccomp_expand(list[i], names_add_cb, s);
}

static size_t list_len(const char *const *list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

/* ---- writing ------------------------------------------------------------------ */

static void str_array(struct buf *b, const char *const *v, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_json_str(b, v[i]);
	}
	buf_putc(b, ']');
}

/* A names array, on one line if short, else wrapped `indent` tabs deep. */
static void wrapped_array(struct buf *b, const char *const *v, size_t n, int indent)
{
	size_t col = 0, total = 0;

	for (size_t i = 0; i < n; i++)
		total += strlen(v[i]) + 4;
	if (total < 60) {
		str_array(b, v, n);
		return;
	}
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 4;
		if (i)
			buf_putc(b, ',');
		if (i == 0 || col + len > 76) {
			buf_putc(b, '\n');
			for (int t = 0; t < indent; t++)
				buf_putc(b, '\t');
			col = 0;
		} else {
			buf_putc(b, ' ');
		}
		buf_json_str(b, v[i]);
		col += len;
	}
	buf_putc(b, '\n');
	for (int t = 0; t < indent - 1; t++)
		buf_putc(b, '\t');
	buf_putc(b, ']');
}

static void rule(struct buf *b, const struct names *n, const char *action, const char *extra,
		 bool *first)
{
	if (!n->n)
		return;
	buf_puts(b, *first ? "\n" : ",\n");
	*first = false;
	buf_puts(b, "\t\t\t\t{\n\t\t\t\t\t\"names\": ");
	wrapped_array(b, n->v, n->n, 6);
	buf_printf(b, ",\n\t\t\t\t\t\"action\": \"%s\"%s\n\t\t\t\t}", action, extra ? extra : "");
}

/* Names that libseccomp knows on the profile's architectures; the others
 * would only make `create` warn. */
static void keep_known(struct names *out, const char *const *list, size_t n)
{
	size_t n_archs;
	const char *const *archs = profile_archs(&n_archs);

	for (size_t i = 0; i < n && list[i]; i++)
		if (list[i][0] == '@' || seccomp_syscall_on_archs(list[i], archs, n_archs))
			names_add(out, list[i]);
}

static void seccomp_profile(struct buf *b, const struct default_opts *o, uint64_t caps)
{
	struct names allow = { 0 }, granted = { 0 }, user = { 0 }, deny = { 0 };
	struct names cover = { 0 }, granted_all = { 0 }, user_all = { 0 }, keep = { 0 };
	size_t n_archs;
	const char *const *archs = profile_archs(&n_archs);
	bool sys_admin = caps & CAP_BIT(CAP_SYS_ADMIN), first = true;
	char clone_args[192];

	keep_known(&allow, allowed_groups, ARRAY_SIZE(allowed_groups));
	keep_known(&allow, allowed_syscalls, ARRAY_SIZE(allowed_syscalls));
	names_expand(&cover, allow.v, allow.n);
	names_expand(&keep, kept, ARRAY_SIZE(kept));
	for (int cap = 0; cap <= HAKO_CAP_LAST; cap++) {
		const char *const *list = seccomp_cap_syscalls(cap);
		if (list && (caps & CAP_BIT(cap))) {
			keep_known(&granted, list, list_len(list));
			names_expand(&granted_all, list, list_len(list));
		}
	}
	keep_known(&user, o->seccomp_allow, o->n_seccomp_allow);
	names_expand(&user_all, o->seccomp_allow, o->n_seccomp_allow);
	/* what a capability not granted gates inside the allowed groups */
	for (int cap = 0; cap <= HAKO_CAP_LAST; cap++) {
		const char *const *list = seccomp_cap_syscalls(cap);
		struct names gated = { 0 };
		if (!list || (caps & CAP_BIT(cap)))
			continue;
		names_expand(&gated, list, list_len(list));
		for (size_t i = 0; i < gated.n; i++) {
			const char *s = gated.v[i];
			if (names_has(&cover, s) && !names_has(&keep, s) &&
			    !names_has(&granted_all, s) && !names_has(&user_all, s) &&
			    strcmp(s, "clone") && strcmp(s, "clone3"))
				keep_known(&deny, &s, 1);
		}
		free(gated.v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(always_denied); i++)
		if (!names_has(&user_all, always_denied[i]))
			keep_known(&deny, &always_denied[i], 1);

	buf_puts(b, ",\n\t\t\"seccomp\": {\n\t\t\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		    "\t\t\t\"defaultErrnoRet\": 1,\n\t\t\t\"architectures\": ");
	str_array(b, archs, n_archs);
	buf_puts(b, ",\n\t\t\t\"syscalls\": [");
	rule(b, &allow, "SCMP_ACT_ALLOW", NULL, &first);
	rule(b, &granted, "SCMP_ACT_ALLOW", NULL, &first);
	rule(b, &user, "SCMP_ACT_ALLOW", NULL, &first);
	rule(b, &deny, "SCMP_ACT_ERRNO", ",\n\t\t\t\t\t\"errnoRet\": 1", &first);
	if (!sys_admin && !names_has(&user_all, "clone")) {
		struct names clone = { .v = (const char *[]){ "clone" }, .n = 1 };
		snprintf(clone_args, sizeof(clone_args),
			 ",\n\t\t\t\t\t\"args\": [{\"index\": %d, \"value\": %llu, "
			 "\"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]",
			 CLONE_FLAGS_ARG, CLONE_NAMESPACE_FLAGS);
		rule(b, &clone, "SCMP_ACT_ALLOW", clone_args, &first);
	}
	if (!sys_admin && !names_has(&user_all, "clone3")) {
		struct names clone3 = { .v = (const char *[]){ "clone3" }, .n = 1 };
		snprintf(clone_args, sizeof(clone_args), ",\n\t\t\t\t\t\"errnoRet\": %d", ENOSYS);
		rule(b, &clone3, "SCMP_ACT_ERRNO", clone_args, &first);
	}
	buf_puts(b, "\n\t\t\t]\n\t\t}");
	free(allow.v);
	free(granted.v);
	free(user.v);
	free(deny.v);
	free(cover.v);
	free(granted_all.v);
	free(user_all.v);
	free(keep.v);
}

/* ---- the rest of the config ---------------------------------------------------------- */

uint64_t spec_default_caps(const struct default_opts *o)
{
	uint64_t caps = 0;

	for (size_t i = 0; i < ARRAY_SIZE(default_caps); i++)
		caps |= CAP_BIT(default_caps[i]);
	return (caps | o->cap_add) & ~o->cap_drop;
}

static void cap_array(struct buf *b, uint64_t set)
{
	bool first = true;

	buf_putc(b, '[');
	for (int cap = 0; cap <= HAKO_CAP_LAST; cap++) {
		if (!(set & CAP_BIT(cap)))
			continue;
		buf_puts(b, first ? "" : ", ");
		buf_json_str(b, cap_name(cap));
		first = false;
	}
	buf_putc(b, ']');
}

/* runc's sets for root.  A non-root user loses every capability at execve
 * unless it is ambient (capabilities(7)), so for one the effective,
 * permitted, inheritable and ambient sets hold exactly what --cap-add asked
 * for, and runc's defaults stay in bounding only: the config then says
 * what the process will really hold. */
static void capabilities(struct buf *b, const struct default_opts *o)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable",
					    "ambient" };
	uint64_t caps = spec_default_caps(o);
	uint64_t added = o->cap_add & ~o->cap_drop;
	bool nonroot = o->user_set && o->uid != 0;
	size_t n = nonroot ? 5 : 3;

	buf_puts(b, "\t\t\"capabilities\": {\n");
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "\t\t\t\"%s\": ", sets[i]);
		cap_array(b, i == 0 || !nonroot ? caps : added);
		buf_puts(b, i + 1 < n ? ",\n" : "\n");
	}
	buf_puts(b, "\t\t},\n");
}

static void rlimits(struct buf *b, const struct default_opts *o)
{
	struct default_rlimit list[32] = { { RLIMIT_NOFILE, 1024, 1024 } };
	size_t n = 1;

	for (size_t i = 0; i < o->n_rlimits; i++) {
		size_t k = 0;
		while (k < n && list[k].resource != o->rlimits[i].resource)
			k++;
		if (k == n && n < ARRAY_SIZE(list))
			n++;
		if (k < ARRAY_SIZE(list))
			list[k] = o->rlimits[i];
	}
	buf_puts(b, "\t\t\"rlimits\": [\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "\t\t\t{\n\t\t\t\t\"type\": \"%s\",\n\t\t\t\t\"hard\": %llu,\n"
			      "\t\t\t\t\"soft\": %llu\n\t\t\t}%s\n",
			   rlimit_name(list[i].resource), (unsigned long long)list[i].hard,
			   (unsigned long long)list[i].soft, i + 1 < n ? "," : "");
	buf_puts(b, "\t\t],\n");
}

static void sysctls(struct buf *b, const struct default_opts *o)
{
	bool first = true;

	if (!o->n_sysctls)
		return;
	buf_puts(b, "\t\t\"sysctl\": {");
	for (size_t i = 0; i < o->n_sysctls; i++) {
		const char *kv = o->sysctls[i], *eq = strchr(kv, '=');
		bool later = false;
		_cleanup_free_ char *key = strndup(kv, (size_t)(eq - kv));
		/* the last --sysctl of a key wins */
		for (size_t j = i + 1; j < o->n_sysctls; j++)
			later |= !strncmp(o->sysctls[j], kv, (size_t)(eq - kv) + 1);
		if (later)
			continue;
		buf_puts(b, first ? "\n\t\t\t" : ",\n\t\t\t");
		first = false;
		buf_json_str(b, key);
		buf_puts(b, ": ");
		buf_json_str(b, eq + 1);
	}
	buf_puts(b, "\n\t\t},\n");
}

static void mount_entry(struct buf *b, const char *dest, const char *type, const char *src,
			const char *options, bool last)
{
	buf_printf(b, "\t\t{\n\t\t\t\"destination\": \"%s\",\n\t\t\t\"type\": \"%s\",\n"
		      "\t\t\t\"source\": \"%s\"",
		   dest, type, src);
	if (options)
		buf_printf(b, ",\n\t\t\t\"options\": [%s]", options);
	buf_printf(b, "\n\t\t}%s\n", last ? "" : ",");
}

static void mounts(struct buf *b, const struct default_opts *o)
{
	buf_puts(b, "\t\"mounts\": [\n");
	mount_entry(b, "/proc", "proc", "proc", NULL, false);
	mount_entry(b, "/dev", "tmpfs", "tmpfs",
		    "\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"", false);
	mount_entry(b, "/dev/pts", "devpts", "devpts",
		    o->rootless ? "\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
				  "\"mode=0620\""
				: "\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
				  "\"mode=0620\", \"gid=5\"",
		    false);
	mount_entry(b, "/dev/shm", "tmpfs", "shm",
		    "\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"", false);
	mount_entry(b, "/dev/mqueue", "mqueue", "mqueue", "\"nosuid\", \"noexec\", \"nodev\"",
		    false);
	if (o->rootless)
		mount_entry(b, "/sys", "none", "/sys",
			    "\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"", true);
	else {
		mount_entry(b, "/sys", "sysfs", "sysfs",
			    "\"nosuid\", \"noexec\", \"nodev\", \"ro\"", false);
		mount_entry(b, "/sys/fs/cgroup", "cgroup", "cgroup",
			    "\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"", true);
	}
	buf_puts(b, "\t],\n");
}

static void linux_section(struct buf *b, const struct default_opts *o)
{
	buf_puts(b, "\t\"linux\": {\n");
	if (o->rootless)
		buf_printf(b, "\t\t\"uidMappings\": [{\"containerID\": 0, \"hostID\": %u, "
			      "\"size\": 1}],\n\t\t\"gidMappings\": [{\"containerID\": 0, "
			      "\"hostID\": %u, \"size\": 1}],\n",
			   (unsigned)o->host_uid, (unsigned)o->host_gid);
	else
		buf_puts(b, "\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n"
			    "\t\t\t\t\t\"allow\": false,\n\t\t\t\t\t\"access\": \"rwm\"\n"
			    "\t\t\t\t}\n\t\t\t]\n\t\t},\n");
	sysctls(b, o);
	buf_puts(b, "\t\t\"namespaces\": [\n\t\t\t{ \"type\": \"pid\" },\n"
		    "\t\t\t{ \"type\": \"network\" },\n\t\t\t{ \"type\": \"ipc\" },\n"
		    "\t\t\t{ \"type\": \"uts\" },\n\t\t\t{ \"type\": \"mount\" },\n");
	buf_puts(b, o->rootless ? "\t\t\t{ \"type\": \"user\" }\n" : "\t\t\t{ \"type\": \"cgroup\" }\n");
	buf_puts(b, "\t\t],\n\t\t\"maskedPaths\": ");
	str_array(b, masked_paths, ARRAY_SIZE(masked_paths));
	buf_puts(b, ",\n\t\t\"readonlyPaths\": ");
	str_array(b, readonly_paths, ARRAY_SIZE(readonly_paths));
	seccomp_profile(b, o, spec_default_caps(o));
	buf_puts(b, "\n\t}\n");
}

char *spec_default_json(const struct default_opts *o)
{
	static const char *const sh[] = { "sh" };
	struct buf b = { 0 };

	buf_printf(&b, "{\n\t\"ociVersion\": \"1.3.0\",\n\t\"process\": {\n"
		       "\t\t\"terminal\": false,\n\t\t\"user\": {\n\t\t\t\"uid\": %u,\n"
		       "\t\t\t\"gid\": %u\n\t\t},\n\t\t\"args\": ",
		   o->user_set ? o->uid : 0, o->user_set ? o->gid : 0);
	if (o->n_args)
		str_array(&b, o->args, o->n_args);
	else
		str_array(&b, sh, 1);
	buf_puts(&b, ",\n\t\t\"env\": [\n\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		     "/usr/bin:/sbin:/bin\",\n\t\t\t\"TERM=xterm\"\n\t\t],\n"
		     "\t\t\"cwd\": \"/\",\n");
	capabilities(&b, o);
	rlimits(&b, o);
	buf_puts(&b, "\t\t\"noNewPrivileges\": true\n\t},\n"
		     "\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
		     "\t\"hostname\": \"hako\",\n");
	mounts(&b, o);
	linux_section(&b, o);
	buf_puts(&b, "}\n");
	return buf_steal(&b);
}

int spec_default_check(const struct default_opts *o, struct hako_err *err)
{
	for (size_t i = 0; i < o->n_seccomp_allow; i++) {
		const char *name = o->seccomp_allow[i];
		if (name[0] == '@' && !seccomp_group_find(name)) {
			int r = hako_fail(err, 0, "usage", NULL,
					  "--seccomp-allow: unknown syscall group \"%s\"", name);
			hako_err_hint(err, "'hako seccomp groups' lists the groups and their syscalls");
			return r;
		}
		if (name[0] != '@' && !seccomp_syscall_known(name)) {
			int r = hako_fail(err, 0, "usage", NULL, "--seccomp-allow: unknown syscall \"%s\"",
					  name);
			hako_err_hint(err, "libseccomp does not know it: check the spelling, or "
					   "name a @group ('hako seccomp groups')");
			return r;
		}
	}
	for (size_t i = 0; i < o->n_sysctls; i++) {
		const char *eq = strchr(o->sysctls[i], '=');
		if (!eq || eq == o->sysctls[i])
			return hako_fail(err, 0, "usage", NULL,
					 "--sysctl takes KEY=VALUE, not \"%s\"", o->sysctls[i]);
	}
	return 0;
}
