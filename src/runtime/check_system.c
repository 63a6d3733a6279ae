/* check_system.c - the checks about the host: rlimits hako cannot give,
 * a rootfs or mount source that is missing or out of reach of the
 * container's root, kernel support for what the config asks, and network
 * devices to move that are missing or cannot move. */
#include "runtime/check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "linux/netdev.h"
#include "linux/rlimit.h"
#include "util/buf.h"
#include "util/cleanup.h"

/* ---- rlimits ---------------------------------------------------------------------- */

void check_rlimits(struct check_ctx *c)
{
	const struct spec_process *p = &c->spec->process;

	for (size_t i = 0; p->present && i < p->n_rlimits; i++) {
		struct hako_err e = { 0 };
		if (rlimit_check_one(&p->rlimits[i], i, c->host->can_raise_rlimits, &e) < 0)
			check_add_err(c->report, SEVERITY_ERROR, "rlimits", &e);
	}
}

/* ---- network devices ---------------------------------------------------------------- */

/* create runs the same checks itself (netdev_preflight), with the errno
 * and step of each failure: this row is for `hako check` only. */
void check_netdevices(struct check_ctx *c)
{
	const struct spec_linux *l = &c->spec->lnx;

	for (size_t i = 0; i < l->n_net_devices; i++) {
		struct hako_err e = { 0 };
		if (netdev_preflight_one(&l->net_devices[i], &e) < 0)
			check_add_err(c->report, SEVERITY_ERROR, "netdevices", &e);
	}
}

/* ---- rootfs and mount sources ------------------------------------------------------ */

static bool report_has(const struct check_ctx *c, const char *config)
{
	for (size_t i = 0; i < c->report->n; i++)
		if (!strcmp(c->report->v[i].config, config))
			return true;
	return false;
}

/* The host id that container id `id` maps to, or -1. */
static long long map_id(const struct spec_idmap *m, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].container_id && id - m[i].container_id < m[i].size)
			return (long long)m[i].host_id + (id - m[i].container_id);
	return -1;
}

static bool host_id_mapped(const struct spec_idmap *m, size_t n, uint32_t host)
{
	for (size_t i = 0; i < n; i++)
		if (host >= m[i].host_id && host - m[i].host_id < m[i].size)
			return true;
	return false;
}

/* Can the container's root (host uid `uid`, gid `gid`) search directory
 * `st`?  Inside its user namespace it holds CAP_DAC_OVERRIDE only over
 * files whose owner and group are mapped (capable_wrt_inode_uidgid);
 * elsewhere the mode bits decide, as for any user.  ACLs are not read. */
static bool can_search(const struct spec *s, const struct stat *st, long long uid, long long gid)
{
	const struct spec_linux *l = &s->lnx;

	if (host_id_mapped(l->uid_mappings, l->n_uid_mappings, st->st_uid) &&
	    host_id_mapped(l->gid_mappings, l->n_gid_mappings, st->st_gid))
		return true;
	if (st->st_uid == uid)
		return st->st_mode & S_IXUSR;
	if (st->st_gid == gid)
		return st->st_mode & S_IXGRP;
	return st->st_mode & S_IXOTH;
}

/* Seed 2: the mapped root (host uid 100000) cannot pass a 0770 root:root
 * directory above the rootfs, and the mount fails with a bare EACCES. */
static void check_reach(struct check_ctx *c, const char *path, const char *config,
			const char *what)
{
	const struct spec *s = c->spec;
	long long uid = map_id(s->lnx.uid_mappings, s->lnx.n_uid_mappings, 0);
	long long gid = map_id(s->lnx.gid_mappings, s->lnx.n_gid_mappings, 0);
	size_t len = strlen(path);
	char text[1200], fix[600], d[4096];
	struct stat st;

	if (!spec_new_ns(s, NS_USER) || uid < 0 || path[0] != '/' || len >= sizeof(d))
		return;
	/* "/", then each ancestor, then the path itself: all need search. */
	for (size_t i = 0; i <= len; i++) {
		if (i > 0 && i < len && path[i] != '/')
			continue;
		snprintf(d, sizeof(d), "%.*s", (int)(i == 0 ? 1 : i), path);
		if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode) || can_search(s, &st, uid, gid))
			continue;
		snprintf(text, sizeof(text),
			 "%s '%s' is not reachable by the container's root (host uid %lld): '%s' "
			 "has mode %04o and owner %u:%u",
			 what, path, uid, d, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
			 (unsigned)st.st_gid);
		snprintf(fix, sizeof(fix),
			 "grant search permission on it (chmod o+x '%s'), or give it to the mapped "
			 "root (chown %lld '%s')",
			 d, uid, d);
		check_add(c, SEVERITY_ERROR, "rootfs", config, text,
			  "in its user namespace the container's root is an ordinary user for files "
			  "whose owner is not mapped, so the kernel refuses the mount with EACCES",
			  fix);
		return;
	}
}

