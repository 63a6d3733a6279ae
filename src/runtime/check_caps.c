/* check_caps.c - the checks about capabilities: the program's file
 * capabilities, the sets the config asks for and what survives the uid
 * switch and execve, and what that means for locking memory. */
#include "runtime/check.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/rlimit.h"
#include "spec/names.h"
#include "util/cleanup.h"

#define BIT(cap) (1ULL << (cap))
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static uint64_t all_caps(int cap_last)
{
	return cap_last >= 63 ? ~0ULL : (2ULL << cap_last) - 1;
}

/*
 * capabilities(7), "Transformation of capabilities during execve()", as
 * security/commoncap.c implements it:
 *   P'(permitted) = (P(inheritable) & F(inheritable)) | (F(permitted) & P(bounding)) | P'(ambient)
 *   P'(effective) = F(effective) ? P'(permitted) : P'(ambient)
 * where a program with file capabilities clears the ambient set, uid 0
 * counts as F(inheritable) = F(permitted) = all and F(effective) set
 * (hako never sets SECBIT_NOROOT), no_new_privs keeps P' within the old
 * permitted set, and a file with the effective bit that does not get all
 * of its permitted capabilities is refused (EPERM).
 */
struct exec_caps caps_after_exec(const struct spec_process *p, const struct file_caps *f,
				 int cap_last)
{
	const uint64_t *set = p->capabilities.set;
	uint64_t all = all_caps(cap_last);
	uint64_t bnd = set[CAPSET_BOUNDING], inh = set[CAPSET_INHERITABLE];
	uint64_t perm = set[CAPSET_PERMITTED], amb = set[CAPSET_AMBIENT] & perm & inh;
	bool fcaps = f && f->present;
	uint64_t fp = fcaps ? f->permitted : 0, fi = fcaps ? f->inheritable : 0;
	bool fe = fcaps && f->effective;
	struct exec_caps out = { 0 };

	if (fe)
		out.missing = fp & ~((inh & fi) | (fp & bnd));
	if (p->user.uid == 0) {
		fp = fi = all;
		fe = true;
	}
	out.ambient = fcaps ? 0 : amb;
	out.permitted = (inh & fi) | (fp & bnd);
	if (p->no_new_privileges)
		out.permitted &= perm;
	out.permitted = (out.permitted | out.ambient) & all;
	out.effective = fe ? out.permitted : out.ambient;
	return out;
}

/* ---- the program ----------------------------------------------------------------- */

static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

static const char *env_path(const struct spec_process *p)
{
	for (size_t i = 0; i < p->env.n; i++)
		if (!strncmp(p->env.v[i], "PATH=", 5))
			return p->env.v[i] + 5;
	return DEFAULT_PATH;
}

/*
 * An executable regular file at `path` inside the rootfs: an O_PATH fd of
 * it.  The image chooses what is there, and this runs as host root outside
 * any device cgroup: a real open of a FIFO blocks `hako create` forever,
 * and one of a device node runs its driver's open (/dev/watchdog arms the
 * watchdog).  O_PATH opens nothing; fstat and the xattr read through
 * /proc/self/fd work on it.  `mode` gets the type of the first thing found
 * that is not a regular file, for the finding.
 */
static int open_program(int rootfd, const char *path, mode_t *mode)
{
	int fd = open_in_root(rootfd, path, O_PATH);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		if (!*mode && !S_ISREG(st.st_mode))
			*mode = st.st_mode & S_IFMT;
		close(fd);
		return -1;
	}
	return fd;
}

/* process.args[0] as execvp(3) finds it with the container's PATH; the
 * O_PATH fd of the file, and its container path in `out`.  Not found:
 * `out` is the name, or the first non-regular file in its way, whose type
 * goes to `mode`. */
