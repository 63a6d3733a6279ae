/* ns.c - namespaces: planning, joining, and starting the init inside them. */
#include "linux/ns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/sync.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

int ns_clone_flag(enum ns_type t)
{
	switch (t) {
	case NS_PID:
		return CLONE_NEWPID;
	case NS_NET:
		return CLONE_NEWNET;
	case NS_MNT:
		return CLONE_NEWNS;
	case NS_IPC:
		return CLONE_NEWIPC;
	case NS_UTS:
		return CLONE_NEWUTS;
	case NS_USER:
		return CLONE_NEWUSER;
	case NS_CGROUP:
		return CLONE_NEWCGROUP;
	case NS_TIME:
		return CLONE_NEWTIME;
	case NS_MAX:
		break;
	}
	return 0;
}

/* The namespace behind an fd must be of the type the config says
 * (config-linux.md: "wrong type MUST error"). */
static int check_ns_type(int fd, enum ns_type t, const char *path, struct hako_err *err)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	if (type < 0)
		return hako_fail(err, errno == ENOTTY ? EINVAL : errno, "open namespace", path,
				 "'%s' is not a namespace file", path);
	if (type != ns_clone_flag(t))
		return hako_fail(err, EINVAL, "open namespace", path,
				 "'%s' is not a %s namespace", path, ns_type_names[t]);
	return 0;
}

int ns_plan_init(const struct spec *s, int cgroup_fd, struct ns_plan *p, struct hako_err *err)
{
	bool joins = false;

	memset(p, 0, sizeof(*p));
	p->cgroup_fd = cgroup_fd;
	for (int t = 0; t < NS_MAX; t++)
		p->join_fd[t] = -1;
	for (int t = 0; t < NS_MAX; t++) {
		const struct spec_namespace *ns = &s->lnx.ns[t];
		if (!ns->present)
			continue;
		if (!ns->path) {
			p->new_flags |= (unsigned long)ns_clone_flag(t);
			continue;
		}
		/* The rootfs is bound, pivoted into and masked inside the mount
		 * namespace: done in someone else's, that would change its
		 * mounts and the root of every process in it. */
		if (t == NS_MNT) {
			int r = hako_fail(err, EOPNOTSUPP, "open namespace", ns->path,
					  "joining the mount namespace '%s' is not supported: hako "
					  "sets up the rootfs in a mount namespace of its own",
					  ns->path);
			hako_err_config(err, "linux.namespaces[type=mount].path");
			hako_err_hint(err, "remove \"path\" from the mount namespace entry");
			ns_plan_release(p);
			return r;
		}
		int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			int r = hako_fail(err, errno, "open namespace", ns->path,
					  "cannot open the %s namespace '%s'", ns_type_names[t],
					  ns->path);
			hako_err_config(err, "linux.namespaces[type=%s].path", ns_type_names[t]);
			ns_plan_release(p);
			return r;
		}
		p->join_fd[t] = fd;
		int r = check_ns_type(fd, t, ns->path, err);
		if (r < 0) {
			hako_err_config(err, "linux.namespaces[type=%s].path", ns_type_names[t]);
			ns_plan_release(p);
			return r;
		}
		joins = true;
	}
	p->new_user = p->new_flags & CLONE_NEWUSER;
	/* A time namespace applies to children, and its offsets can only be
	 * written before any process is in it: unshare, write, then clone. */
	p->new_time = p->new_flags & CLONE_NEWTIME;
	p->new_flags &= ~(unsigned long)CLONE_NEWTIME;
	p->time_offsets = s->lnx.time_offsets;
	p->n_time_offsets = s->lnx.n_time_offsets;
	/* Without CLONE_INTO_CGROUP the cgroup namespace must be created
	 * after the init joined its cgroup, or its root would be hako's. */
	if ((p->new_flags & CLONE_NEWCGROUP) && cgroup_fd < 0) {
		p->new_flags &= ~(unsigned long)CLONE_NEWCGROUP;
		p->late_flags |= CLONE_NEWCGROUP;
	}
	p->intermediate = p->join_fd[NS_USER] >= 0 || (p->new_user && joins);
	return 0;
}

void ns_plan_release(struct ns_plan *p)
{
	for (int t = 0; t < NS_MAX; t++)
		if (p->join_fd[t] >= 0) {
			close(p->join_fd[t]);
			p->join_fd[t] = -1;
		}
}

int ns_join_path(const char *path, enum ns_type t, struct hako_err *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char step[32];

	snprintf(step, sizeof(step), "setns(%s)", ns_proc_names[t]);
	if (fd < 0)
		return hako_fail(err, errno, "open namespace", path, "cannot open '%s'", path);
	if (setns(fd, ns_clone_flag(t)) < 0)
		return hako_fail(err, errno, step, path, "cannot join the %s namespace '%s'",
				 ns_type_names[t], path);
	return 0;
}

