/* reaper.c - run a command as a child subreaper, so the benchmark reaps the
 * container processes that detached runtimes leave behind.
 *
 *   reaper CMD ARGS...
 *
 * `create` + `start` + `delete` orphans the container's init: it is
 * reparented to the nearest subreaper, else to pid 1.  Where pid 1 reaps
 * late or never (a VM's or a container's minimal init), the zombies of every
 * iteration pile up and can fill the pid space.  Exit status: CMD's (128+N if
 * killed by signal N).  Build: cc -O2 -Wall -Wextra -std=c17 -o reaper reaper.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t child = 0, timed_out = 0;

/* TERM and HUP reach only the reaper when sent by pid: pass them on.  INT
 * from a terminal reaches the whole process group anyway. */
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

int main(int argc, char **argv)
{
	struct sigaction fwd = { .sa_handler = forward }, alrm = { .sa_handler = on_alarm };
	int status = 0, main_status = 0;
	pid_t pid;

	if (argc < 2) {
		fputs("usage: reaper CMD ARGS...\n", stderr);
		return 125;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "reaper: PR_SET_CHILD_SUBREAPER: %s\n", strerror(errno));
		return 125;
	}
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
	signal(SIGINT, SIG_IGN);	/* the command decides what INT means */
	sigaction(SIGALRM, &alrm, NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "reaper: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "reaper: cannot run %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	child = pid;
	/* Reap everything until CMD exits; then give orphans still dying (a
	 * container killed by `delete --force`) two seconds, and leave. */
	for (;;) {
		pid_t p = waitpid(-1, &status, 0);
		if (p < 0 && errno == EINTR) {
			if (timed_out)
				break;
			continue;
		}
		if (p < 0)
			break; /* ECHILD: nobody left */
		if (p == pid) {
			main_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
							  : WEXITSTATUS(status);
			child = 0;
			alarm(2);
		}
	}
	return main_status;
}