static bool is_bind(const struct spec_mount *m)
{
	if (m->type && !strcmp(m->type, "bind"))
		return true;
	for (size_t i = 0; i < m->options.n; i++)
		if (!strcmp(m->options.v[i], "bind") || !strcmp(m->options.v[i], "rbind"))
			return true;
	return false;
}

static void check_mount_sources(struct check_ctx *c)
{
	const struct spec *s = c->spec;

	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct spec_mount *m = &s->mounts[i];
		_cleanup_free_ char *src = NULL;
		char config[64], what[1200];
		struct stat st;

		if (!is_bind(m) || !m->source)
			continue;
		snprintf(config, sizeof(config), "mounts[%zu].source", i);
		/* config.md: a relative bind source is relative to the bundle */
		src = m->source[0] == '/' || !s->bundle ? xstrdup(m->source)
							 : xasprintf("%s/%s", s->bundle, m->source);
		if (stat(src, &st) < 0) {
			int e = errno;
			snprintf(what, sizeof(what), "the source of the bind mount on '%s', '%s', "
						     "cannot be used: %s (%s)",
				 m->destination, src, strerror(e), errno_name(e));
			check_add(c, SEVERITY_ERROR, "rootfs", config, what, NULL,
				  e == ENOENT ? "create it on the host, or fix the source path"
					      : "make it accessible to hako");
			continue;
		}
		check_reach(c, src, config, "bind mount source");
	}
}

void check_rootfs(struct check_ctx *c)
{
	const struct spec *s = c->spec;
	struct stat st;
	char what[1200];

	if (!s->rootfs)
		return;
	if (!report_has(c, "root.path")) {
		if (stat(s->rootfs, &st) < 0) {
			int e = errno;
			snprintf(what, sizeof(what), "root.path: cannot use '%s' as the container's "
						     "root: %s (%s)",
				 s->rootfs, strerror(e), errno_name(e));
			check_add(c, SEVERITY_ERROR, "rootfs", "root.path", what, NULL,
				  "create the directory (scripts/make-rootfs.sh makes a busybox one) "
				  "or fix root.path");
		} else if (!S_ISDIR(st.st_mode)) {
			snprintf(what, sizeof(what), "root.path: '%s' is not a directory", s->rootfs);
			check_add(c, SEVERITY_ERROR, "rootfs", "root.path", what, NULL,
				  "point root.path at the unpacked root file system");
		} else {
			check_reach(c, s->rootfs, "root.path", "rootfs");
		}
	}
	check_mount_sources(c);
}

/* ---- kernel support ----------------------------------------------------------------- */

