/* create.c - hako's side of create, run and run -d.
 *
 * Everything is undone on failure: the init is killed and reaped, the
 * cgroup and the state directory removed (runtime.md: an error MUST leave
 * the environment as if the operation had not been attempted).
 */
#include "runtime/container.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/console.h"
#include "linux/exe_guard.h"
#include "linux/netdev.h"
#include "linux/rlimit.h"
#include "linux/seccomp_cache.h"
#include "runtime/check.h"
#include "runtime/destroy.h"
#include "runtime/hooks.h"
#include "runtime/init.h"
#include "runtime/sync.h"
#include "runtime/tty.h"
#include "spec/json.h"
#include "spec/validate.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* Signals `run` passes on to the container instead of acting on them. */
static void forwarded_signals(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGTRAP);
	sigdelset(set, SIGSYS);
}

static void container_release(struct container *c)
{
	if (c->sync_parent >= 0)
		close(c->sync_parent);
	if (c->sync_init >= 0)
		close(c->sync_init);
	if (c->fifo >= 0)
		close(c->fifo);
	if (c->console >= 0)
		close(c->console);
	if (c->console_peer >= 0)
		close(c->console_peer);
	if (c->pidfd >= 0)
		close(c->pidfd);
	netdev_forget(c->netdevs);
	ns_plan_release(&c->plan);
	seccomp_prog_free(c->seccomp);
	cgroup_free(c->cgroup);
	state_free(c->state);
	spec_free(c->spec);
}

/* Undo a create that failed half-way.  runtime.md: a failing hook
 * "continues the lifecycle at step 12" - destroy, then the poststop hooks
 * (warnings only), which container_destroy runs. */
