/* init.c - the container's init, from its namespaces to execve.
 *
 * The sequence follows runtime.md's lifecycle and runc's order: cgroup,
 * hostname, rootfs and mounts, devices, the hooks of "create", pivot_root,
 * sysctls (before /proc/sys turns read-only), masked and read-only paths,
 * task attributes, then the AppArmor profile, identity and capabilities
 * (linux/process.c).
 * Everything that can fail does so before `create` returns; after it only
 * startContainer hooks, seccomp and execve remain.
 */
#include "runtime/init.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/apparmor.h"
#include "linux/console.h"
#include "linux/mount.h"
#include "linux/rlimit.h"
#include "linux/rootfs.h"
#include "linux/sysctl.h"
#include "linux/task_attrs.h"
#include "linux/userns.h"
#include "runtime/hooks.h"
#include "runtime/sync.h"
#include "util/cleanup.h"
#include "util/log.h"

static int set_uts(const struct spec *s, struct hako_err *err)
{
	if (s->hostname && spec_has_ns(s, NS_UTS) &&
	    sethostname(s->hostname, strlen(s->hostname)) < 0)
		return hako_fail(err, errno, "sethostname", NULL, "cannot set hostname \"%s\"",
				 s->hostname);
	if (s->domainname && spec_has_ns(s, NS_UTS) &&
	    setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return hako_fail(err, errno, "setdomainname", NULL, "cannot set domainname \"%s\"",
				 s->domainname);
	return 0;
}

/* A session keyring of the container's own, so that keys do not leak
 * between containers (runc does the same).  A kernel without keys is not an
 * error; anything else is, since the container would share the caller's
 * keys without anyone having asked for it. */
static int new_session_keyring(const struct container *c, struct hako_err *err)
{
	int r, e;

	if (c->opts->no_new_keyring ||
	    syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) >= 0 || errno == ENOSYS)
		return 0;
	e = errno;
	r = hako_fail(err, e, "keyctl(KEYCTL_JOIN_SESSION_KEYRING)", NULL,
		      "cannot give the container a session keyring of its own");
	if (e == EDQUOT)
		hako_err_hint(err, "the user's key quota is used up (kernel.keys.maxkeys); raise it, "
				   "or run with --no-new-keyring to share the caller's keyring");
	else
		hako_err_hint(err, "a seccomp filter around hako may deny keyctl (hako inside a "
				   "container); run with --no-new-keyring to share the caller's keyring");
	return r;
}

/* On cgroup v1 the init cannot be cloned into its cgroups, and the first
 * write to a cgroup.procs waits for an RCU grace period (about 0.25 ms
 * here, docs/performance.md).  So hako does the writes while the init gets
 * on with hostname and mounts, and the init waits for them only where it
 * needs them: before its cgroup namespace (whose root is the cgroup it is
 * in), a cgroup mount, or the next message on the socket. */
static int join_cgroup(struct container *c, struct hako_err *err)
{
	int r;

	if (c->cgroup_joined)
		return 0;
	c->cgroup_joined = true;
	if (c->hako_joins_cgroup && (r = sync_expect(c->sync_init, SYNC_CGROUP_JOINED, NULL, err)) < 0)
		return r;
	if (c->plan.late_flags && unshare((int)c->plan.late_flags) < 0)
		return hako_fail(err, errno, "unshare", NULL,
				 "cannot create the container's cgroup namespace");
	return 0;
}

static bool is_cgroup_mount(const struct spec_mount *m)
{
	return m->type && (!strcmp(m->type, "cgroup") || !strcmp(m->type, "cgroup2"));
}

static int do_mounts(struct container *c, int rootfd, struct hako_err *err)
{
	const struct spec *s = c->spec;
	/* canonical, as readlink of an fd below it reads (root.path may hold
	 * symlinks or ..) */
	_cleanup_free_ char *real_rootfs = realpath(s->rootfs, NULL);
	struct mount_ctx ctx = {
		.rootfd = rootfd,
		.rootfs = real_rootfs,
		.cgroupns = spec_has_ns(s, NS_CGROUP),
		.userns = spec_has_ns(s, NS_USER),
	};
	int r;

	for (size_t i = 0; i < s->n_mounts; i++) {
		if (is_cgroup_mount(&s->mounts[i]) && (r = join_cgroup(c, err)) < 0)
			return r;
		r = mount_one(&ctx, &s->mounts[i], i, err);
		if (r < 0)
			return r;
	}
	/* runtime-spec leaves a missing cwd to the runtime; runc creates it */
	if (s->process.present && s->process.cwd) {
		int fd = path_open_in_root(rootfd, s->process.cwd, true, false, err);
		if (fd < 0) {
			hako_err_config(err, "process.cwd");
			return fd;
		}
		close(fd);
	}
	return 0;
}

