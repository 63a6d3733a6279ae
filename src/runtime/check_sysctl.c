/* check_sysctl.c - every linux.sysctl key: owned by a namespace the
 * container has, present on this kernel, and writable inside a network
 * namespace (some net.* keys are not per namespace, section 5.2 of the
 * reference; the prefix rule cannot tell). */
#include "runtime/check.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/sysctl.h"
#include "spec/json.h"
#include "spec/sysctl_rules.h"
#include "util/buf.h"
#include "util/cleanup.h"

/* In a child: enter the container's kind of network namespace (a new one,
 * or the one it joins) and try to open each key for writing, as the
 * container's init will.  The errno of each (0: writable) goes back over
 * a pipe.  Returns false when the probe itself could not run. */
static bool probe_net(const struct spec *s, const size_t *idx, size_t n, int *result)
{
	_cleanup_close_ int rd = -1, wr = -1;
	int fds[2], status;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return false;
	rd = fds[0];
	wr = fds[1];
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		const char *path = s->lnx.ns[NS_NET].path;
		int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		if (path ? fd < 0 || setns(fd, CLONE_NEWNET) < 0 : unshare(CLONE_NEWNET) < 0)
			_exit(1);
		for (size_t i = 0; i < n; i++) {
			char key[256], proc[300];
			sysctl_normalize(s->lnx.sysctl.key[idx[i]], key, sizeof(key));
			sysctl_proc_path(key, proc, sizeof(proc));
			int kfd = open(proc, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			int e = kfd < 0 ? errno : 0;
			if (kfd >= 0)
				close(kfd);
			if (write(wr, &e, sizeof(e)) != sizeof(e))
				_exit(1);
		}
		_exit(0);
	}
	close(wr);
	wr = -1;
	for (size_t i = 0; i < n; i++)
		if (read(rd, &result[i], sizeof(int)) != sizeof(int))
			break;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void key_missing(struct check_ctx *c, const char *raw, const char *key, const char *path)
{
	char config[300], what[600], why[400];

	json_path_key(config, sizeof(config), "linux.sysctl", raw);
	snprintf(what, sizeof(what), "sysctl %s does not exist on this kernel (%s)", key,
		 c->host->release);
	snprintf(why, sizeof(why), "the host has no %s, so the container would not have it either",
		 path);
	check_add(c, SEVERITY_ERROR, "sysctl", config, what, why,
		  "check the spelling ('sysctl -a' lists the keys), or drop it");
}

static void net_findings(struct check_ctx *c, const size_t *idx, size_t n)
{
	const struct strmap *m = &c->spec->lnx.sysctl;
	_cleanup_free_ int *result = NULL;

	if (!n || !c->host->probe)
		return;
	result = xcalloc(n, sizeof(int));
	if (!probe_net(c->spec, idx, n, result))
		return; /* without the privilege to try, the write will tell */
	for (size_t i = 0; i < n; i++) {
		struct hako_err e = { 0 };
		char key[256], path[300];

		if (!result[i])
			continue;
		sysctl_normalize(m->key[idx[i]], key, sizeof(key));
		sysctl_proc_path(key, path, sizeof(path));
		hako_fail(&e, result[i], "write sysctl", path, "cannot set sysctl %s=%s", key,
			  m->value[idx[i]]);
		json_path_key(e.config, sizeof(e.config), "linux.sysctl", m->key[idx[i]]);
		sysctl_explain(key, m->value[idx[i]], &e);
		check_add_err(c->report, SEVERITY_ERROR, "sysctl", &e);
	}
}

void check_sysctl(struct check_ctx *c)
{
	const struct strmap *m = &c->spec->lnx.sysctl;
	_cleanup_free_ size_t *net = NULL;
	size_t n_net = 0;

	if (!m->n)
		return;
	net = xcalloc(m->n, sizeof(*net));
	for (size_t i = 0; i < m->n; i++) {
		struct hako_err e = { 0 };
		char key[256], path[300];

		if (sysctl_check_key(c->spec, m->key[i], m->value[i], &e) < 0) {
			check_add_err(c->report, SEVERITY_ERROR, "sysctl", &e);
			continue;
		}
		sysctl_normalize(m->key[i], key, sizeof(key));
		sysctl_proc_path(key, path, sizeof(path));
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			key_missing(c, m->key[i], key, path);
			continue;
		}
		if (sysctl_owner(key) == NS_NET)
			net[n_net++] = i;
	}
	net_findings(c, net, n_net);
}