static void undo(struct container *c)
{
	struct hako_err ignored;

	if (c->pid > 0) {
		if (c->pidfd >= 0)
			pidfd_send_signal(c->pidfd, SIGKILL, NULL, 0);
		else
			kill(c->pid, SIGKILL);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	/* hako's fds keep the container's network namespace alive past the
	 * init: the devices go back before it is freed, which would destroy
	 * a virtual one and return a physical one under its container name */
	netdev_rollback(TAKE_PTR(c->netdevs));
	if (c->state) {
		container_destroy(c->state, c->cgroup, &c->spec->hooks, &ignored);
		return;
	}
	if (c->cgroup) {
		cgroup_signal_all(c->cgroup, SIGKILL, &ignored);
		cgroup_destroy(c->cgroup, &ignored);
	}
}

static int write_pid_file(const char *path, pid_t pid, struct hako_err *err)
{
	char text[16];

	snprintf(text, sizeof(text), "%d", (int)pid);
	return write_file_replace(AT_FDCWD, path, text, strlen(text), 0644, err);
}

static int make_fifo(struct container *c, struct hako_err *err)
{
	/* 0622: the init opens it for writing after switching to the
	 * container's user, who may be anyone; the state directory (0700)
	 * keeps everyone else out. */
	if (mkfifoat(c->state->dirfd, EXEC_FIFO, 0622) < 0 ||
	    fchmodat(c->state->dirfd, EXEC_FIFO, 0622, 0) < 0)
		return hako_fail(err, errno, "mkfifo", EXEC_FIFO, "cannot create exec.fifo");
	c->fifo = openat(c->state->dirfd, EXEC_FIFO, O_PATH | O_CLOEXEC);
	if (c->fifo < 0)
		return hako_fail(err, errno, "open exec.fifo", EXEC_FIFO, "cannot open exec.fifo");
	return 0;
}

static char *hooks_record(const struct spec *s)
{
	yajl_val hooks = json_get(s->tree, "hooks");
	struct buf b = { 0 };

	if (!hooks)
		return NULL;
	json_write_value(&b, hooks);
	return buf_steal(&b);
}

/* Everything of the state but the pid, before the init is cloned: the
 * hooks of create (prestart ... startContainer, some run by the init from
 * its copy of this memory) get the same state as the later ones. */
static void fill_state(struct container *c)
{
	struct container_state *st = c->state;
	struct buf b = { 0 };
	yajl_val ann = json_get(c->spec->tree, "annotations");

	st->bundle = xstrdup(c->spec->bundle);
	st->rootfs = xstrdup(c->spec->rootfs);
	st->created = timestamp_now();
	st->userns = spec_has_ns(c->spec, NS_USER);
	st->detached_init = c->opts->mode != MODE_RUN;
	if (ann) {
		json_write_value(&b, ann);
		st->annotations_json = buf_steal(&b);
	}
	if (c->cgroup) {
		cgroup_record(c->cgroup, &b);
		st->cgroup_json = buf_steal(&b);
	}
	st->hooks_json = hooks_record(c->spec);
}

static int save_state(struct container *c, struct hako_err *err)
{
	c->state->pid = c->pid;
	/* the guard against pid reuse of every later command: without it
	 * kill or delete could signal whatever process gets the pid next */
	c->state->pid_start = process_start_time(c->pid);
	if (!c->state->pid_start) {
		sync_take_error(c->sync_parent, err);
		if (!hako_err_is_set(err))
			hako_fail(err, ESRCH, "read /proc/<pid>/stat", NULL,
				  "the container's init (pid %d) is gone before its state was saved",
				  (int)c->pid);
		return -ESRCH;
	}
	return state_write(c->state, err);
}

static char *state_for_hooks(const struct container *c, pid_t pid, enum container_status s)
{
	struct container_state tmp = *c->state;

	tmp.pid = pid;
	tmp.bundle = c->spec->bundle;
	return state_oci_json(&tmp, s);
}

/* Answer the init until it is ready to exec. */
static int serve_init(struct container *c, struct hako_err *err)
{
	for (;;) {
		struct sync_msg m;
		int r = sync_recv(c->sync_parent, &m, err);
		if (r < 0)
			return r;
		switch (m.type) {
		case SYNC_READY:
			return 0;
		case SYNC_PRESTART: {
			_cleanup_free_ char *state = state_for_hooks(c, c->pid, STATUS_CREATING);
			r = hooks_run(&c->spec->hooks, HOOK_PRESTART, state, err);
			if (r == 0)
				r = hooks_run(&c->spec->hooks, HOOK_CREATE_RUNTIME, state, err);
			if (r == 0)
				r = sync_send(c->sync_parent, SYNC_PRESTART_DONE, c->pid, err);
			if (r < 0)
				return r;
			break;
		}
		default:
			return hako_fail(err, EPROTO, "sync", NULL,
					 "unexpected message '%s' from the container's init",
					 sync_type_name(m.type));
		}
	}
}

static int check_create_opts(const struct container *c, struct hako_err *err)
{
	const struct spec *s = c->spec;

	/* a foreground run is attached: hako itself takes the terminal */
	if (s->process.present && s->process.terminal && !c->opts->console_socket &&
	    c->opts->mode != MODE_RUN) {
		int r = hako_fail_config(err, "process.terminal",
					 "process.terminal is true but no --console-socket was given "
					 "to receive the terminal, and hako does not stay attached");
		hako_err_hint(err, "pass --console-socket SOCKET (as containerd and podman do), "
				   "use 'hako run' in the foreground, or set process.terminal to "
				   "false");
		return r;
	}
	return 0;
}

static int build(struct container *c, struct hako_err *err)
{
	const struct create_opts *o = c->opts;
	struct validate_opts vo = { .for_create = o->mode == MODE_CREATE };
	struct ns_spawn_ops ops = {
		.early = container_early,
		.init = container_init,
		.on_userns = container_on_userns,
		.arg = c,
	};
	const char *cache_dir = seccomp_cache_dir();
	int sv[2], r;

	/* a bad id is the first thing to hear about, not a bundle problem */
	if ((r = state_check_id(o->id, err)) < 0 ||
	    (r = spec_load_bundle(o->bundle, &c->spec, err)) < 0 ||
	    (r = spec_validate(c->spec, &vo, err)) < 0 || (r = check_create_opts(c, err)) < 0 ||
	    (r = rlimit_check(c->spec, err)) < 0 ||
	    (r = seccomp_prog_compile_opts(c->spec,
					   &(struct seccomp_opts){ .report = o->seccomp_report,
								   .cache_dir = cache_dir },
					   &c->seccomp, err)) < 0 ||
	    (r = check_preflight(c->spec, c->seccomp, err)) < 0 ||
	    (r = netdev_preflight(c->spec, err)) < 0)
		return r;
	if (c->spec->process.terminal &&
	    (r = o->console_socket ? console_connect(o->console_socket, &c->console, err)
				   : console_pair(&c->console_peer, &c->console, err)) < 0)
		return r;
	if ((r = state_create(o->root, o->id, &c->state, err)) < 0)
		return r;
	if ((r = cgroup_setup(c->spec, o->id, &c->cgroup, err)) < 0)
		return r;
	fill_state(c);
	if (o->mode == MODE_CREATE && (r = make_fifo(c, err)) < 0)
		return r;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return hako_fail(err, errno, "socketpair", NULL, "cannot create the sync socket");
	c->sync_parent = sv[0];
	c->sync_init = sv[1];
	c->hako_pid = getpid();
	exe_guard_init(); /* the init checks what it execs against it */
	/* network devices: the init waits there too, so that sysctls of a
	 * device and the hooks find it in the container */
	c->prestart_sync = c->spec->hooks.n[HOOK_PRESTART] || c->spec->hooks.n[HOOK_CREATE_RUNTIME] ||
			   c->spec->hooks.n[HOOK_CREATE_CONTAINER] || c->spec->lnx.n_net_devices;
	if ((r = ns_plan_init(c->spec, cgroup_clone_fd(c->cgroup), &c->plan, err)) < 0 ||
	    (r = seccomp_prog_attach(c->seccomp, err)) < 0)
		return r;
	/* v1, one clone, no new user namespace: hako joins the init to its
	 * cgroups while the init sets up (init.c, join_cgroup) */
	c->hako_joins_cgroup = c->cgroup && cgroup_clone_fd(c->cgroup) < 0 && !c->plan.intermediate &&
			       !c->plan.new_user;
	if ((r = ns_spawn(&c->plan, c->sync_init, c->sync_parent, &ops, &c->pid, &c->pidfd, err)) < 0)
		return r;
	if (c->hako_joins_cgroup && ((r = cgroup_enter(c->cgroup, c->pid, err)) < 0 ||
				     (r = sync_send(c->sync_parent, SYNC_CGROUP_JOINED, 0, err)) < 0)) {
		sync_take_error(c->sync_parent, err);
		return r;
	}
	close(c->sync_init);
	c->sync_init = -1;
	seccomp_prog_detach_parent(c->seccomp); /* the init has its copy */
	/* linux.netDevices, from the host side while the init mounts */
	if ((r = netdev_attach(c->spec, c->pid, c->plan.join_fd[NS_NET], &c->netdevs, err)) < 0) {
		sync_take_error(c->sync_parent, err);
		return r;
	}
	/* outside a user namespace the init sets its own limits before its
	 * uid switch: prlimit(2) on a process of another uid needs
	 * CAP_SYS_RESOURCE, which hako may lack (runtime/init.c) */
	if ((c->plan.new_user || c->plan.intermediate) &&
	    (r = rlimit_apply(c->pid, c->spec, err)) < 0)
		return r;
	if ((r = serve_init(c, err)) < 0 ||
	    (r = save_state(c, err)) < 0)
		return r;
	if (o->pid_file && (r = write_pid_file(o->pid_file, c->pid, err)) < 0)
		return r;
	/* created: the devices are the namespace's now (config-linux.md: the
	 * runtime MUST NOT move them out before deletion) */
	netdev_forget(TAKE_PTR(c->netdevs));
	return 0;
}

/* run: release the init and learn whether execve worked - the init's end
 * of the socket is close-on-exec, so EOF means it did. */
static int release(struct container *c, struct hako_err *err)
{
	struct sync_msg m;
	int r = sync_send(c->sync_parent, SYNC_START, c->pid, err);

	if (r < 0)
		return r;
	r = sync_recv(c->sync_parent, &m, err);
	if (r == -EPIPE) {
		memset(err, 0, sizeof(*err));
		return 0;
	}
	if (r == 0)
		r = hako_fail(err, EPROTO, "sync", NULL, "unexpected message '%s' after start",
			      sync_type_name(m.type));
	return r;
}

static int poststart(struct container *c, struct hako_err *err)
{
	_cleanup_free_ char *state = NULL;

	if (!c->spec->hooks.n[HOOK_POSTSTART])
		return 0;
	state = state_for_hooks(c, c->pid, STATUS_RUNNING);
	return hooks_run(&c->spec->hooks, HOOK_POSTSTART, state, err);
}

/* Foreground run: pass signals on, wait for the init's exit status. */
static int wait_exit(struct container *c, struct tty_proxy *tty, int *exit_status,
		     struct hako_err *err)
{
	_cleanup_close_ int sfd = -1;
	sigset_t fwd;

	forwarded_signals(&fwd);
	sigdelset(&fwd, SIGCHLD);
	sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sfd < 0)
		return hako_fail(err, errno, "signalfd", NULL, "cannot watch signals");
	for (;;) {
		struct pollfd pfd[4] = { { .fd = c->pidfd, .events = POLLIN },
					 { .fd = sfd, .events = POLLIN } };
		int n = 2 + tty_proxy_fds(tty, pfd + 2);

		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return hako_fail(err, errno, "poll", NULL, "cannot wait for the container");
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			/* with hako's terminal, a resize is the pty's, which signals
			 * the container's foreground process itself */
			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH && tty->master >= 0)
					tty_proxy_resize(tty);
				else
					pidfd_send_signal(c->pidfd, (int)si.ssi_signo, NULL, 0);
			}
		}
		tty_proxy_pump(tty, pfd + 2);
		if (pfd[0].revents & POLLIN) {
			siginfo_t info = { 0 };
			if (waitid(P_PIDFD, (id_t)c->pidfd, &info, WEXITED) < 0)
				return hako_fail(err, errno, "waitid", NULL,
						 "cannot collect the container's exit status");
			*exit_status = info.si_code == CLD_EXITED ? info.si_status
								  : 128 + info.si_status;
			c->pid = 0; /* reaped */
			return 0;
		}
	}
}