static char *creating_state(const struct container *c, pid_t pid, enum container_status st)
{
	struct container_state tmp = *c->state;

	tmp.pid = pid;
	tmp.bundle = c->spec->bundle;
	return state_oci_json(&tmp, st);
}

/* Before pivot_root: hako runs prestart and createRuntime hooks (runtime
 * namespace), then the init runs createContainer hooks (container
 * namespaces, paths resolved on the host). */
static int create_hooks(struct container *c, struct hako_err *err)
{
	_cleanup_free_ char *state = NULL;
	int32_t pid;
	int r;

	if (!c->prestart_sync)
		return 0;
	r = sync_send(c->sync_init, SYNC_PRESTART, 0, err);
	if (r == 0)
		r = sync_expect(c->sync_init, SYNC_PRESTART_DONE, &pid, err);
	if (r < 0 || !c->spec->hooks.n[HOOK_CREATE_CONTAINER])
		return r;
	state = creating_state(c, pid, STATUS_CREATING);
	return hooks_run(&c->spec->hooks, HOOK_CREATE_CONTAINER, state, err);
}

static int setup(struct container *c, struct process_ctx *proc, struct hako_err *err)
{
	struct spec *s = c->spec;
	_cleanup_close_ int rootfd = -1, apparmor_fd = -1;
	int r;

	/* in the host's /proc, before any mount of the config's and
	 * pivot_root (linux/apparmor.h); written in process_prepare */
	if ((r = apparmor_prepare(&s->process, &apparmor_fd, err)) < 0 || (r = set_uts(s, err)) < 0)
		return r;
	if ((r = new_session_keyring(c, err)) < 0 || (r = rootfs_prepare(s, &rootfd, err)) < 0 ||
	    (r = do_mounts(c, rootfd, err)) < 0 ||
	    (r = rootfs_devices(s, rootfd, spec_has_ns(s, NS_USER), err)) < 0 ||
	    (r = join_cgroup(c, err)) < 0 || (r = create_hooks(c, err)) < 0 ||
	    (r = rootfs_switch(rootfd, c->opts->no_pivot, err)) < 0)
		return r;
	if (c->console >= 0) {
		r = console_setup(c->console, &s->process, err);
		close(c->console);
		c->console = -1;
		if (r < 0)
			return r;
	}
	if ((r = sysctl_apply(s, err)) < 0 || (r = rootfs_mask_paths(s, err)) < 0 ||
	    (r = rootfs_finish(s, err)) < 0 || (r = task_attrs_apply(s, err)) < 0)
		return r;
	/* In hako's user namespace the init still has hako's capabilities
	 * here, before its uid switch; in its own, hako did it (create.c). */
	if (!c->plan.new_user && !c->plan.intermediate && (r = rlimit_apply(0, s, err)) < 0)
		return r;
	if (c->fifo >= 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", c->fifo);
		if (access(path, F_OK) < 0) {
			r = hako_fail(err, errno, "open exec.fifo", path,
				      "the container has no /proc, which 'hako start' needs to "
				      "release it");
			hako_err_hint(err, "add a proc mount on /proc to config.json mounts, or use "
					   "'hako run'");
			return r;
		}
	}
	proc->spec = s;
	proc->seccomp = c->seccomp;
	proc->preserve_fds = c->opts->preserve_fds;
	proc->apparmor_fd = apparmor_fd;
	for (unsigned i = 0; i < proc->preserve_fds; i++)
		fcntl(3 + (int)i, F_SETFD, 0);
	/* runtime.md: process is optional at create, and start refuses */
	if (!s->process.present)
		return 0;
	return process_prepare(proc, err);
}

/* Create mode: block until `hako start` opens the fifo for reading.  The
 * fd is reopened through /proc/self/fd because the state directory is not
 * reachable by path from inside the container.  The returned fd is the
 * channel for a late error (execve failing); exec closes it (CLOEXEC),
 * which tells `start` that the process runs. */
