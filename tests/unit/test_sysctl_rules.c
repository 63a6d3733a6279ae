/* test_sysctl_rules.c - which namespace owns a sysctl, runc-style key
 * normalization, and the messages of linux.sysctl validation. */
#include <stdlib.h>

#include "fixture.h"
#include "spec/sysctl_rules.h"
#include "tap.h"

#define HEAD "'ociVersion':'1.3.0','root':{'path':'rootfs'},'process':{'cwd':'/','args':['sh']}"
/* A config with extra namespaces (after the mount one) and one sysctl. */
#define CFG(ns, key, value) \
	"{" HEAD ",'linux':{'namespaces':[{'type':'mount'}" ns "],'sysctl':{'" key "':'" value "'}}}"
#define CFG_TOP(top, ns, key, value)                                                     \
	"{" HEAD "," top ",'linux':{'namespaces':[{'type':'mount'}" ns "],'sysctl':{'" key \
	"':'" value "'}}}"

TEST(owners)
{
	static const struct {
		const char *key;
		int owner;
	} rows[] = {
		{ "kernel.shmmax", NS_IPC },	      { "kernel.sem", NS_IPC },
		{ "kernel.shm_rmid_forced", NS_IPC }, { "kernel.msgmnb", NS_IPC },
		{ "kernel.msg_next_id", NS_IPC },     { "fs.mqueue.queues_max", NS_IPC },
		{ "kernel.hostname", NS_UTS },	      { "kernel.domainname", NS_UTS },
		{ "kernel.ns_last_pid", NS_PID },     { "net.ipv4.ip_forward", NS_NET },
		{ "net.core.somaxconn", NS_NET },     { "user.max_user_namespaces", NS_USER },
		{ "vm.swappiness", -1 },	      { "kernel.pid_max", -1 },
		{ "kernel.shm", -1 },		      { "fs.file-max", -1 },
		{ "network.x", -1 },		      { "dev.tty.ldisc_autoload", -1 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		is_int(sysctl_owner(rows[i].key), rows[i].owner, rows[i].key);
}

TEST(normalize)
{
	static const struct {
		const char *raw, *key, *path;
	} rows[] = {
		{ "net.ipv4.ip_forward", "net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward" },
		{ "net/ipv4/ip_forward", "net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward" },
		/* runc: the first separator decides; a dotted VLAN name stays whole */
		{ "net/ipv4/conf/eno2.100/rp_filter", "net.ipv4.conf.eno2/100.rp_filter",
		  "/proc/sys/net/ipv4/conf/eno2.100/rp_filter" },
		{ "net.ipv4.conf.eno2/100.rp_filter", "net.ipv4.conf.eno2/100.rp_filter",
		  "/proc/sys/net/ipv4/conf/eno2.100/rp_filter" },
		{ "kernel.shmmax", "kernel.shmmax", "/proc/sys/kernel/shmmax" },
	};
	char key[256], path[300];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char name[128];
		sysctl_normalize(rows[i].raw, key, sizeof(key));
		snprintf(name, sizeof(name), "normalize %s", rows[i].raw);
		is_str(key, rows[i].key, name);
		sysctl_proc_path(key, path, sizeof(path));
		snprintf(name, sizeof(name), "/proc/sys path of %s", rows[i].raw);
		is_str(path, rows[i].path, name);
	}
	ok(sysctl_key_valid("net.ipv4.conf.eno2/100.rp_filter"), "a dotted interface name is valid");
	ok(!sysctl_key_valid("net.//.kernel.core_pattern"), "a component that becomes \"..\"");
	ok(!sysctl_key_valid("net./.x"), "a component that becomes \".\"");
	ok(!sysctl_key_valid("net..ipv4"), "an empty component");
	ok(!sysctl_key_valid("net.ipv4."), "a trailing dot");
	ok(!sysctl_key_valid(""), "an empty key");
}

TEST(validation)
{
	static const struct {
		const char *what, *json, *msg, *hint;
	} rows[] = {
		{ "ipc key with an ipc namespace", CFG(",{'type':'ipc'}", "kernel.shmmax", "4096") },
		{ "net key with a network namespace", CFG(",{'type':'network'}", "net/ipv4/ip_forward", "1") },
		{ "a dotted interface name",
		  CFG(",{'type':'network'}", "net/ipv4/conf/eno2.100/rp_filter", "1") },
		{ "user key with a user namespace",
		  "{" HEAD ",'linux':{'namespaces':[{'type':'mount'},{'type':'user'}],"
		  "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
		  "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
		  "'sysctl':{'user.max_user_namespaces':'0'}}}" },
		{ "kernel.domainname agreeing with domainname",
		  CFG_TOP("'domainname':'nis'", ",{'type':'uts'}", "kernel.domainname", "nis") },
		{ "kernel.domainname without the field", CFG(",{'type':'uts'}", "kernel.domainname", "x") },
		{ "a host-global key", CFG(",{'type':'ipc'}", "kernel.pid_max", "100"),
		  "linux.sysctl[\"kernel.pid_max\"]: kernel.pid_max is host-global (no namespace "
		  "owns it); setting it from a container would change the host and every other "
		  "container",
		  "set it on the host (sysctl -w kernel.pid_max=100) or drop it from linux.sysctl" },
		{ "vm.swappiness", CFG("", "vm.swappiness", "10"), "vm.swappiness is host-global",
		  "linux.resources.memory.swappiness" },
		{ "a key whose namespace the container shares", CFG("", "kernel.shmmax", "1"),
		  "linux.sysctl[\"kernel.shmmax\"]: kernel.shmmax belongs to the ipc namespace, but "
		  "the container shares hako's own, so writing it would change the host",
		  "add {\"type\": \"ipc\"} to linux.namespaces, or drop the sysctl" },
		{ "a slash-form net key without a network namespace", CFG("", "net/core/somaxconn", "1"),
		  "linux.sysctl[\"net/core/somaxconn\"]: net.core.somaxconn belongs to the network "
		  "namespace",
		  "add {\"type\": \"network\"}" },
		{ "a joined network namespace that is hako's own",
		  CFG(",{'type':'network','path':'/proc/self/ns/net'}", "net.ipv4.ip_forward", "1"),
		  "linux.sysctl[\"net.ipv4.ip_forward\"]: net.ipv4.ip_forward needs the container's "
		  "own network namespace, but it joins '/proc/self/ns/net' "
		  "(linux.namespaces[1]), which is hako's own",
		  "give the container a new network namespace" },
		{ "a joined ipc namespace that is hako's own",
		  CFG(",{'type':'ipc','path':'/proc/self/ns/ipc'}", "fs.mqueue.msg_max", "1"),
		  "fs.mqueue.msg_max needs the container's own ipc namespace", NULL },
		{ "kernel.hostname", CFG(",{'type':'uts'}", "kernel.hostname", "box"),
		  "linux.sysctl[\"kernel.hostname\"]: kernel.hostname conflicts with the \"hostname\" "
		  "field",
		  "set the container's hostname in \"hostname\"" },
		{ "kernel.domainname against domainname",
		  CFG_TOP("'domainname':'a.example'", ",{'type':'uts'}", "kernel.domainname", "b"),
		  "linux.sysctl[\"kernel.domainname\"]: kernel.domainname=b conflicts with "
		  "\"domainname\": \"a.example\"",
		  NULL },
		{ "kernel.domainname without a uts namespace", CFG("", "kernel.domainname", "x"),
		  "kernel.domainname belongs to the uts namespace", "add {\"type\": \"uts\"}" },
		{ "user key without a user namespace", CFG("", "user.max_inotify_watches", "1"),
		  "user.max_inotify_watches belongs to the user namespace", NULL },
		{ "a key that climbs out of /proc/sys",
		  CFG(",{'type':'network'}", "net.//.kernel.core_pattern", "|/evil"),
		  "linux.sysctl[\"net.//.kernel.core_pattern\"]: not a sysctl name", NULL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hako_err err;
		char name[160];
		int r = fx_validate(rows[i].json, false, &err);

		free(fx_warnings());
		if (!rows[i].msg) {
			snprintf(name, sizeof(name), "passes: %s", rows[i].what);
			if (!ok(r == 0, name))
				printf("#   error: %s\n", err.msg);
			continue;
		}
		snprintf(name, sizeof(name), "fails: %s", rows[i].what);
		ok(r < 0, name);
		like(err.msg, rows[i].msg, "  the message");
		like(err.config, "linux.sysctl[\"", "  the config path names the key");
		if (rows[i].hint)
			like(err.hint, rows[i].hint, "  the hint");
	}
}

static const tap_test_fn tests[] = { owners, normalize, validation, NULL };

int main(void)
{
	fx_setup();
	return tap_main(tests);
}
