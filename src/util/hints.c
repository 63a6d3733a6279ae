/* hints.c - what an errno means for a given step, and what to change.
 *
 * The same errno has different causes depending on the operation: ENOSPC
 * from mount(2) is the mount table limit, from a cgroup v1 cpuset it is an
 * empty cpuset.cpus, never a full disk.  Hints that depend only on (step,
 * errno) live here as data so they can be reviewed and unit-tested; a
 * failure site that knows more calls hako_err_hint() instead.
 *
 * A row matches when the step starts with `step` and errno equals `errnum`;
 * the first matching row wins, so specific steps come before general ones.
 */
#include "util/err.h"

#include <errno.h>
#include <string.h>

#include "util/cleanup.h"

struct hint_row {
	const char *step;
	int errnum;
	const char *hint;
};

static const struct hint_row hint_table[] = {
	{ "mount", ENOSPC,
	  "the mount table is full: raise /proc/sys/fs/mount-max or use fewer mounts" },
	{ "mount", ENODEV,
	  "the kernel does not know this file system type; load its module or fix mounts[].type" },
	{ "mount", ENOENT, "the mount source does not exist; check mounts[].source" },
	{ "mount", ENOTDIR,
	  "a file is mounted on a directory or the reverse; source and destination must be the same kind" },
	{ "mount", EPERM,
	  "mounting needs CAP_SYS_ADMIN in the user namespace that owns the mount namespace; "
	  "in a user namespace some file systems (proc, sysfs) can only be mounted when a "
	  "fully visible instance exists and the pid/network namespace is owned by the container" },
	{ "pivot_root", EINVAL,
	  "pivot_root needs the new root to be a mount point not on a shared parent; if the host "
	  "root is an initramfs (rootfs), pivot_root is impossible: use 'hako create --no-pivot'" },
	{ "clone", EINVAL,
	  "the kernel refused a namespace flag; user or time namespaces may be disabled "
	  "(see /proc/sys/user/max_user_namespaces and CONFIG_TIME_NS)" },
	{ "clone", ENOSPC,
	  "a namespace limit was reached: see /proc/sys/user/max_*_namespaces" },
	{ "clone", EPERM,
	  "creating namespaces needs CAP_SYS_ADMIN (or unprivileged user namespaces enabled)" },
	{ "clone", EUSERS, "the nesting depth of user namespaces is at its limit (32)" },
	{ "clone", EAGAIN,
	  "a process limit was reached: RLIMIT_NPROC of the user running hako, pids.max of "
	  "hako's own cgroup (see /proc/self/cgroup), or kernel.threads-max" },
	{ "clone", EBUSY,
	  "cgroup v2 refused to place the process: the container's cgroup has controllers "
	  "enabled for children (cgroup.subtree_control), and processes may only live in leaves" },
	{ "clone", EOPNOTSUPP,
	  "cgroup v2 refused to place the process: the container's cgroup is not a valid "
	  "domain (a threaded subtree, or a parent in 'domain invalid' state; see cgroup.type)" },
	{ "setns", EINVAL,
	  "the file is not a namespace of the type given in linux.namespaces[].type, or the "
	  "process cannot join it (a pid namespace must be below hako's own)" },
	{ "setns", EPERM,
	  "joining a namespace needs CAP_SYS_ADMIN in the user namespace that owns it" },
	{ "write uid_map", EPERM,
	  "the uid mapping maps ids hako may not map; as an ordinary user use newuidmap "
	  "and the ranges in /etc/subuid" },
	{ "write gid_map", EPERM,
	  "the gid mapping maps ids hako may not map; as an ordinary user use newgidmap "
	  "and the ranges in /etc/subgid" },
	{ "write uid_map", EINVAL,
	  "uid mapping ranges overlap, are empty, or exceed 340 entries" },
	{ "write gid_map", EINVAL,
	  "gid mapping ranges overlap, are empty, or exceed 340 entries" },
	{ "mknod", EPERM,
	  "device nodes cannot be created in a user namespace; bind-mount them from the host "
	  "(a mount with type bind and the device as source)" },
	{ "write cgroup.procs", ENOSPC,
	  "ENOSPC here is not about disk space: the cgroup v1 cpuset has an empty cpuset.cpus "
	  "or cpuset.mems, so no task may join it" },
	{ "write cgroup.procs", EBUSY,
	  "the cgroup v2 'no internal processes' rule: the cgroup has controllers enabled for "
	  "children, so processes must live in a leaf cgroup" },
	{ "setrlimit", EPERM,
	  "raising a hard limit needs CAP_SYS_RESOURCE in the initial user namespace; request at "
	  "most hako's own hard limit (see 'ulimit -H -a') or raise it on the host" },
	{ "setrlimit", EINVAL, "the soft limit is above the hard limit" },
	{ "execve", ENOENT,
	  "the program, or the interpreter named by its #! line or ELF header, does not exist "
	  "in the container" },
	{ "execve", EACCES,
	  "the program is not executable, or a directory on its path is not searchable, or its "
	  "file system is mounted noexec" },
	{ "execve", EPERM,
	  "the program has file capabilities outside the container's bounding set, or a "
	  "seccomp filter or LSM denied execve" },
	{ "execve", ENOEXEC,
	  "the file is not a program for this architecture and has no #! line" },
	{ "capset", EPERM,
	  "a capability was requested that hako itself does not hold (see CapBnd in "
	  "/proc/self/status on the host)" },
	{ "set ambient capability", EPERM,
	  "an ambient capability must also be in the permitted and inheritable sets" },
	{ "write sysctl", ENOENT,
	  "this key does not exist inside the container's namespaces on this kernel: it is a "
	  "host-wide setting; set it on the host" },
	{ "write sysctl", EACCES,
	  "this key is read-only inside a namespace on this kernel: it is owned by the host" },
	{ "open state", ENOENT, "no container with this id exists; see 'hako list'" },
	{ "mkdir state", EEXIST,
	  "a container with this id exists already; pick another id or 'hako delete' it first" },
	{ "mkdir state", EACCES,
	  "the state root is not writable; pass --root DIR, or run as root" },
};

const char *hint_lookup(const char *step, int errnum)
{
	if (!step || errnum <= 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(hint_table); i++) {
		const struct hint_row *r = &hint_table[i];
		if (r->errnum == errnum && strncmp(step, r->step, strlen(r->step)) == 0)
			return r->hint;
	}
	return NULL;
}