/* actions_avail spells the actions as the kernel names them. */
static const char *kernel_action(enum seccomp_action a)
{
	switch (a) {
	case SCMP_ACTION_KILL:
	case SCMP_ACTION_KILL_THREAD:
		return "kill_thread";
	case SCMP_ACTION_KILL_PROCESS:
		return "kill_process";
	case SCMP_ACTION_TRAP:
		return "trap";
	case SCMP_ACTION_ERRNO:
		return "errno";
	case SCMP_ACTION_TRACE:
		return "trace";
	case SCMP_ACTION_ALLOW:
		return "allow";
	case SCMP_ACTION_LOG:
		return "log";
	case SCMP_ACTION_NOTIFY:
		return "user_notif";
	default:
		return NULL;
	}
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

static void seccomp_action(struct check_ctx *c, enum seccomp_action a, const char *config)
{
	const char *name = kernel_action(a);
	char what[600];

	if (!name || has_word(c->host->seccomp_actions, name))
		return;
	snprintf(what, sizeof(what), "the kernel (%s) has no seccomp action %s", c->host->release,
		 seccomp_action_names[a]);
	check_add(c, SEVERITY_ERROR, "kernel", config, what,
		  "/proc/sys/kernel/seccomp/actions_avail does not list it, so loading the "
		  "filter would fail",
		  "use an action the kernel lists there, or a newer kernel");
}

static void check_seccomp_support(struct check_ctx *c)
{
	const struct spec_seccomp *sc = &c->spec->lnx.seccomp;

	if (!sc->present)
		return;
	if (!c->host->has_seccomp) {
		check_add(c, SEVERITY_ERROR, "kernel", "linux.seccomp",
			  "this kernel has no seccomp filters, so linux.seccomp cannot be applied",
			  "/proc/sys/kernel/seccomp/actions_avail is missing (a kernel without "
			  "CONFIG_SECCOMP_FILTER, or older than 4.14)",
			  "run on a kernel with seccomp filters, or drop linux.seccomp (weaker "
			  "isolation)");
		return;
	}
	seccomp_action(c, sc->default_action, "linux.seccomp.defaultAction");
	for (size_t i = 0; i < sc->n_syscalls; i++) {
		char config[64];
		snprintf(config, sizeof(config), "linux.seccomp.syscalls[%zu].action", i);
		seccomp_action(c, sc->syscalls[i].action, config);
	}
}

static const char *userns_why(int e)
{
	switch (e) {
	case EINVAL:
		return "the kernel was built without user namespaces or has them switched off "
		       "at boot (EINVAL)";
	case ENOSPC:
		return "the user namespace limit is reached (ENOSPC): see "
		       "/proc/sys/user/max_user_namespaces";
	case EPERM:
		return "creating user namespaces is forbidden here (EPERM): a sysctl such as "
		       "kernel.unprivileged_userns_clone or an LSM policy, or hako runs under a "
		       "seccomp filter or in a chroot";
	case EUSERS:
		return "user namespaces are nested 32 deep already (EUSERS)";
	default:
		return "clone(CLONE_NEWUSER) failed";
	}
}

static void check_namespaces(struct check_ctx *c)
{
	const struct spec *s = c->spec;
	const struct check_host *h = c->host;
	char what[600];

	if (spec_new_ns(s, NS_USER)) {
		if (h->max_user_namespaces == 0)
			check_add(c, SEVERITY_ERROR, "kernel", "linux.namespaces",
				  "the config asks for a user namespace, but user namespaces are "
				  "disabled on this host: user.max_user_namespaces is 0",
				  "the kernel refuses clone(CLONE_NEWUSER) with ENOSPC",
				  "on the host: sysctl -w user.max_user_namespaces=15000 (and persist "
				  "it in /etc/sysctl.d)");
		else if (h->userns_errno > 0) {
			snprintf(what, sizeof(what),
				 "the config asks for a user namespace, but this host cannot create "
				 "one: clone(CLONE_NEWUSER) fails with %s",
				 errno_name(h->userns_errno));
			check_add(c, SEVERITY_ERROR, "kernel", "linux.namespaces", what,
				  userns_why(h->userns_errno),
				  "enable user namespaces on the host, or drop the user namespace and "
				  "linux.uidMappings/gidMappings");
		}
	}
	if (spec_new_ns(s, NS_TIME) && !h->time_ns) {
		snprintf(what, sizeof(what),
			 "the config asks for a time namespace, but this kernel (%s) has none",
			 h->release);
		check_add(c, SEVERITY_ERROR, "kernel", "linux.namespaces", what,
			  "/proc/self/ns/time is missing: time namespaces need Linux 5.6 and "
			  "CONFIG_TIME_NS",
			  "drop the time namespace and linux.timeOffsets, or use a newer kernel");
	}
}

void check_kernel(struct check_ctx *c)
{
	check_seccomp_support(c);
	check_namespaces(c);
}
