/* hooks.c - fork, feed the state, wait with a deadline. */
#include "runtime/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/exe_guard.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

static int wait_hook(pid_t pid, int timeout_s, int *status, struct hako_err *err)
{
	_cleanup_close_ int pidfd = -1;

	if (timeout_s > 0) {
		struct pollfd pfd;
		pidfd = pidfd_open(pid, 0);
		if (pidfd >= 0) {
			pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
			int n;
			do
				n = poll(&pfd, 1, timeout_s * 1000);
			while (n < 0 && errno == EINTR);
			if (n == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, status, 0);
				return hako_fail(err, ETIMEDOUT, "hook", NULL,
						 "did not finish within its timeout of %d s and was "
						 "killed", timeout_s);
			}
		}
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return hako_fail(err, errno, "hook", NULL, "cannot wait for the hook");
	return 0;
}

static int run_one(const struct spec_hook *h, const char *state_json, struct hako_err *err)
{
	int in[2], status = 0, r;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return hako_fail(err, errno, "pipe", NULL, "cannot create a pipe for the hook");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		return hako_fail(err, errno, "fork", NULL, "cannot start the hook");
	}
	if (pid == 0) {
		const char *argv0[] = { h->path, NULL };
		static const char *const no_env[] = { NULL };
		if (dup2(in[0], 0) < 0)
			_exit(127);
		execve(h->path, (char *const *)(h->args.n ? h->args.v : argv0),
		       (char *const *)(h->env.n ? h->env.v : no_env));
		dprintf(2, "hako: hook %s: cannot run: %s\n", h->path, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	/* A hook that does not read its stdin must not make hako fail: EPIPE
	 * is ignored.  The old disposition comes back, or the container's
	 * process would inherit an ignored SIGPIPE through execve. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGPIPE, &ign, &old);
	write_all(in[1], state_json, strlen(state_json));
	close(in[1]);
	sigaction(SIGPIPE, &old, NULL);
	r = wait_hook(pid, h->timeout.set ? h->timeout.v : 0, &status, err);
	if (r < 0)
		return r;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return hako_fail(err, ECHILD, "hook", h->path, "was killed by signal %d",
				 WTERMSIG(status));
	return hako_fail(err, ECHILD, "hook", h->path, "exited with status %d", WEXITSTATUS(status));
}

/* Hook i of `kind`, with an error that names it. */
static int run_indexed(const struct spec_hooks *hooks, enum hook_kind kind, size_t i,
		       const char *state_json, struct hako_err *err)
{
	const struct spec_hook *h = &hooks->list[kind][i];
	bool timeout;
	int r;

	/* these run in the container, from the init, whose exe is hako */
	if (kind == HOOK_CREATE_CONTAINER || kind == HOOK_START_CONTAINER) {
		char config[64];
		snprintf(config, sizeof(config), "hooks.%s[%zu].path", hook_kind_names[kind], i);
		if ((r = exe_guard_check(h->path, config, err)) < 0)
			return r;
	}
	r = run_one(h, state_json, err);

	if (r == 0)
		return 0;
	timeout = err->errnum == ETIMEDOUT;
	/* the hook's own failure, not a system error: no strerror */
	if (err->errnum == ECHILD || timeout)
		err->errnum = 0;
	hako_err_prefix(err, "%s hook %s (hooks.%s[%zu])", hook_kind_names[kind], h->path,
			hook_kind_names[kind], i);
	hako_err_config(err, "hooks.%s[%zu]", hook_kind_names[kind], i);
	if (timeout)
		hako_err_hint(err, "raise hooks.%s[%zu].timeout, or find out why the hook hangs "
				   "(it gets the state on stdin)",
			      hook_kind_names[kind], i);
	return r;
}

int hooks_run(const struct spec_hooks *hooks, enum hook_kind kind, const char *state_json,
	      struct hako_err *err)
{
	for (size_t i = 0; i < hooks->n[kind]; i++) {
		int r = run_indexed(hooks, kind, i, state_json, err);
		if (r < 0)
			return r;
	}
	return 0;
}

void hooks_run_warn(const struct spec_hooks *hooks, enum hook_kind kind, const char *state_json)
{
	for (size_t i = 0; i < hooks->n[kind]; i++) {
		struct hako_err err = { 0 };
		char text[2048];

		if (run_indexed(hooks, kind, i, state_json, &err) < 0) {
			hako_err_format(&err, true, text, sizeof(text));
			hako_warn("%s", text);
		}
	}
}