static int wait_for_start(struct container *c, struct hako_err *err)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->fifo);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return hako_fail(err, errno, "open exec.fifo", path,
				 "cannot wait for 'hako start'%s",
				 errno == ENOENT ? ": the container has no /proc mount" : "");
	close(c->fifo);
	c->fifo = -1;
	return fd;
}

static _Noreturn void fail(int fd, bool fifo, const struct hako_err *err)
{
	if (fifo) {
		if (write(fd, err, sizeof(*err)) < 0) {
			/* `start` is gone; nothing else to tell */
		}
	} else {
		sync_send_error(fd, err);
	}
	_exit(127);
}

int container_init(void *arg)
{
	struct container *c = arg;
	struct process_ctx proc = { 0 };
	struct hako_err err = { 0 };
	_cleanup_free_ char *state = NULL;
	struct sync_msg go;
	int channel = c->sync_init;
	bool fifo = false;

	/* If hako dies while the container is created, so does the init.  (If
	 * it died before this line, the next message on the sync socket fails
	 * instead: getppid() is 0 in a new pid namespace, so it cannot tell.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (setup(c, &proc, &err) < 0)
		fail(channel, false, &err);
	/* From here on the container outlives hako: `create` exits right
	 * after sending COMMIT, so the death signal must be off before READY,
	 * or it races with the COMMIT.  A hako that dies before COMMIT still
	 * ends the init: the socket reads EOF. */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (sync_send(channel, SYNC_READY, 0, &err) < 0 || sync_recv(channel, &go, &err) < 0)
		fail(channel, false, &err);
	if (go.type != SYNC_COMMIT && go.type != SYNC_START) {
		hako_fail(&err, EPROTO, "sync", NULL, "unexpected message '%s'",
			  sync_type_name(go.type));
		fail(channel, false, &err);
	}
	if (go.type == SYNC_COMMIT) {
		close(channel);
		channel = wait_for_start(c, &err);
		if (channel < 0)
			_exit(127); /* nobody to tell: start is not there yet */
		fifo = true;
	}
	if (!c->spec->process.present) {
		hako_fail(&err, 0, "start", NULL,
			  "the container has no process to start: config.json had no \"process\" "
			  "at create");
		hako_err_config(&err, "process");
		hako_err_hint(&err, "delete the container and create it again with a process");
		fail(channel, fifo, &err);
	}
	if (c->spec->hooks.n[HOOK_START_CONTAINER]) {
		state = creating_state(c, go.value, STATUS_CREATED);
		if (hooks_run(&c->spec->hooks, HOOK_START_CONTAINER, state, &err) < 0)
			fail(channel, fifo, &err);
	}
	if (seccomp_prog_wants_state(c->seccomp)) {
		_cleanup_free_ char *running = creating_state(c, go.value, STATUS_RUNNING);
		seccomp_prog_set_state(c->seccomp, go.value, running);
	}
	sigprocmask(SIG_SETMASK, &c->saved_mask, NULL);
	process_exec(&proc, &err);
	fail(channel, fifo, &err);
}

int container_early(void *arg, bool in_new_userns, struct hako_err *err)
{
	struct container *c = arg;

	/* The state directory fd carries hako's flock: an init holding a copy
	 * would keep every later command on this id waiting. */
	close(c->state->dirfd);
	c->state->dirfd = -1;
	/* Until execve the init runs hako's own image, so /proc/<init>/exe is
	 * the host's hako binary.  A process sharing the pid namespace (a pod
	 * with a shared pid namespace) could open it during the create/start
	 * window and write it after the init execs (CVE-2019-5736).  A
	 * non-dumpable process's /proc entries need CAP_SYS_PTRACE over it;
	 * execve of the container's program makes it dumpable again. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return hako_fail(err, errno, "prctl(PR_SET_DUMPABLE)", NULL,
				 "cannot protect hako's binary from the container");

	/* an intermediate process joins by itself (its child inherits) */
	if (c->cgroup && cgroup_clone_fd(c->cgroup) < 0 && !in_new_userns && !c->hako_joins_cgroup)
		return cgroup_enter(c->cgroup, 0, err);
	return 0;
}

int container_on_userns(pid_t pid, void *arg, struct hako_err *err)
{
	struct container *c = arg;
	int r = userns_write_maps(pid, c->spec, err);

	/* The clone made the user namespace, so the init could not join a v1
	 * cgroup itself (the files belong to the host's root). */
	if (r == 0 && !c->plan.intermediate && cgroup_clone_fd(c->cgroup) < 0)
		r = cgroup_enter(c->cgroup, pid, err);
	return r;
}
