/* sysctl_rules.c - namespace ownership of sysctl keys and validation of
 * linux.sysctl against the container's own namespaces. */
#include "spec/sysctl_rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "spec/json.h"
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
	/* kernel/pid_namespace.c: ns_last_pid acts on the writer's pid namespace */
	if (!strcmp(key, "kernel.ns_last_pid"))
		return NS_PID;
	if (strncmp(key, "net.", 4) == 0)
		return NS_NET;
	if (strncmp(key, "user.", 5) == 0)
		return NS_USER;
	return -1;
}

static void swap_separators(char *p)
{
	for (; *p; p++)
		*p = *p == '/' ? '.' : *p == '.' ? '/' : *p;
}

void sysctl_normalize(const char *key, char *out, size_t size)
{
	size_t sep = strcspn(key, "./");

	snprintf(out, size, "%s", key);
	if (key[sep] == '/')
		swap_separators(out);
}

void sysctl_proc_path(const char *key, char *out, size_t size)
{
	int n = snprintf(out, size, "/proc/sys/%s", key);

	if (n < 0 || (size_t)n >= size)
		return;
	swap_separators(out + strlen("/proc/sys/"));
}

bool sysctl_key_valid(const char *key)
{
	const char *p = key;

	/* components are separated by '.'; a '/' inside one becomes a dot in
	 * /proc/sys, so "/" or "//" alone would turn into "." or ".." */
	for (;;) {
		size_t len = strcspn(p, ".");
		if (len == 0 || strspn(p, "/") == len)
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

bool ns_path_is_own(const char *path, enum ns_type t)
{
	char self[64];
	struct stat a, b;

	snprintf(self, sizeof(self), "/proc/self/ns/%s", ns_proc_names[t]);
	return stat(path, &a) == 0 && stat(self, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static int host_global(const char *config, const char *key, const char *value,
		       struct hako_err *err)
{
	int r = hako_fail_config(err, config,
				 "%s: %s is host-global (no namespace owns it); setting it from a "
				 "container would change the host and every other container",
				 config, key);

	if (!strcmp(key, "vm.swappiness"))
		hako_err_hint(err, "set it on the host; for one container use "
				   "linux.resources.memory.swappiness");
	else
		hako_err_hint(err, "set it on the host (sysctl -w %s=%s) or drop it from "
				   "linux.sysctl",
			      key, value);
	return r;
}

/* UTS keys against the OCI fields that set the same thing (runc and crun
 * refuse kernel.hostname; crun requires kernel.domainname to agree). */
static int uts_conflict(const struct spec *s, const char *config, const char *key,
			const char *value, struct hako_err *err)
{
	int r;

	if (!strcmp(key, "kernel.hostname")) {
		r = hako_fail_config(err, config,
				     "%s: kernel.hostname conflicts with the \"hostname\" field",
				     config);
		hako_err_hint(err, "set the container's hostname in \"hostname\" and drop the "
				   "sysctl");
		return r;
	}
	if (s->domainname && strcmp(s->domainname, value)) {
		r = hako_fail_config(err, config,
				     "%s: kernel.domainname=%s conflicts with \"domainname\": "
				     "\"%s\"",
				     config, value, s->domainname);
		hako_err_hint(err, "\"domainname\" sets it already; drop the sysctl or make "
				   "the two agree");
		return r;
	}
	return 0;
}

int sysctl_check_key(const struct spec *s, const char *raw, const char *value,
		     struct hako_err *err)
{
	const struct spec_namespace *ns;
	char key[256], config[320];
	int owner, r;

	json_path_key(config, sizeof(config), "linux.sysctl", raw);
	sysctl_normalize(raw, key, sizeof(key));
	if (!sysctl_key_valid(key))
		return hako_fail_config(err, config,
					"%s: not a sysctl name (an empty, \".\" or \"..\" component)",
					config);
	owner = sysctl_owner(key);
	if (owner < 0)
		return host_global(config, key, value, err);
	if (owner == NS_UTS && (r = uts_conflict(s, config, key, value, err)) < 0)
		return r;
	ns = &s->lnx.ns[owner];
	if (!ns->present) {
		r = hako_fail_config(err, config,
				     "%s: %s belongs to the %s namespace, but the container shares "
				     "hako's own, so writing it would change the host",
				     config, key, ns_type_names[owner]);
		hako_err_hint(err, "add {\"type\": \"%s\"} to linux.namespaces, or drop the sysctl",
			      ns_type_names[owner]);
		return r;
	}
	if (ns->path && ns_path_is_own(ns->path, owner)) {
		r = hako_fail_config(err, config,
				     "%s: %s needs the container's own %s namespace, but it joins "
				     "'%s' (linux.namespaces[%zu]), which is hako's own",
				     config, key, ns_type_names[owner], ns->path, ns->index);
		hako_err_hint(err, "drop the sysctl, or give the container a new %s namespace "
				   "(no \"path\")",
			      ns_type_names[owner]);
		return r;
	}
	return 0;
}

int sysctl_validate(const struct spec *s, struct hako_err *err)
{
	const struct strmap *m = &s->lnx.sysctl;

	for (size_t i = 0; i < m->n; i++) {
		int r = sysctl_check_key(s, m->key[i], m->value[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
