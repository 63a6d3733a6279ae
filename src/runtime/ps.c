/* ps.c - `hako ps`: the container's processes, as runc shows them: ps(1)
 * with the caller's options (default -ef), lines cut down to the pids in
 * the container's cgroup; or those pids as JSON. */
#include "runtime/cgroup_cmds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "runtime/state.h"
#include "util/cleanup.h"

static int container_pids(const char *root, const char *id, pid_t **pids, size_t *n,
			  struct hako_err *err)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_cgroup_ struct cgroup *cg = NULL;
	enum container_status status;
	int r;

	if ((r = state_open(root, id, &st, err)) < 0)
		return r;
	status = state_status(st);
	if (status == STATUS_STOPPED || status == STATUS_CREATING || !st->cgroup)
		return hako_fail(err, 0, "ps", NULL, "container \"%s\" is %s: it has no processes",
				 id, status_name(status));
	if ((r = cgroup_open(st->cgroup, &cg, err)) < 0)
		return r;
	return cgroup_pids(cg, pids, n, err);
}

/* ps's whole output; its stderr stays hako's. */
static int run_ps(char *const *ps_args, struct buf *text, struct hako_err *err)
{
	char *argv[64] = { "ps", "-ef", NULL };
	int fds[2], status;
	pid_t pid;

	if (ps_args && ps_args[0]) {
		size_t i = 0;
		for (; ps_args[i] && i + 2 < ARRAY_SIZE(argv); i++)
			argv[i + 1] = ps_args[i];
		argv[i + 1] = NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return hako_fail(err, errno, "pipe", NULL, "cannot run ps");
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return hako_fail(err, errno, "fork", NULL, "cannot run ps");
	}
	if (pid == 0) {
		if (dup2(fds[1], 1) < 0)
			_exit(126);
		execvp("ps", argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		buf_reserve(text, 4096);
		ssize_t n = read(fds[0], text->p + text->len, text->cap - text->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text->len += (size_t)n;
		text->p[text->len] = '\0';
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		int r = hako_fail(err, ENOENT, "exec", "ps", "cannot run ps(1)");
		hako_err_hint(err, "install procps, or use 'hako ps --format json'");
		return r;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return hako_fail(err, 0, "ps", NULL, "ps %s failed (exit status %d)",
				 argv[1] ? argv[1] : "", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

/* The n-th whitespace-separated field of a line, or NULL. */
static const char *field(const char *line, int n, size_t *len)
{
	const char *p = line;

	for (int i = 0;; i++) {
		p += strspn(p, " \t");
		if (!*p)
			return NULL;
		*len = strcspn(p, " \t");
		if (i == n)
			return p;
		p += *len;
	}
}

static bool listed(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

static int filter(const char *text, const pid_t *pids, size_t n, struct buf *out,
		  struct hako_err *err)
{
	const char *nl = strchr(text, '\n'), *f;
	int column = -1;
	size_t len;

	for (int i = 0; nl && (f = field(text, i, &len)) && f < nl; i++)
		if (len == 3 && !strncmp(f, "PID", 3)) {
			column = i;
			break;
		}
	if (column < 0) {
		int r = hako_fail(err, 0, "ps", NULL, "the output of ps has no PID column");
		hako_err_hint(err, "with -o, include pid in the columns");
		return r;
	}
	buf_put(out, text, (size_t)(nl - text) + 1);
	for (const char *line = nl + 1; *line;) {
		const char *end = strchr(line, '\n');
		size_t l = end ? (size_t)(end - line) : strlen(line);
		_cleanup_free_ char *copy = strndup(line, l);
		if ((f = field(copy, column, &len)) && listed(pids, n, strtol(f, NULL, 10))) {
			buf_put(out, line, l);
			buf_putc(out, '\n');
		}
		line += l + (end ? 1 : 0);
	}
	return 0;
}

int container_ps(const char *root, const char *id, bool json, char *const *ps_args,
		 struct buf *out, struct hako_err *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	_cleanup_buf_ struct buf text = { 0 };
	size_t n = 0;
	int r;

	if ((r = container_pids(root, id, &pids, &n, err)) < 0)
		return r;
	if (json) {
		buf_putc(out, '[');
		for (size_t i = 0; i < n; i++)
			buf_printf(out, "%s%d", i ? "," : "", (int)pids[i]);
		buf_puts(out, "]\n");
		return 0;
	}
	if ((r = run_ps(ps_args, &text, err)) < 0)
		return r;
	return filter(text.p ? text.p : "", pids, n, out, err);
}