/* After a foreground run: remove the container unless a `delete --force`
 * did while it ran. */
static void destroy_after_run(struct container *c)
{
	_cleanup_state_ struct container_state *st = NULL;
	struct hako_err derr = { 0 };

	if (state_open(c->opts->root, c->opts->id, &st, &derr) < 0 || st->pid != c->state->pid)
		return;
	if (container_destroy(st, c->cgroup, &c->spec->hooks, &derr) < 0)
		log_error(&derr);
}

int container_create(const struct create_opts *o, int *exit_status, struct hako_err *err)
{
	struct container c = {
		.opts = o,
		.sync_parent = -1,
		.sync_init = -1,
		.fifo = -1,
		.console = -1,
		.console_peer = -1,
		.pidfd = -1,
	};
	struct tty_proxy tty = { .master = -1 };
	sigset_t fwd;
	int r;

	for (int t = 0; t < NS_MAX; t++)
		c.plan.join_fd[t] = -1;
	/* Blocked from before the clone so no signal is lost; the init
	 * restores the old mask just before execve. */
	forwarded_signals(&fwd);
	sigprocmask(SIG_BLOCK, o->mode == MODE_RUN ? &fwd : NULL, &c.saved_mask);
	r = build(&c, err);
	if (r == 0 && o->mode == MODE_CREATE) {
		r = sync_send(c.sync_parent, SYNC_COMMIT, c.pid, err);
		if (r == 0) {
			c.pid = 0; /* the init is the container now: keep it */
			container_release(&c);
			return 0;
		}
	}
	/* the init sent the pty's master before READY */
	if (r == 0 && c.console_peer >= 0) {
		int master;
		r = console_recv(c.console_peer, &master, err);
		if (r == 0)
			tty_proxy_start(&tty, master, &c.spec->process);
	}
	if (r == 0)
		r = release(&c, err);
	if (r == 0)
		r = poststart(&c, err);
	if (r < 0) {
		tty_proxy_stop(&tty);
		undo(&c);
		container_release(&c);
		sigprocmask(SIG_SETMASK, &c.saved_mask, NULL);
		return r;
	}
	if (o->mode == MODE_RUN_DETACHED) {
		c.pid = 0;
		container_release(&c);
		return 0;
	}
	/* The container runs: `state`, `kill` and `delete` must not wait for
	 * it to end, so the lock goes now and is taken again to destroy. */
	close(c.state->dirfd);
	c.state->dirfd = -1;
	r = wait_exit(&c, &tty, exit_status, err);
	tty_proxy_stop(&tty);
	if (r == 0)
		destroy_after_run(&c);
	if (r < 0)
		undo(&c);
	container_release(&c);
	sigprocmask(SIG_SETMASK, &c.saved_mask, NULL);
	return r;
}
