/* validate_internal.h - what the two halves of the validator share. */
#ifndef HAKO_SPEC_VALIDATE_INTERNAL_H
#define HAKO_SPEC_VALIDATE_INTERNAL_H

#include <stdbool.h>

#include "spec/config.h"
#include "util/err.h"

/* A config error whose message starts with its path: "<config>: <what>". */
int invalid(struct hako_err *err, const char *config, const char *fmt, ...) HAKO_PRINTF(3, 4);

int check_absolute(const char *path, const char *config, struct hako_err *err);
/* "0-3,7": the list syntax of cpuset.cpus, memoryPolicy.nodes and
 * execCPUAffinity; every number below `limit`.  "" is an empty list. */
int check_list(const char *list, unsigned long limit, const char *config, struct hako_err *err);
/* NAME=VALUE entries */
int check_env(const struct strv *env, const char *prefix, struct hako_err *err);

/* `name` is one of the strings of o */
bool has_option(const struct strv *o, const char *name);

/* validate_linux.c */
int validate_devices(const struct spec_linux *l, struct hako_err *err);
int validate_linux_misc(const struct spec *s, struct hako_err *err);
int validate_resources(const struct spec *s, struct hako_err *err);
int validate_seccomp(const struct spec *s, struct hako_err *err);
int validate_intel_rdt(const struct spec *s, struct hako_err *err);
int validate_memory_policy(const struct spec *s, struct hako_err *err);
int validate_hooks(const struct spec *s, struct hako_err *err);

/* validate_lsm.c: the LSMs this host enforces, and the labels of a config
 * refused where its LSM is on (hako applies none: SELinux), warned about
 * where not.  Split so tests can give either host. */
struct host_lsms {
	bool selinux;
};
struct host_lsms host_lsms(void);
/* Whether the config has a label at all: the host is asked only then. */
bool selinux_labels_asked(const struct spec *s);
int validate_lsm_labels(const struct spec *s, struct host_lsms lsm, struct hako_err *err);

#endif