static int join_fd(int fd, enum ns_type t, struct hako_err *err)
{
	char step[32];

	snprintf(step, sizeof(step), "setns(%s)", ns_proc_names[t]);
	if (setns(fd, ns_clone_flag(t)) < 0)
		return hako_fail(err, errno, step, NULL, "cannot join the container's %s namespace",
				 ns_type_names[t]);
	return 0;
}

/* Join every namespace in the plan except `skip`; user first, because
 * the namespaces that follow may be owned by it. */
static int join_all(const struct ns_plan *p, unsigned skip, struct hako_err *err)
{
	static const enum ns_type order[] = { NS_USER, NS_PID, NS_TIME, NS_IPC, NS_UTS,
					      NS_NET, NS_CGROUP, NS_MNT };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		enum ns_type t = order[i];
		if (p->join_fd[t] < 0 || (skip & (1u << t)))
			continue;
		int r = join_fd(p->join_fd[t], t, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* /proc/self/timens_offsets for the time namespace this process just
 * unshared (it applies to children). */
static int write_time_offsets(const struct ns_plan *p, struct hako_err *err)
{
	_cleanup_buf_ struct buf b = { 0 };

	for (size_t i = 0; i < p->n_time_offsets; i++)
		buf_printf(&b, "%s %lld %u\n", p->time_offsets[i].clock,
			   (long long)p->time_offsets[i].secs, p->time_offsets[i].nanosecs);
	if (!b.len)
		return 0;
	return write_file_at(AT_FDCWD, "/proc/self/timens_offsets", b.p, b.len, 0, 0, err);
}

static int unshare_time(const struct ns_plan *p, struct hako_err *err)
{
	if (unshare(CLONE_NEWTIME) < 0)
		return hako_fail(err, errno, "clone", NULL, "cannot create a time namespace");
	return write_time_offsets(p, err);
}

/* In a new user namespace, become its root so that files the init
 * creates are owned by the mapped root and capabilities stay whole. */
static int become_userns_root(struct hako_err *err)
{
	if (setresgid(0, 0, 0) < 0)
		return hako_fail(err, errno, "setresgid", NULL,
				 "cannot become gid 0 in the user namespace (is gid 0 mapped?)");
	if (setresuid(0, 0, 0) < 0)
		return hako_fail(err, errno, "setresuid", NULL,
				 "cannot become uid 0 in the user namespace (is uid 0 mapped?)");
	return 0;
}

static pid_t do_clone3(unsigned long long flags, int cgroup_fd, int *pidfd)
{
	struct clone_args args = {
		.flags = flags | CLONE_PIDFD,
		.pidfd = (unsigned long long)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};

	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (unsigned long long)cgroup_fd;
	}
	/* Buffered stdio must not be written twice. */
	fflush(NULL);
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

static _Noreturn void child_fail(int sync_fd, const struct hako_err *err)
{
	sync_send_error(sync_fd, err);
	_exit(1);
}

/* The init in path 1 and 2: wait for the id maps, join, run. */
static _Noreturn void fast_child(struct ns_plan *p, int sync_fd, int parent_fd,
				 const struct ns_spawn_ops *ops)
{
	struct hako_err err = { 0 };

	close(parent_fd);
	if (ops->early(ops->arg, p->new_user, &err) < 0)
		child_fail(sync_fd, &err);
	if (p->new_user) {
		if (sync_send(sync_fd, SYNC_USERNS_READY, 0, &err) < 0 ||
		    sync_expect(sync_fd, SYNC_USERNS_MAPPED, NULL, &err) < 0 ||
		    become_userns_root(&err) < 0)
			child_fail(sync_fd, &err);
	}
	/* pid and time were joined by hako around the clone */
	if (join_all(p, 1u << NS_PID | 1u << NS_TIME, &err) < 0)
		child_fail(sync_fd, &err);
	_exit(ops->init(ops->arg));
}

/* Path 3, in the intermediate process: join, unshare, fork the init. */
static _Noreturn void intermediate_child(struct ns_plan *p, int sync_fd, int parent_fd,
					 const struct ns_spawn_ops *ops)
{
	struct hako_err err = { 0 };
	int self;
	pid_t init;

	close(parent_fd);
	if (ops->early(ops->arg, false, &err) < 0 || join_all(p, 0, &err) < 0)
		child_fail(sync_fd, &err);
	/* setns(user) keeps the host ids, unmapped in the joined namespace:
	 * files made there would fail with EOVERFLOW. */
	if (p->join_fd[NS_USER] >= 0 && become_userns_root(&err) < 0)
		child_fail(sync_fd, &err);
	if (p->new_flags && unshare((int)p->new_flags) < 0) {
		hako_fail(&err, errno, "clone", NULL, "cannot create the container's namespaces");
		child_fail(sync_fd, &err);
	}
	if (p->new_user) {
		if (sync_send(sync_fd, SYNC_USERNS_READY, getpid(), &err) < 0 ||
		    sync_expect(sync_fd, SYNC_USERNS_MAPPED, NULL, &err) < 0 ||
		    become_userns_root(&err) < 0)
			child_fail(sync_fd, &err);
	}
	if (p->new_time && unshare_time(p, &err) < 0)
		child_fail(sync_fd, &err);
	/* The init waits until this process is gone: messages from the two
	 * share one socket and CHILD_PID must come first, and the init's death
	 * signal must be set after it was reparented to hako, or the exit of
	 * this process fires it.  A pidfd turns readable only after
	 * exit_notify() reparented the children; a pipe closing at exit would
	 * wake the init too early. */
	self = pidfd_open(getpid(), 0);
	if (self < 0) {
		hako_fail(&err, errno, "pidfd_open", NULL, "cannot watch the intermediate process");
		child_fail(sync_fd, &err);
	}
	fflush(NULL);
	init = fork();
	if (init < 0) {
		hako_fail(&err, errno, "fork", NULL, "cannot fork the container's init");
		child_fail(sync_fd, &err);
	}
	if (init == 0) {
		struct pollfd pfd = { .fd = self, .events = POLLIN };
		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
		close(self);
		_exit(ops->init(ops->arg));
	}
	if (sync_send(sync_fd, SYNC_CHILD_PID, init, &err) < 0)
		kill(init, SIGKILL);
	_exit(0);
}

/* Set the parent's pid_for_children / time_for_children for the clone;
 * `saved` remembers the namespace to return to. */
static int enter_for_children(int fd, enum ns_type t, int *saved, struct hako_err *err)
{
	char self[32];

	snprintf(self, sizeof(self), "/proc/self/ns/%s", ns_proc_names[t]);
	*saved = open(self, O_RDONLY | O_CLOEXEC);
	if (*saved < 0)
		return hako_fail(err, errno, "open namespace", self, "cannot open '%s'", self);
	return join_fd(fd, t, err);
}

static void restore_for_children(int *saved, enum ns_type t)
{
	if (*saved < 0)
		return;
	/* Back to hako's own namespace: always permitted. */
	if (setns(*saved, ns_clone_flag(t)) < 0)
		abort();
	close(*saved);
	*saved = -1;
}

int ns_spawn(struct ns_plan *p, int sync_fd, int parent_fd, const struct ns_spawn_ops *ops,
	     pid_t *ret_pid, int *ret_pidfd, struct hako_err *err)
{
	int saved_pid = -1, saved_time = -1, pidfd = -1, r = 0;
	unsigned long long flags = p->intermediate ? 0 : p->new_flags;
	pid_t pid = -1;
	int32_t value;

	if (!p->intermediate) {
		if (p->join_fd[NS_PID] >= 0)
			r = enter_for_children(p->join_fd[NS_PID], NS_PID, &saved_pid, err);
		if (r == 0 && p->join_fd[NS_TIME] >= 0)
			r = enter_for_children(p->join_fd[NS_TIME], NS_TIME, &saved_time, err);
		else if (r == 0 && p->new_time) {
			saved_time = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
			r = saved_time < 0 ? hako_fail(err, errno, "open namespace",
						       "/proc/self/ns/time",
						       "cannot open hako's time namespace")
					   : unshare_time(p, err);
		}
		if (r < 0)
			goto restore;
	}
	/* The init's parent will be the intermediate, which exits at once:
	 * as a subreaper hako becomes its parent, can wait for it (`run`)
	 * and is the one whose death it notices. */
	if (p->intermediate && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		r = hako_fail(err, errno, "prctl(PR_SET_CHILD_SUBREAPER)", NULL,
			      "cannot become the init's subreaper");
		goto restore;
	}
	pid = do_clone3(flags, p->cgroup_fd, &pidfd);
	if (pid < 0) {
		r = hako_fail(err, errno, "clone", NULL, "cannot create the container's process");
		goto restore;
	}
	if (pid == 0) {
		if (p->intermediate)
			intermediate_child(p, sync_fd, parent_fd, ops);
		fast_child(p, sync_fd, parent_fd, ops);
	}
restore:
	restore_for_children(&saved_pid, NS_PID);
	restore_for_children(&saved_time, NS_TIME);
	if (r < 0)
		return r;

	if (p->new_user) {
		r = sync_expect(parent_fd, SYNC_USERNS_READY, &value, err);
		if (r == 0)
			r = ops->on_userns(p->intermediate ? value : pid, ops->arg, err);
		if (r == 0)
			r = sync_send(parent_fd, SYNC_USERNS_MAPPED, 0, err);
		if (r < 0)
			goto fail;
	}
	if (p->intermediate) {
		int status;
		r = sync_expect(parent_fd, SYNC_CHILD_PID, &value, err);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		close(pidfd);
		pidfd = -1;
		if (r < 0)
			return r;
		pid = value;
		pidfd = pidfd_open(pid, 0);
		if (pidfd < 0)
			return hako_fail(err, errno, "pidfd_open", NULL,
					 "cannot watch the container's init (pid %d)", (int)pid);
	}
	*ret_pid = pid;
	*ret_pidfd = pidfd;
	return 0;
fail:
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(pidfd);
	return r;
}
