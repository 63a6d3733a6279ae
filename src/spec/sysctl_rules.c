/* sysctl_rules.c - namespace ownership of sysctl keys and validation of
 * linux.sysctl against the container's own namespaces. */
#include "spec/sysctl_rules.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "spec/names.h"
#include "util/cleanup.h"

/* IPC keys (ipc/ipc_sysctl.c, ipc/mq_sysctl.c): per IPC namespace. */
static const char *const ipc_keys[] = {
	"kernel.msgmax",      "kernel.msgmnb",      "kernel.msgmni",      "kernel.sem",
	"kernel.shmall",      "kernel.shmmax",      "kernel.shmmni",      "kernel.shm_rmid_forced",
	"kernel.msg_next_id", "kernel.sem_next_id", "kernel.shm_next_id",
};

int sysctl_owner(const char *key)
{
	if (name_index(ipc_keys, ARRAY_SIZE(ipc_keys), key) >= 0 ||
	    strncmp(key, "fs.mqueue.", 10) == 0)
		return NS_IPC;
	if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname"))
		return NS_UTS;
	if (strncmp(key, "net.", 4) == 0)
		return NS_NET;
	if (strncmp(key, "user.", 5) == 0)
		return NS_USER;
	return -1;
}

void sysctl_normalize(const char *key, char *out, size_t size)
{
	size_t sep = strcspn(key, "./");

	snprintf(out, size, "%s", key);
	if (key[sep] != '/')
		return;
	for (char *p = out; *p; p++)
		*p = *p == '/' ? '.' : *p == '.' ? '/' : *p;
}

void sysctl_proc_path(const char *key, char *out, size_t size)
{
	int n = snprintf(out, size, "/proc/sys/%s", key);

	if (n < 0)
		return;
	for (char *p = out + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
}

/* Does `path` name the namespace hako itself is in?  Joining the host's
 * namespace by path would make a "namespaced" key change the host
 * (opencontainers/runc#2693). */
static bool is_own_namespace(const char *path, enum ns_type t)
{
	char self[64];
	struct stat a, b;

	snprintf(self, sizeof(self), "/proc/self/ns/%s", ns_proc_names[t]);
	return stat(path, &a) == 0 && stat(self, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static int check_key(const struct spec *s, const char *raw, const char *value,
		     struct hako_err *err)
{
	char key[256], config[300];
	int owner;

	sysctl_normalize(raw, key, sizeof(key));
	snprintf(config, sizeof(config), "linux.sysctl[\"%s\"]", raw);
	owner = sysctl_owner(key);
	if (owner < 0) {
		int r = hako_fail_config(err, config,
					 "sysctl %s is host-global (not owned by any namespace); "
					 "setting it from a container would change the host and "
					 "every other container",
					 key);
		if (!strncmp(key, "vm.swappiness", 13))
			hako_err_hint(err, "set it on the host; for a per-container effect use "
					   "linux.resources.memory.swappiness");
		else
			hako_err_hint(err, "set it on the host (sysctl -w %s=%s) or drop it from "
					   "linux.sysctl",
				      key, value);
		return r;
	}
	if (owner == NS_UTS && !strcmp(key, "kernel.hostname"))
		return hako_fail_config(err, config,
					"sysctl kernel.hostname conflicts with the \"hostname\" field; "
					"set the hostname there");
	if (owner == NS_UTS && s->domainname && strcmp(s->domainname, value))
		return hako_fail_config(err, config,
					"sysctl kernel.domainname=%s conflicts with domainname \"%s\"",
					value, s->domainname);
	if (!spec_has_ns(s, owner)) {
		int r = hako_fail_config(err, config,
					 "sysctl %s belongs to the %s namespace, but the container "
					 "shares hako's own, so writing it would change the host",
					 key, ns_type_names[owner]);
		hako_err_hint(err, "add {\"type\": \"%s\"} to linux.namespaces, or drop the sysctl",
			      ns_type_names[owner]);
		return r;
	}
	if (s->lnx.ns[owner].path && is_own_namespace(s->lnx.ns[owner].path, owner)) {
		int r = hako_fail_config(err, config,
					 "sysctl %s needs a private %s namespace, but the container "
					 "joins %s, which is hako's own",
					 key, ns_type_names[owner], s->lnx.ns[owner].path);
		hako_err_hint(err, "drop the sysctl or give the container its own %s namespace",
			      ns_type_names[owner]);
		return r;
	}
	return 0;
}

int sysctl_validate(const struct spec *s, struct hako_err *err)
{
	const struct strmap *m = &s->lnx.sysctl;

	for (size_t i = 0; i < m->n; i++) {
		int r = check_key(s, m->key[i], m->value[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