static int find_program(const struct spec *s, int rootfd, char *out, size_t size, mode_t *mode)
{
	const struct spec_process *p = &s->process;
	const char *name = p->args.v[0];
	_cleanup_free_ char *dirs = NULL, *odd = NULL;
	char *save = NULL;

	*mode = 0;
	if (name[0] == '/' || strchr(name, '/')) {
		if (name[0] == '/')
			snprintf(out, size, "%s", name);
		else
			snprintf(out, size, "%s/%s", p->cwd ? p->cwd : "/", name);
		return open_program(rootfd, out, mode);
	}
	dirs = strdup(env_path(p));
	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
		mode_t seen = *mode;
		int fd;
		snprintf(out, size, "%s/%s", *d ? d : ".", name);
		if ((fd = open_program(rootfd, out, mode)) >= 0)
			return fd;
		if (*mode && !seen)
			odd = strdup(out);
	}
	snprintf(out, size, "%s", odd ? odd : name);
	return -1;
}

static bool read_file_caps(int fd, struct file_caps *out)
{
	struct vfs_ns_cap_data d;
	char proc[64];
	ssize_t n;
	uint32_t rev;

	memset(out, 0, sizeof(*out));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = getxattr(proc, "security.capability", &d, sizeof(d));
	if (n < (ssize_t)XATTR_CAPS_SZ_1)
		return false;
	rev = d.magic_etc & VFS_CAP_REVISION_MASK;
	out->present = true;
	out->effective = d.magic_etc & VFS_CAP_FLAGS_EFFECTIVE;
	out->permitted = d.data[0].permitted;
	out->inheritable = d.data[0].inheritable;
	if (rev != VFS_CAP_REVISION_1 && n >= (ssize_t)XATTR_CAPS_SZ_2) {
		out->permitted |= (uint64_t)d.data[1].permitted << 32;
		out->inheritable |= (uint64_t)d.data[1].inheritable << 32;
	}
	return true;
}

bool check_program_caps(const struct spec *s, struct file_caps *out, char *path, size_t size)
{
	_cleanup_close_ int rootfd = -1, fd = -1;
	mode_t mode;

	memset(out, 0, sizeof(*out));
	snprintf(path, size, "%s", "");
	if (!s->process.present || !s->process.args.n || !s->rootfs)
		return false;
	rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return false;
	fd = find_program(s, rootfd, path, size, &mode);
	return fd >= 0 && read_file_caps(fd, out);
}

struct exec_caps check_exec_caps(struct check_ctx *c)
{
	char path[4200];

	if (!c->fcaps_read) {
		check_program_caps(c->spec, &c->fcaps, path, sizeof(path));
		c->fcaps_read = true;
	}
	return caps_after_exec(&c->spec->process, &c->fcaps, c->host->cap_last);
}

/* "cap_ipc_lock,cap_net_raw+ep" as getcap(8) prints it. */
static void format_file_caps(const struct file_caps *f, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int cap = 0; cap < 64 && len + 1 < size; cap++) {
		const char *name = cap_name(cap);
		if (!((f->permitted | f->inheritable) & BIT(cap)))
			continue;
		if (len)
			out[len++] = ',';
		for (const char *n = name ? name : "cap_?"; *n && len + 1 < size; n++)
			out[len++] = (char)(*n >= 'A' && *n <= 'Z' ? *n - 'A' + 'a' : *n);
		out[len] = '\0';
	}
	snprintf(out + len, size - len, "+%s%s%s", f->effective ? "e" : "",
		 f->inheritable ? "i" : "", f->permitted ? "p" : "");
}

static bool path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/' || n == 1);
}

/* Can the program be missing now and still be there at exec?  A create
 * hook or a mount over its directory may put it in place. */
static bool program_may_appear(const struct spec *s)
{
	const struct spec_process *p = &s->process;
	const char *name = p->args.v[0];
	_cleanup_free_ char *dirs = NULL;
	char *save = NULL;

	for (int k = HOOK_PRESTART; k <= HOOK_CREATE_CONTAINER; k++)
		if (s->hooks.n[k])
			return true;
	for (size_t i = 0; i < s->n_mounts; i++) {
		const char *d = s->mounts[i].destination;
		if (strchr(name, '/')) {
			if (name[0] != '/' || path_under(name, d))
				return true;
			continue;
		}
		free(dirs);
		dirs = strdup(env_path(p));
		for (char *e = dirs ? strtok_r(dirs, ":", &save) : NULL; e;
		     e = strtok_r(NULL, ":", &save))
			if (path_under(e, d))
				return true;
	}
	return false;
}

