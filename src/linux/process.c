/* process.c - the last steps of the init: who it is, what it may do, then
 * execve.  The order is the security argument, so it lives here, in one
 * place (process_prepare + process_exec), and nowhere else. */
#include "linux/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "linux/apparmor.h"
#include "linux/exe_guard.h"
#include "linux/exec_file.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define CAP_BIT(c) (1ULL << (c))
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *env_get(const char **env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (!strncmp(*env, name, n) && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* HOME from the container's /etc/passwd when the config does not set it,
 * as runc does; "/" when the user has no entry. */
static const char **env_with_home(struct spec *s, struct arena *a)
{
	const struct strv *env = &s->process.env;
	_cleanup_free_ char *passwd = NULL;
	const char *home = "/";
	const char **out;
	char *save = NULL;

	if (env_get(env->v, "HOME"))
		return env->v;
	if (read_file_at(AT_FDCWD, "/etc/passwd", &passwd, NULL, NULL) == 0) {
		for (char *line = strtok_r(passwd, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *f[7] = { 0 };
			char *p = line;
			for (int i = 0; i < 7 && p; i++) {
				f[i] = p;
				p = strchr(p, ':');
				if (p)
					*p++ = '\0';
			}
			if (f[2] && f[5] && strtoul(f[2], NULL, 10) == s->process.user.uid && *f[5]) {
				home = f[5];
				break;
			}
		}
	}
	out = arena_array(a, env->n + 2, sizeof(char *));
	memcpy(out, env->v, env->n * sizeof(char *));
	char *entry = arena_alloc(a, strlen(home) + sizeof("HOME="));
	sprintf(entry, "HOME=%s", home);
	out[env->n] = entry;
	return out;
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* args[0] as execvp(3) would find it, but with the container's PATH. */
static int resolve_exe(const char *name, const char *path_env, char *out, size_t size,
		       struct hako_err *err)
{
	_cleanup_free_ char *dirs = NULL;
	char *save = NULL;

	if (strchr(name, '/')) {
		snprintf(out, size, "%s", name);
		return 0;
	}
	dirs = xstrdup(path_env ? path_env : DEFAULT_PATH);
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", *d ? d : ".", name);
		if (is_executable_file(out))
			return 0;
	}
	hako_fail(err, ENOENT, "find executable", name,
		  "executable file \"%s\" not found in $PATH (%s)", name,
		  path_env ? path_env : DEFAULT_PATH " (default)");
	hako_err_config(err, "process.args[0]");
	hako_err_hint(err, "give the program's full path in process.args[0], or add its directory "
			   "to PATH in process.env");
	return -ENOENT;
}

static int switch_user(const struct spec_user *u, struct hako_err *err)
{
	if (setgroups(u->n_additional_gids, u->additional_gids) < 0) {
		int r = hako_fail(err, errno, "setgroups", NULL,
				  "cannot set the supplementary groups (process.user.additionalGids)");
		if (errno == EPERM)
			hako_err_hint(err, "in a user namespace made without privilege, "
					   "/proc/<pid>/setgroups is \"deny\", so additionalGids cannot "
					   "be applied; drop them or create the container as root");
		return r;
	}
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return hako_fail(err, errno, "setresgid", NULL, "cannot become gid %u%s", u->gid,
				 errno == EINVAL ? ": it is not mapped in the user namespace" : "");
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return hako_fail(err, errno, "setresuid", NULL, "cannot become uid %u%s", u->uid,
				 errno == EINVAL ? ": it is not mapped in the user namespace" : "");
	return 0;
}

/*
 * The order, and why:
 *  0. the AppArmor profile for the next execve (process.apparmorProfile,
 *     through the fd opened before pivot_root: linux/apparmor.h).  Before
 *     no_new_privs: with it a confined task may move only to a stacked or
 *     subset profile (security/apparmor/domain.c), so a hako that runs
 *     under a profile of its own could not apply the config's.  Before the
 *     seccomp filter, which is written for the program, not for hako.  At
 *     create, so that a profile that is not loaded fails `create`, not
 *     `start`.  Asking for one's own exec profile needs no capability, so
 *     it need not wait for anything below.  The profile is entered only at
 *     execve: hako's last steps run unconfined; a startContainer hook,
 *     forked by the init after this, inherits the request and runs in the
 *     profile, as with runc;
 *  1. bounding set first: dropping from it needs CAP_SETPCAP, still held;
 *  2. PR_SET_KEEPCAPS, so the permitted set survives the switch to a
 *     non-zero uid (the kernel clears it otherwise: capabilities(7));
 *  3. groups, gid, then uid: setgroups and setresgid need CAP_SETGID,
 *     which a non-root uid loses from its effective set;
 *  4. capset to the config's sets.  When seccomp must be loaded without
 *     no_new_privs, CAP_SYS_ADMIN stays in permitted (not effective) until
 *     process_exec has loaded it;
 *  5. ambient after capset: a raise needs the capability in permitted and
 *     inheritable, and the uid switch cleared the ambient set anyway;
 *  6. no_new_privs last: from here on execve cannot gain privileges.
 *
 * Without no_new_privs the filter is loaded in process_exec, after the
 * wait for `start`, with CAP_SYS_ADMIN borrowed back into effective for
 * that one call (runc loads it before the uid switch instead, so that
 * filter then covers hako's own last steps and startContainer hooks, which
 * an allow-list written for the program may break).  The borrowed
 * capability sits in permitted only, in a process that runs hako's code
 * alone, is not dumpable (no ptrace, no /proc/<pid>/mem) and loses it at
 * execve or at capset right after loading.
 */
int process_prepare(struct process_ctx *ctx, struct hako_err *err)
{
	struct spec *s = ctx->spec;
	const struct spec_process *p = &s->process;
	const struct spec_capabilities *c = &p->capabilities;
	struct capsets now;
	struct stat st;
	int r;

	ctx->final = (struct capsets){
		.effective = c->set[CAPSET_EFFECTIVE],
		.permitted = c->set[CAPSET_PERMITTED],
		.inheritable = c->set[CAPSET_INHERITABLE],
	};
	ctx->sysadmin_borrowed = ctx->seccomp && !p->no_new_privileges &&
				 !(ctx->final.permitted & CAP_BIT(CAP_SYS_ADMIN));

	if ((r = apparmor_apply(ctx->apparmor_fd, p->apparmor_profile, err)) < 0)
		return r;
	if ((r = caps_bound(c->set[CAPSET_BOUNDING], err)) < 0)
		return r;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return hako_fail(err, errno, "prctl(PR_SET_KEEPCAPS)", NULL,
				 "cannot keep capabilities across the uid switch");
	if ((r = switch_user(&p->user, err)) < 0)
		return r;
	/* A change of uid or gid resets the dumpable flag to fs.suid_dumpable,
	 * which a host may set to 1: container_early's protection of hako's
	 * binary (/proc/<init>/exe) must hold until execve. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return hako_fail(err, errno, "prctl(PR_SET_DUMPABLE)", NULL,
				 "cannot protect hako's binary from the container");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return hako_fail(err, errno, "prctl(PR_SET_KEEPCAPS)", NULL, "cannot reset keepcaps");
	now = ctx->final;
	if (ctx->sysadmin_borrowed)
		now.permitted |= CAP_BIT(CAP_SYS_ADMIN);
	if ((r = caps_set(&now, err)) < 0) {
		hako_err_config(err, "process.capabilities");
		return r;
	}
	if ((r = caps_ambient(c->set[CAPSET_AMBIENT], err)) < 0) {
		hako_err_config(err, "process.capabilities.ambient");
		return r;
	}
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return hako_fail(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)", NULL,
				 "cannot set no_new_privs");
	if (p->user.umask.set)
		umask(p->user.umask.v & 0777);
	if (chdir(p->cwd) < 0) {
		r = hako_fail(err, errno, "chdir", p->cwd,
			      "cannot enter the working directory '%s' as uid %u", p->cwd,
			      p->user.uid);
		hako_err_config(err, "process.cwd");
		if (r == -EACCES && stat(p->cwd, &st) == 0)
			hako_err_hint(err, "'%s' is mode %04o, owner %u:%u, and the process runs as "
					   "%u:%u; choose a process.cwd it may enter, or change the "
					   "directory's mode or owner in the image",
				      p->cwd, st.st_mode & 07777, (unsigned)st.st_uid,
				      (unsigned)st.st_gid, p->user.uid, p->user.gid);
		return r;
	}
	ctx->env = env_with_home(s, &s->arena);
	return resolve_exe(p->args.v[0], env_get(ctx->env, "PATH"), ctx->exe, sizeof(ctx->exe),
			   err);
}

int process_exec(struct process_ctx *ctx, struct hako_err *err)
{
	const struct spec_process *p = &ctx->spec->process;
	int r;

	/* before the filter, which may deny or hand to a listener the calls
	 * of the check */
	if ((r = exe_guard_check(ctx->exe, "process.args[0]", err)) < 0)
		return r;
	/* Every fd hako holds is closed by execve; the preserved ones and
	 * stdio stay. */
	if (close_range(3 + ctx->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return hako_fail(err, errno, "close_range", NULL,
				 "cannot mark hako's file descriptors close-on-exec");
	if (ctx->seccomp) {
		if (ctx->sysadmin_borrowed) {
			struct capsets borrow = ctx->final;
			borrow.permitted |= CAP_BIT(CAP_SYS_ADMIN);
			borrow.effective |= CAP_BIT(CAP_SYS_ADMIN);
			if ((r = caps_set(&borrow, err)) < 0)
				return r;
		}
		if ((r = seccomp_prog_load(ctx->seccomp, err)) < 0)
			return r;
		if (ctx->sysadmin_borrowed && (r = caps_set(&ctx->final, err)) < 0) {
			hako_err_hint(err, "with noNewPrivileges false hako drops CAP_SYS_ADMIN "
					   "after loading the seccomp filter, so the filter must "
					   "allow capset; allow it or set process.noNewPrivileges");
			return r;
		}
	}
	execve(ctx->exe, (char *const *)p->args.v, (char *const *)ctx->env);
	r = -errno;
	exec_explain(ctx->exe, errno, err);
	return r;
}

/* ---- why execve failed ----------------------------------------------------- */

static void explain_enoent(const char *path, struct hako_err *err)
{
	struct exec_head h;

	if (access(path, F_OK) < 0) {
		hako_err_hint(err, "'%s' does not exist in the container", path);
		return;
	}
	if (exec_head_read(path, &h) < 0 || !h.interp[0])
		return;
	if (h.kind == EXEC_SCRIPT && h.crlf)
		hako_err_hint(err, "its #! line ends in a carriage return (CRLF line endings), "
				   "so the kernel looks for \"%s\\r\"; convert the file to LF",
			      h.interp);
	else if (h.kind == EXEC_SCRIPT && access(h.interp, F_OK) < 0)
		hako_err_hint(err, "its #! interpreter \"%s\" does not exist in the container",
			      h.interp);
	else if (h.kind == EXEC_ELF && access(h.interp, F_OK) < 0)
		hako_err_hint(err, "it needs the ELF interpreter %s, which is missing in the "
				   "container (a glibc program on a musl image, or the wrong "
				   "architecture?)",
			      h.interp);
}

static void explain_eperm(const char *path, struct hako_err *err)
{
	struct vfs_ns_cap_data data;
	uint64_t permitted, missing = 0;
	ssize_t n = getxattr(path, "security.capability", &data, sizeof(data));
	char names[512];

	if (n < (ssize_t)XATTR_CAPS_SZ_2)
		return;
	permitted = data.data[0].permitted | (uint64_t)data.data[1].permitted << 32;
	for (int cap = 0; cap < 64; cap++)
		if ((permitted & CAP_BIT(cap)) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0)
			missing |= CAP_BIT(cap);
	if (!missing || !(data.magic_etc & VFS_CAP_FLAGS_EFFECTIVE))
		return;
	caps_format(missing, names, sizeof(names));
	hako_err_hint(err, "'%s' has file capabilities with the effective bit, and %s %s not in "
			   "the container's bounding set, so the kernel refuses to run it; add %s "
			   "to process.capabilities.bounding or remove the file capability",
		      path, names, strchr(names, ' ') ? "are" : "is", names);
}

void exec_explain(const char *path, int errnum, struct hako_err *err)
{
	hako_fail(err, errnum, "execve", path, "cannot run '%s'", path);
	hako_err_config(err, "process.args[0]");
	if (errnum == ENOENT)
		explain_enoent(path, err);
	else if (errnum == EPERM)
		explain_eperm(path, err);
}
