/* names.h - kernel constants as config.json and the command line spell them:
 * capabilities, rlimits, namespaces, hooks, seccomp actions and operators. */
#ifndef HAKO_SPEC_NAMES_H
#define HAKO_SPEC_NAMES_H

#include <stddef.h>

/* CAP_CHECKPOINT_RESTORE: the last capability hako knows (Linux 5.9). */
#define HAKO_CAP_LAST 40

/* "CAP_IPC_LOCK" for 14; NULL past HAKO_CAP_LAST. */
const char *cap_name(int cap);
/* Exact "CAP_IPC_LOCK" -> 14; -1 if unknown. */
int cap_from_name(const char *name);
/* Lenient, for the command line: "ipc_lock", "IPC_LOCK", "CAP_IPC_LOCK". */
int cap_from_user(const char *name);
/* The known name closest to an unknown one, for "did you mean". */
const char *cap_suggest(const char *name);

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -1 if unknown. */
int rlimit_from_name(const char *name);
const char *rlimit_name(int resource);
/* Lenient: "nofile", "NOFILE", "RLIMIT_NOFILE". */
int rlimit_from_user(const char *name);

/* Index of `name` in a table of `n` strings, -1 if absent. */
int name_index(const char *const *table, size_t n, const char *name);

/* Signal names for kill: "TERM", "SIGTERM", "15", "RTMIN+3". -1 if unknown. */
int signal_from_name(const char *name);

/* runtime-spec enum spellings.  Where the kernel numbers the values, the
 * index is the number: sched_policy_names[SCHED_FIFO] = "SCHED_FIFO",
 * mpol_mode_names[MPOL_BIND], ioprio_class_names[IOPRIO_CLASS_BE] (index 0,
 * IOPRIO_CLASS_NONE, is NULL); sched_flag_names[i] is the flag 1 << i. */
#define SCHED_POLICY_COUNT 7
#define SCHED_FLAG_COUNT 7
#define IOPRIO_CLASS_COUNT 4
#define MPOL_MODE_COUNT 7
#define MPOL_FLAG_COUNT 3
extern const char *const sched_policy_names[SCHED_POLICY_COUNT];
extern const char *const sched_flag_names[SCHED_FLAG_COUNT];
extern const char *const ioprio_class_names[IOPRIO_CLASS_COUNT];
extern const char *const mpol_mode_names[MPOL_MODE_COUNT];
/* MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING. */
extern const char *const mpol_flag_names[MPOL_FLAG_COUNT];

/* linux.seccomp architectures (libseccomp 2.6.0) and flags, as
 * config-linux.md lists them. */
#define OCI_SECCOMP_ARCH_COUNT 23
#define OCI_SECCOMP_FLAG_COUNT 4
extern const char *const oci_seccomp_archs[OCI_SECCOMP_ARCH_COUNT];
extern const char *const oci_seccomp_flags[OCI_SECCOMP_FLAG_COUNT];

#endif