static const char *file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	default:
		return "of an unknown type";
	}
}

/* `path`: the program's path, or the non-regular file of type `mode` that
 * stands where it should be. */
static void program_missing(struct check_ctx *c, const char *name, const char *path, mode_t mode)
{
	const struct spec *s = c->spec;
	char what[4800], fix[300];

	if (c->at_create)
		return; /* create resolves it itself, after the mounts and hooks */
	if (mode)
		snprintf(what, sizeof(what),
			 "the program '%s' is not a regular file: it is %s, which execve cannot run",
			 path, file_type(mode));
	else if (strchr(name, '/'))
		snprintf(what, sizeof(what), "the program '%s' is not an executable file in the rootfs",
			 name);
	else
		snprintf(what, sizeof(what),
			 "the program \"%s\" is not an executable file in any directory of the "
			 "container's PATH (%s)",
			 name, env_path(&s->process));
	if (mode)
		snprintf(fix, sizeof(fix), "put the program there in the rootfs, or name another "
					   "in process.args[0]");
	else
		snprintf(fix, sizeof(fix), "give the program's full path in process.args[0], or "
					   "put it in the rootfs");
	if (program_may_appear(s))
		check_add(c, SEVERITY_NOTE, "program", "process.args[0]", what,
			  "a mount or a create hook may still provide it", fix);
	else
		check_add(c, SEVERITY_ERROR, "program", "process.args[0]", what,
			  "'hako run' and 'hako start' would fail to execute it", fix);
}

static void file_caps_findings(struct check_ctx *c, const char *path, const struct file_caps *f)
{
	const struct spec_process *p = &c->spec->process;
	struct exec_caps ex = caps_after_exec(p, f, c->host->cap_last);
	uint64_t bnd = p->capabilities.set[CAPSET_BOUNDING];
	char fc[512], names[512], what[1200], fix[1200];

	format_file_caps(f, fc, sizeof(fc));
	if (ex.missing) {
		caps_format(ex.missing, names, sizeof(names));
		snprintf(what, sizeof(what),
			 "execve of '%s' will fail with EPERM: its file capabilities (%s) include %s, "
			 "which %s not in process.capabilities.bounding",
			 path, fc, names, strchr(names, ' ') ? "are" : "is");
		snprintf(fix, sizeof(fix),
			 "add %s to process.capabilities.bounding, or remove the file capability "
			 "from the program (setcap -r %s when building the image)",
			 names, path);
		check_add(c, SEVERITY_ERROR, "program", "process.capabilities.bounding", what,
			  "a program whose file capabilities carry the effective bit must receive all "
			  "its file-permitted capabilities, or the kernel refuses to run it "
			  "(capabilities(7): capability-dumb binaries)",
			  fix);
		return;
	}
	/* What the file would add without no_new_privs, and NNP takes away. */
	if (p->no_new_privileges) {
		uint64_t would = (f->permitted & bnd) & ~p->capabilities.set[CAPSET_PERMITTED];
		if (p->user.uid != 0 && would) {
			caps_format(would, names, sizeof(names));
			snprintf(what, sizeof(what),
				 "the file capabilities of '%s' (%s) will not grant %s: "
				 "process.noNewPrivileges is true",
				 path, fc, names);
			snprintf(fix, sizeof(fix),
				 "grant %s through process.capabilities (for a non-root uid in ambient, "
				 "inheritable and permitted too), or set process.noNewPrivileges to "
				 "false",
				 names);
			check_add(c, SEVERITY_WARNING, "program", "process.noNewPrivileges", what,
				  "with no_new_privs, execve cannot raise capabilities (this is why "
				  "setcap in an image stops working under Kubernetes' "
				  "allowPrivilegeEscalation: false)",
				  fix);
		}
	}
}

