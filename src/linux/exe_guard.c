/* exe_guard.c - see exe_guard.h for why. */
#include "linux/exe_guard.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "linux/exec_file.h"

/* fs/exec.c: BINPRM_MAX_RECURSION interpreters after the file itself */
#define MAX_INTERPRETERS 4

static struct {
	dev_t dev;
	ino_t ino;
	bool known;
} self;

void exe_guard_init(void)
{
	struct stat st;

	if (self.known || stat("/proc/self/exe", &st) < 0)
		return;
	self.dev = st.st_dev;
	self.ino = st.st_ino;
	self.known = true;
}

static bool is_self(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == self.dev && st.st_ino == self.ino;
}

static int refuse(const char *path, const char *via, const char *config, struct hako_err *err)
{
	int r = hako_fail(err, EPERM, "execve", path,
			  "'%s' would run hako's own binary inside the container%s%s", path,
			  via ? ", through " : "", via ? via : "");

	hako_err_config(err, "%s", config);
	hako_err_hint(err, "a container may not execute the runtime that starts it (it could "
			   "overwrite it on the host: CVE-2019-5736); name the container's own "
			   "program in %s",
		      config);
	return r;
}

int exe_guard_check(const char *path, const char *config, struct hako_err *err)
{
	char file[sizeof(((struct exec_head *)0)->interp)];
	struct exec_head h;
	char via[2 * sizeof(file) + 32];

	exe_guard_init();
	if (!self.known)
		return 0;
	if (is_self(path))
		return refuse(path, NULL, config, err);
	snprintf(file, sizeof(file), "%s", path);
	/* A file that cannot be stat'ed or read fails execve by itself, or
	 * runs without a head hako could read (execute-only): nothing of it
	 * can name the binary then but its own inode, checked above. */
	for (int depth = 0; depth <= MAX_INTERPRETERS; depth++) {
		if (exec_head_read(file, &h) < 0 || !h.interp[0])
			return 0;
		if (is_self(h.interp)) {
			snprintf(via, sizeof(via), "the %s '%s' of '%s'",
				 h.kind == EXEC_ELF ? "ELF loader" : "#! interpreter", h.interp, file);
			return refuse(path, via, config, err);
		}
		if (h.kind != EXEC_SCRIPT)
			return 0;
		memcpy(file, h.interp, sizeof(file));
	}
	return 0;
}
