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

#endif