void check_program(struct check_ctx *c)
{
	const struct spec *s = c->spec;
	_cleanup_close_ int rootfd = -1, fd = -1;
	char path[4200];
	mode_t mode;

	if (!s->process.present) {
		if (!c->at_create)
			check_add(c, SEVERITY_WARNING, "program", "process",
				  "the config has no process: 'hako create' works, but 'hako start' "
				  "and 'hako run' need one",
				  NULL, "add process.args, process.cwd and process.user");
		return;
	}
	if (!s->process.args.n || !s->rootfs)
		return;
	rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return; /* the rootfs check says why */
	fd = find_program(s, rootfd, path, sizeof(path), &mode);
	c->fcaps_read = true;
	memset(&c->fcaps, 0, sizeof(c->fcaps));
	if (fd < 0) {
		program_missing(c, s->process.args.v[0], path, mode);
		return;
	}
	c->fcaps_read = true;
	if (read_file_caps(fd, &c->fcaps))
		file_caps_findings(c, path, &c->fcaps);
}

/* ---- the capability sets ----------------------------------------------------------- */

/* "<caps>: <what>", "<fix_verb> <caps> <fix_rest>" */
static void set_error(struct check_ctx *c, const char *config, uint64_t caps, const char *what,
		      const char *why, const char *fix_verb, const char *fix_rest)
{
	char names[512], text[900], fix[900];

	caps_format(caps, names, sizeof(names));
	snprintf(text, sizeof(text), "%s: %s", names, what);
	snprintf(fix, sizeof(fix), "%s %s %s", fix_verb, names, fix_rest);
	check_add(c, SEVERITY_ERROR, "capabilities", config, text, why, fix);
}

/* What capset(2) refuses for reasons outside the sets themselves (the
 * validator checks effective within permitted and ambient within
 * permitted and inheritable). */
static void check_sets(struct check_ctx *c)
{
	const struct spec *s = c->spec;
	const uint64_t *set = s->process.capabilities.set;
	bool userns = spec_has_ns(s, NS_USER);
	uint64_t holdable = userns ? all_caps(c->host->cap_last) : c->host->own_permitted;
	uint64_t bad;

	if ((bad = set[CAPSET_PERMITTED] & ~holdable))
		set_error(c, "process.capabilities.permitted", bad,
			  "hako itself does not hold it, so it cannot give it to the container",
			  "capset(2) keeps only capabilities the caller has; hako's own permitted "
			  "set (CapPrm in /proc/<pid>/status) lacks it",
			  "drop", "from process.capabilities, or run hako where it holds it (a "
				  "container engine or a systemd unit may limit hako's capabilities)");
	if ((bad = set[CAPSET_INHERITABLE] &
		   ~(set[CAPSET_BOUNDING] | (userns ? 0 : c->host->own_inheritable))))
		set_error(c, "process.capabilities.inheritable", bad,
			  "in the inheritable set but not in bounding, so capset(2) will fail with "
			  "EPERM",
			  "the kernel admits no new inheritable capability outside the bounding set",
			  "add", "to process.capabilities.bounding, or remove it from inheritable");
}

/* capabilities(7): the switch from uid 0 clears the effective and
 * permitted sets (process_prepare keeps permitted with PR_SET_KEEPCAPS and
 * restores it), but execve of an ordinary program then grants only the
 * ambient set.  Docker and Kubernetes do not use ambient capabilities:
 * kubernetes/kubernetes#56374, seed 3. */
static void check_uid_switch(struct check_ctx *c)
{
	const struct spec_process *p = &c->spec->process;
	const uint64_t *set = p->capabilities.set;
	struct exec_caps ex = check_exec_caps(c);
	uint64_t lost = (set[CAPSET_EFFECTIVE] | set[CAPSET_PERMITTED]) & ~ex.effective;
	char names[512], what[900], why[600], fix[900];

	if (p->user.uid == 0 || !lost || ex.missing)
		return;
	caps_format(lost, names, sizeof(names));
	snprintf(what, sizeof(what),
		 "process.user.uid is %u and %s %s not in process.capabilities.ambient: the "
		 "process will not hold %s after execve",
		 p->user.uid, names, strchr(names, ' ') ? "are" : "is",
		 strchr(names, ' ') ? "them" : "it");
	snprintf(why, sizeof(why),
		 "switching from uid 0 to %u clears the effective and permitted sets; only "
		 "the ambient set carries capabilities across execve of a program without "
		 "file capabilities (capabilities(7))",
		 p->user.uid);
	snprintf(fix, sizeof(fix),
		 "add %s to process.capabilities.ambient and .inheritable ('hako spec --user "
		 "%u:%u --cap-add NAME' writes all five sets)",
		 names, p->user.uid, p->user.gid);
	check_add(c, SEVERITY_WARNING, "capabilities", "process.capabilities.ambient", what, why,
		  fix);
}

void check_capabilities(struct check_ctx *c)
{
	if (!c->spec->process.present)
		return;
	check_sets(c);
	check_uid_switch(c);
}

/* ---- locking memory ------------------------------------------------------------------ */

static uint64_t memlock_limit(const struct check_ctx *c, bool *from_config)
{
	const struct spec_process *p = &c->spec->process;

	for (size_t i = 0; i < p->n_rlimits; i++)
		if (p->rlimits[i].resource == RLIMIT_MEMLOCK) {
			*from_config = true;
			return p->rlimits[i].soft;
		}
	*from_config = false;
	return c->host->own_rlimit[RLIMIT_MEMLOCK].rlim_cur;
}

/* mlock(2): without CAP_IPC_LOCK at most RLIMIT_MEMLOCK bytes, and the
 * capability counts only in the initial user namespace (mm/mlock.c,
 * can_do_mlock() uses capable()).  Seeds 1 and 3. */
void check_memlock(struct check_ctx *c)
{
	const struct spec_process *p = &c->spec->process;
	struct exec_caps ex;
	bool from_config, userns = spec_has_ns(c->spec, NS_USER);
	char limit[64], hard[64], what[600], why[800], fix[800];
	uint64_t lim;

	if (!p->present)
		return;
	lim = memlock_limit(c, &from_config);
	if (lim == RLIM_INFINITY)
		return;
	ex = check_exec_caps(c);
	rlimit_format_unit(lim, " bytes", limit, sizeof(limit));
	if ((ex.effective & BIT(CAP_IPC_LOCK)) && userns) {
		snprintf(what, sizeof(what),
			 "CAP_IPC_LOCK does not lift RLIMIT_MEMLOCK in a user namespace: locking "
			 "more than %s will fail with ENOMEM",
			 limit);
		check_add(c, SEVERITY_WARNING, "memlock", "process.capabilities", what,
			  "mlock(2) asks for CAP_IPC_LOCK in the initial user namespace, and the "
			  "container holds it only in its own",
			  "raise RLIMIT_MEMLOCK in process.rlimits: hako sets it from outside the "
			  "user namespace");
		return;
	}
	if (ex.effective & BIT(CAP_IPC_LOCK))
		return;
	snprintf(what, sizeof(what),
		 "mlockall of more than %s will fail with ENOMEM: that is RLIMIT_MEMLOCK, and the "
		 "process will not hold CAP_IPC_LOCK",
		 limit);
	snprintf(why, sizeof(why),
		 "without CAP_IPC_LOCK a process may lock at most RLIMIT_MEMLOCK bytes (%s); "
		 "programs that lock all their memory (Elasticsearch's bootstrap.memory_lock, "
		 "databases, JVMs) need more",
		 from_config ? "set by process.rlimits"
			     : "process.rlimits does not set it, so the process inherits hako's");
	rlimit_format(c->host->own_rlimit[RLIMIT_MEMLOCK].rlim_max, hard, sizeof(hard));
	snprintf(fix, sizeof(fix), "set RLIMIT_MEMLOCK in process.rlimits%s%s%s, or grant "
				   "CAP_IPC_LOCK%s",
		 c->host->can_raise_rlimits ? "" : " (hako can give at most its own hard limit, ",
		 c->host->can_raise_rlimits ? "" : hard, c->host->can_raise_rlimits ? "" : ")",
		 p->user.uid ? " in all five capability sets (the uid is not 0, so ambient "
			       "and inheritable too)"
			     : "");
	check_add(c, SEVERITY_NOTE, "memlock", "process.rlimits", what, why, fix);
}
