/* test_validate.c - spec_validate(): for each rule a config that passes and
 * one that fails with the expected message and config path. */
#include <errno.h>
#include <stdlib.h>
#include <sys/vfs.h>

#include "fixture.h"
#include "spec/json.h"
#include "spec/names.h"
#include "spec/validate_internal.h"
#include "tap.h"

/* Pieces of a valid config: a rootfs, a process, a mount namespace. */
#define HEAD "'ociVersion':'1.3.0','root':{'path':'rootfs'}"
#define PROC "'process':{'cwd':'/','args':['sh']}"
#define MNT "{'type':'mount'}"
/* top-level keys after a valid config: TOP(",'hostname':'x'") */
#define TOP(t) "{" HEAD "," PROC ",'linux':{'namespaces':[" MNT "]}" t "}"
/* keys of process: PROC_WITH("'env':['A=1']") */
#define PROC_WITH(p) \
	"{" HEAD ",'process':{'cwd':'/','args':['sh']," p "},'linux':{'namespaces':[" MNT "]}}"
/* extra namespaces and linux keys: LINUX(",{'type':'uts'}", ",'sysctl':{}") */
#define LINUX(ns, rest) "{" HEAD "," PROC ",'linux':{'namespaces':[" MNT ns "]" rest "}}"
#define RES(r) LINUX("", ",'resources':{" r "}")
#define SECCOMP(s) LINUX("", ",'seccomp':{" s "}")
#define USERNS ",{'type':'user'}"
#define MAPS ",'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}]," \
	     "'gidMappings':[{'containerID':0,'hostID':100000,'size':65536}]"

struct row {
	const char *name;
	const char *json;
	const char *msg;    /* NULL: the config passes */
	const char *config; /* the path the error names */
	bool for_create;
};

static void run(const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct row *t = &rows[i];
		struct hako_err err;
		char name[256];
		int r = fx_validate(t->json, t->for_create, &err);

		free(fx_warnings());
		if (!t->msg) {
			snprintf(name, sizeof(name), "passes: %s", t->name);
			if (!ok(r == 0, name))
				printf("#   error: %s [config: %s]\n", err.msg, err.config);
			continue;
		}
		snprintf(name, sizeof(name), "fails: %s", t->name);
		ok(r < 0, name);
		snprintf(name, sizeof(name), "%s: message", t->name);
		like(err.msg, t->msg, name);
		snprintf(name, sizeof(name), "%s: config path", t->name);
		is_str(err.config, t->config, name);
	}
}

#define RUN(rows) run(rows, sizeof(rows) / sizeof(rows[0]))

TEST(version)
{
	static const char *const good[] = { "1.0.0", "1.0.2-dev", "1.2", "1", "1.3.0+build.5",
					    "1.1.0-rc.1" };
	static const char *const bad[] = { "2.0.0", "0.5.0", "1.x", "v1.0.0", "10.0.0", "",
					   "1.", "1.2.", "1.2.3.4" };
	static const struct row rows[] = {
		{ "ociVersion 1.0.0", "{'ociVersion':'1.0.0','root':{'path':'rootfs'}," PROC
		  ",'linux':{'namespaces':[" MNT "]}}" },
		{ "ociVersion 2.0.0", "{'ociVersion':'2.0.0','root':{'path':'rootfs'}," PROC
		  ",'linux':{'namespaces':[" MNT "]}}",
		  "ociVersion: \"2.0.0\" is not a 1.x version; hako implements runtime-spec 1.0 to 1.3",
		  "ociVersion" },
	};
	char *w;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(spec_version_supported(good[i]), good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!spec_version_supported(bad[i]), bad[i][0] ? bad[i] : "(empty)");
	RUN(rows);

	struct hako_err err;
	ok(fx_validate("{'ociVersion':'1.4.0','root':{'path':'rootfs'}," PROC
		       ",'linux':{'namespaces':[" MNT "]}}",
		       false, &err) == 0,
	   "a newer 1.x version is accepted");
	w = fx_warnings();
	like(w, "ociVersion 1.4.0 is newer than runtime-spec 1.3", "... with a warning");
	free(w);
}

TEST(root)
{
	static const struct row rows[] = {
		{ "no root", "{'ociVersion':'1.3.0'," PROC ",'linux':{'namespaces':[" MNT "]}}",
		  "root.path is required on Linux", "root.path" },
		{ "root.path not a directory", "{'ociVersion':'1.3.0','root':{'path':'afile'}," PROC
		  ",'linux':{'namespaces':[" MNT "]}}",
		  "is not a directory", "root.path" },
	};
	char file[128], json[512];
	struct hako_err err;
	int fd;

	snprintf(file, sizeof(file), "%s/afile", fx_bundle);
	fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	close(fd);
	RUN(rows);
	unlink(file);

	ok(fx_validate("{'ociVersion':'1.3.0','root':{'path':'missing'}," PROC
		       ",'linux':{'namespaces':[" MNT "]}}",
		       false, &err) < 0,
	   "fails: a missing root.path");
	like(err.msg, "root.path: cannot use '", "names root.path and the directory");
	is_int(err.errnum, ENOENT, "with the errno");
	is_str(err.config, "root.path", "and the config path");
	like(err.hint, "create the directory", "and a hint");

	snprintf(json, sizeof(json),
		 "{'ociVersion':'1.3.0','root':{'path':'%s'}," PROC ",'linux':{'namespaces':[" MNT
		 "]}}",
		 fx_rootfs);
	ok(fx_validate(json, false, &err) == 0, "passes: an absolute root.path");
}

TEST(process)
{
	static const struct row rows[] = {
		{ "no process at create", "{" HEAD ",'linux':{'namespaces':[" MNT "]}}", NULL, NULL,
		  true },
		{ "no process at start", "{" HEAD ",'linux':{'namespaces':[" MNT "]}}",
		  "process is required to start a container", "process" },
		{ "empty args", "{" HEAD ",'process':{'cwd':'/','args':[]},'linux':{'namespaces':[" MNT
		  "]}}",
		  "process.args: at least one entry (the program) is required", "process.args" },
		{ "empty program", "{" HEAD ",'process':{'cwd':'/','args':['']},'linux':{'namespaces':["
		  MNT "]}}",
		  "process.args[0]: the program name is empty", "process.args[0]" },
		{ "no cwd", "{" HEAD ",'process':{'args':['sh']},'linux':{'namespaces':[" MNT "]}}",
		  "process.cwd is required", "process.cwd" },
		{ "relative cwd", "{" HEAD ",'process':{'cwd':'tmp','args':['sh']},'linux':{"
		  "'namespaces':[" MNT "]}}",
		  "process.cwd: \"tmp\" is not an absolute path", "process.cwd" },
		{ "env NAME=VALUE", PROC_WITH("'env':['A=1','B=','PATH=/bin']") },
		{ "env without =", PROC_WITH("'env':['A=1','FOO']"),
		  "process.env[1]: \"FOO\" is not of the form NAME=VALUE", "process.env[1]" },
		{ "env without a name", PROC_WITH("'env':['=x']"),
		  "process.env[0]: \"=x\" is not of the form NAME=VALUE", "process.env[0]" },
		{ "rlimit soft <= hard",
		  PROC_WITH("'rlimits':[{'type':'RLIMIT_NOFILE','soft':10,'hard':20},"
			    "{'type':'RLIMIT_CORE','soft':0,'hard':0}]") },
		{ "rlimit soft > hard",
		  PROC_WITH("'rlimits':[{'type':'RLIMIT_NOFILE','soft':30,'hard':20}]"),
		  "process.rlimits[0]: RLIMIT_NOFILE soft limit 30 is above its hard limit 20",
		  "process.rlimits[0]" },
		{ "rlimit twice",
		  PROC_WITH("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
			    "{'type':'RLIMIT_CORE','soft':0,'hard':0},"
			    "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
		  "process.rlimits[2]: RLIMIT_NOFILE is set twice (first at process.rlimits[0])",
		  "process.rlimits[2]" },
		{ "effective within permitted",
		  PROC_WITH("'capabilities':{'effective':['CAP_KILL'],'permitted':['CAP_KILL',"
			    "'CAP_CHOWN'],'inheritable':['CAP_CHOWN'],'ambient':['CAP_CHOWN']}") },
		{ "effective outside permitted",
		  PROC_WITH("'capabilities':{'effective':['CAP_CHOWN','CAP_KILL'],"
			    "'permitted':['CAP_CHOWN']}"),
		  "process.capabilities.effective: CAP_KILL is not in the permitted set",
		  "process.capabilities.effective" },
		/* runc spec's config: a warning, and the capability leaves ambient
		 * (ambient_outside_inheritable below checks both) */
		{ "ambient outside inheritable",
		  PROC_WITH("'capabilities':{'ambient':['CAP_KILL'],'permitted':['CAP_KILL']}") },
		{ "oomScoreAdj -1000", PROC_WITH("'oomScoreAdj':-1000") },
		{ "oomScoreAdj 1001", PROC_WITH("'oomScoreAdj':1001"),
		  "process.oomScoreAdj: 1001 is outside -1000..1000", "process.oomScoreAdj" },
		{ "umask 18", PROC_WITH("'user':{'uid':0,'gid':0,'umask':18}") },
		{ "umask 4095", PROC_WITH("'user':{'uid':0,'gid':0,'umask':4095}"),
		  "process.user.umask: 4095 has bits outside 0777", "process.user.umask" },
	};
	RUN(rows);
}

TEST(scheduler)
{
	static const struct row rows[] = {
		{ "SCHED_FIFO 50", PROC_WITH("'scheduler':{'policy':'SCHED_FIFO','priority':50}") },
		{ "SCHED_OTHER nice -5 with a flag",
		  PROC_WITH("'scheduler':{'policy':'SCHED_OTHER','nice':-5,"
			    "'flags':['SCHED_FLAG_RESET_ON_FORK']}") },
		{ "no policy", PROC_WITH("'scheduler':{'nice':1}"),
		  "process.scheduler.policy: is required", "process.scheduler.policy" },
		{ "unknown policy", PROC_WITH("'scheduler':{'policy':'SCHED_FOO'}"),
		  "process.scheduler.policy: unknown policy \"SCHED_FOO\"", "process.scheduler.policy" },
		{ "SCHED_ISO", PROC_WITH("'scheduler':{'policy':'SCHED_ISO'}"),
		  "SCHED_ISO is reserved but not implemented by Linux", "process.scheduler.policy" },
		{ "nice 20", PROC_WITH("'scheduler':{'policy':'SCHED_OTHER','nice':20}"),
		  "process.scheduler.nice: 20 is outside -20..19", "process.scheduler.nice" },
		{ "SCHED_FIFO priority 0", PROC_WITH("'scheduler':{'policy':'SCHED_FIFO'}"),
		  "SCHED_FIFO needs a priority in 1..99, got 0", "process.scheduler.priority" },
		{ "SCHED_BATCH priority 5", PROC_WITH("'scheduler':{'policy':'SCHED_BATCH','priority':5}"),
		  "SCHED_BATCH takes priority 0", "process.scheduler.priority" },
		{ "unknown flag", PROC_WITH("'scheduler':{'policy':'SCHED_RR','priority':1,"
					    "'flags':['SCHED_FLAG_RECLAIM','RESET']}"),
		  "process.scheduler.flags[1]: unknown flag \"RESET\"", "process.scheduler.flags[1]" },
		{ "SCHED_DEADLINE", PROC_WITH("'scheduler':{'policy':'SCHED_DEADLINE','runtime':1000000,"
					      "'deadline':2000000,'period':3000000}") },
		{ "SCHED_DEADLINE short runtime",
		  PROC_WITH("'scheduler':{'policy':'SCHED_DEADLINE','runtime':1000,'deadline':2000}"),
		  "SCHED_DEADLINE needs a runtime of at least 1024 ns", "process.scheduler" },
		{ "SCHED_DEADLINE deadline < runtime",
		  PROC_WITH("'scheduler':{'policy':'SCHED_DEADLINE','runtime':5000,'deadline':2000}"),
		  "SCHED_DEADLINE needs runtime <= deadline", "process.scheduler" },
		{ "SCHED_DEADLINE period < deadline",
		  PROC_WITH("'scheduler':{'policy':'SCHED_DEADLINE','runtime':5000,'deadline':9000,"
			    "'period':6000}"),
		  "SCHED_DEADLINE needs deadline <= period", "process.scheduler" },
		{ "ioPriority BE 4", PROC_WITH("'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':4}") },
		{ "ioPriority unknown class", PROC_WITH("'ioPriority':{'class':'BE','priority':4}"),
		  "process.ioPriority.class: unknown class \"BE\"", "process.ioPriority.class" },
		{ "ioPriority 8", PROC_WITH("'ioPriority':{'class':'IOPRIO_CLASS_RT','priority':8}"),
		  "process.ioPriority.priority: 8 is outside 0..7", "process.ioPriority.priority" },
		{ "execCPUAffinity", PROC_WITH("'execCPUAffinity':{'initial':'7','final':'0-3,7'}") },
		{ "execCPUAffinity empty final", PROC_WITH("'execCPUAffinity':{'final':''}") },
		{ "execCPUAffinity reversed range", PROC_WITH("'execCPUAffinity':{'initial':'3-1'}"),
		  "process.execCPUAffinity.initial: \"3-1\" is not a list such as \"0-3,7\"",
		  "process.execCPUAffinity.initial" },
		{ "execCPUAffinity trailing comma", PROC_WITH("'execCPUAffinity':{'final':'1,'}"),
		  "\"1,\" is not a list", "process.execCPUAffinity.final" },
		{ "execCPUAffinity word", PROC_WITH("'execCPUAffinity':{'final':'all'}"),
		  "\"all\" is not a list", "process.execCPUAffinity.final" },
	};
	RUN(rows);
}

TEST(mounts)
{
	static const struct row rows[] = {
		{ "tmpfs and bind", TOP(",'mounts':[{'destination':'/tmp','type':'tmpfs','source':'tmpfs'},"
				       "{'destination':'/data','source':'/srv','options':['rbind']},"
				       "{'destination':'/x','type':'bind','source':'/srv'}]") },
		{ "empty destination", TOP(",'mounts':[{'destination':'','type':'tmpfs'}]"),
		  "mounts[0].destination: is empty", "mounts[0].destination" },
		{ "no type, no bind", TOP(",'mounts':[{'destination':'/x','source':'/srv'}]"),
		  "mounts[0]: neither a type nor the bind option", "mounts[0]" },
		{ "bind without source", TOP(",'mounts':[{'destination':'/x','options':['bind']}]"),
		  "mounts[0]: a bind mount needs a source", "mounts[0]" },
		{ "uidMappings alone",
		  TOP(",'mounts':[{'destination':'/x','type':'tmpfs','uidMappings':[{'containerID':0,"
		      "'hostID':1,'size':1}]}]"),
		  "mounts[0]: uidMappings and gidMappings must be given together", "mounts[0]" },
		{ "mapping of size 0",
		  TOP(",'mounts':[{'destination':'/x','source':'/srv','options':['bind','idmap'],"
		      "'uidMappings':[{'containerID':0,'hostID':1,'size':0}],"
		      "'gidMappings':[{'containerID':0,'hostID':1,'size':1}]}]"),
		  "mounts[0].uidMappings[0]: size is 0", "mounts[0].uidMappings[0]" },
		{ "idmap with mappings",
		  TOP(",'mounts':[{'destination':'/x','source':'/srv','options':['bind','idmap'],"
		      "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
		      "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]") },
		{ "idmap with the user namespace's mapping",
		  "{" HEAD "," PROC ",'mounts':[{'destination':'/x','source':'/srv','options':["
		  "'rbind','ridmap']}],'linux':{'namespaces':[" MNT USERNS "]" MAPS "}}" },
		{ "idmap with neither",
		  TOP(",'mounts':[{'destination':'/x','source':'/srv','options':['bind','idmap']}]"),
		  "mounts[0].options: idmap needs uidMappings and gidMappings on the mount, or a user "
		  "namespace",
		  "mounts[0].options" },
	};
	struct hako_err err;
	struct validate_opts o = { 0 };
	struct spec *s;
	char *w;

	RUN(rows);

	/* runtime-spec 1.2: deprecated, MUST be read relative to "/" */
	s = fx_load(TOP(",'mounts':[{'destination':'data','source':'vol','options':['bind']}]"), &err);
	ok(s && spec_validate(s, &o, &err) == 0, "passes: a relative mount destination");
	if (s) {
		char want[128];
		is_str(s->mounts[0].destination, "/data", "is read relative to /");
		snprintf(want, sizeof(want), "%s/vol", fx_bundle);
		is_str(s->mounts[0].source, want, "a relative bind source is made bundle-relative");
		spec_free(s);
	}
	w = fx_warnings();
	like(w, "mounts[0].destination \"data\" is relative; read as \"/data\"",
	     "and warns that it is deprecated");
	free(w);
}

TEST(namespaces)
{
	static const struct row rows[] = {
		{ "no linux section", "{" HEAD "," PROC "}",
		  "linux.namespaces: the container needs a mount namespace of its own",
		  "linux.namespaces" },
		{ "no mount namespace", "{" HEAD "," PROC ",'linux':{'namespaces':[{'type':'pid'}]}}",
		  "linux.namespaces: the container needs a mount namespace of its own",
		  "linux.namespaces" },
		{ "hako's own mount namespace",
		  "{" HEAD "," PROC ",'linux':{'namespaces':[{'type':'pid'},{'type':'mount',"
		  "'path':'/proc/self/ns/mnt'}]}}",
		  "linux.namespaces[1].path: '/proc/self/ns/mnt' is hako's own mount namespace",
		  "linux.namespaces[1].path" },
		{ "relative namespace path", LINUX(",{'type':'network','path':'run/netns/x'}", ""),
		  "linux.namespaces[1].path: \"run/netns/x\" is not an absolute path",
		  "linux.namespaces[1].path" },
		{ "user namespace with mappings", LINUX(USERNS, MAPS) },
		{ "joined user namespace without mappings",
		  LINUX(",{'type':'user','path':'/proc/self/ns/user'}", "") },
		{ "mappings without a user namespace", LINUX("", MAPS),
		  "linux.uidMappings: mappings are set but the container has no user namespace",
		  "linux.uidMappings" },
		{ "new user namespace without mappings", LINUX(USERNS, ""),
		  "linux.uidMappings: a new user namespace needs both uidMappings and gidMappings",
		  "linux.uidMappings" },
		{ "new user namespace without gidMappings",
		  LINUX(USERNS, ",'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
		  "linux.gidMappings: a new user namespace needs both", "linux.gidMappings" },
		{ "mapping of size 0",
		  LINUX(USERNS, ",'uidMappings':[{'containerID':0,'hostID':1000,'size':0}],"
				"'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
		  "linux.uidMappings[0]: size is 0", "linux.uidMappings[0]" },
		{ "two disjoint mappings",
		  LINUX(USERNS, ",'uidMappings':[{'containerID':0,'hostID':1000,'size':10},"
				"{'containerID':10,'hostID':2000,'size':10}],"
				"'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]") },
		{ "container ids overlap",
		  LINUX(USERNS, ",'uidMappings':[{'containerID':0,'hostID':1000,'size':10},"
				"{'containerID':5,'hostID':2000,'size':10}],"
				"'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
		  "linux.uidMappings[1]: its container ids overlap those of linux.uidMappings[0]",
		  "linux.uidMappings[1]" },
		{ "host ids overlap",
		  LINUX(USERNS, ",'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
				"'gidMappings':[{'containerID':0,'hostID':1000,'size':10},"
				"{'containerID':100,'hostID':1005,'size':10}]"),
		  "linux.gidMappings[1]: its host ids overlap those of linux.gidMappings[0]",
		  "linux.gidMappings[1]" },
		{ "range past 2^32",
		  LINUX(USERNS, ",'uidMappings':[{'containerID':4294967295,'hostID':1000,'size':2}],"
				"'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
		  "linux.uidMappings[0]: the range goes past id 4294967295", "linux.uidMappings[0]" },
		{ "process ids mapped",
		  "{" HEAD ",'process':{'cwd':'/','args':['sh'],'user':{'uid':1000,'gid':0,"
		  "'additionalGids':[65535]}},'linux':{'namespaces':[" MNT USERNS "]" MAPS "}}" },
		{ "uid not mapped",
		  "{" HEAD ",'process':{'cwd':'/','args':['sh'],'user':{'uid':65536,'gid':0}},"
		  "'linux':{'namespaces':[" MNT USERNS "]" MAPS "}}",
		  "process.user.uid: 65536 is not mapped by linux.uidMappings", "process.user.uid" },
		{ "additional gid not mapped",
		  "{" HEAD ",'process':{'cwd':'/','args':['sh'],'user':{'uid':0,'gid':0,"
		  "'additionalGids':[1,70000]}},'linux':{'namespaces':[" MNT USERNS "]" MAPS "}}",
		  "process.user.additionalGids[1]: 70000 is not mapped by linux.gidMappings",
		  "process.user.additionalGids[1]" },
		{ "hostname with a UTS namespace",
		  "{" HEAD "," PROC ",'hostname':'box','domainname':'example.org','linux':{"
		  "'namespaces':[" MNT ",{'type':'uts'}]}}" },
		{ "empty hostname without one", TOP(",'hostname':''") },
		{ "hostname without a UTS namespace", TOP(",'hostname':'box'"),
		  "hostname: is set but the container shares the host's UTS namespace", "hostname" },
		{ "domainname without a UTS namespace", TOP(",'domainname':'example.org'"),
		  "domainname: is set but the container shares the host's UTS namespace",
		  "domainname" },
		{ "hostname in hako's own UTS namespace",
		  "{" HEAD "," PROC ",'hostname':'box','linux':{'namespaces':[" MNT
		  ",{'type':'uts','path':'/proc/self/ns/uts'}]}}",
		  "hostname: is set but the container joins '/proc/self/ns/uts', hako's own UTS "
		  "namespace",
		  "hostname" },
		{ "hostname of 65 bytes",
		  "{" HEAD "," PROC ",'hostname':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaaaaaaaa','linux':{'namespaces':[" MNT ",{'type':'uts'}]}}",
		  "is longer than 64 bytes", "hostname" },
		{ "timeOffsets in a new time namespace",
		  LINUX(",{'type':'time'}", ",'timeOffsets':{'monotonic':{'secs':100,'nanosecs':5},"
					    "'boottime':{'secs':-10}}") },
		{ "timeOffsets without a time namespace",
		  LINUX("", ",'timeOffsets':{'monotonic':{'secs':100}}"),
		  "linux.timeOffsets: offsets can only be set in a new time namespace",
		  "linux.timeOffsets" },
		{ "timeOffsets in a joined time namespace",
		  LINUX(",{'type':'time','path':'/proc/self/ns/time'}",
			",'timeOffsets':{'monotonic':{'secs':100}}"),
		  "linux.timeOffsets: offsets can only be set in a new time namespace",
		  "linux.timeOffsets" },
		{ "timeOffsets unknown clock",
		  LINUX(",{'type':'time'}", ",'timeOffsets':{'realtime':{'secs':1}}"),
		  "linux.timeOffsets.realtime: unknown clock \"realtime\" (monotonic or boottime)",
		  "linux.timeOffsets.realtime" },
		{ "timeOffsets nanosecs of a second",
		  LINUX(",{'type':'time'}", ",'timeOffsets':{'boottime':{'nanosecs':1000000000}}"),
		  "linux.timeOffsets.boottime: nanosecs 1000000000 is not below 1000000000",
		  "linux.timeOffsets.boottime" },
	};
	RUN(rows);
}

TEST(net_devices)
{
	static const struct row rows[] = {
		/* the host side (devices exist, can move) is linux/netdev.c's */
		{ "netDevices in a new network namespace",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'ctr0'},'dummy1':{},"
					       "'eth2':{'name':''}}") },
		{ "netDevices with name templates",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'c%d'},'eth1':{"
					       "'name':'c%d'},'eth2':{'name':'%dx'}}") },
		{ "netDevices in a joined network namespace",
		  LINUX(",{'type':'network','path':'/run/netns/pod'}", ",'netDevices':{'eth0':{}}") },
		{ "netDevices template with %s",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'c%s'}}"),
		  "linux.netDevices.eth0: name \"c%s\" is not a name template the kernel accepts",
		  "linux.netDevices.eth0" },
		{ "netDevices template with two %d",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'c%d%d'}}"),
		  "name \"c%d%d\" is not a name template", "linux.netDevices.eth0" },
		{ "netDevices template ending in %",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'c%'}}"),
		  "name \"c%\" is not a name template", "linux.netDevices.eth0" },
		{ "netDevices without a network namespace",
		  LINUX("", ",'netDevices':{'eth0':{}}"),
		  "linux.netDevices: moving devices needs a network namespace of the container's "
		  "own, but it shares hako's",
		  "linux.netDevices" },
		{ "netDevices into hako's own network namespace",
		  LINUX(",{'type':'network','path':'/proc/self/ns/net'}", ",'netDevices':{'eth0':{}}"),
		  "linux.netDevices: moving devices needs a network namespace of the container's "
		  "own, but it joins hako's",
		  "linux.netDevices" },
		{ "netDevices host name with a slash",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth/0':{}}"),
		  "linux.netDevices[\"eth/0\"]: \"eth/0\" is not an interface name",
		  "linux.netDevices[\"eth/0\"]" },
		{ "netDevices name of 16 bytes",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'abcdefghijklmnop'}}"),
		  "linux.netDevices.eth0: name \"abcdefghijklmnop\" is not an interface name",
		  "linux.netDevices.eth0" },
		{ "netDevices name with a colon",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'eth0:1'}}"),
		  "name \"eth0:1\" is not an interface name", "linux.netDevices.eth0" },
		{ "netDevices two devices, one name",
		  LINUX(",{'type':'network'}", ",'netDevices':{'eth0':{'name':'c0'},'eth1':{"
					       "'name':'c0'}}"),
		  "linux.netDevices.eth1: \"c0\" would be the name of two devices in the container",
		  "linux.netDevices.eth1" },
	};
	RUN(rows);
}

TEST(devices_and_paths)
{
	static const struct row rows[] = {
		{ "devices", LINUX("", ",'devices':[{'path':'/dev/fuse','type':'c','major':10,"
				       "'minor':229,'fileMode':438},{'path':'/dev/fifo','type':'p'}]") },
		{ "device type x", LINUX("", ",'devices':[{'path':'/dev/x','type':'x'}]"),
		  "linux.devices[0]: type \"x\" is not one of c, b, u, p", "linux.devices[0]" },
		{ "char device without numbers",
		  LINUX("", ",'devices':[{'path':'/dev/fifo','type':'p'},{'path':'/dev/x',"
			    "'type':'c','major':1}]"),
		  "linux.devices[1]: a \"c\" device needs major and minor", "linux.devices[1]" },
		{ "relative device path",
		  LINUX("", ",'devices':[{'path':'dev/x','type':'b','major':8,'minor':0}]"),
		  "linux.devices[0]: \"dev/x\" is not an absolute path", "linux.devices[0]" },
		{ "device major 4096",
		  LINUX("", ",'devices':[{'path':'/dev/x','type':'c','major':4096,'minor':0}]"),
		  "linux.devices[0]: 4096:0 is not a device number", "linux.devices[0]" },
		{ "fileMode 4096",
		  LINUX("", ",'devices':[{'path':'/dev/x','type':'c','major':1,'minor':3,"
			    "'fileMode':4096}]"),
		  "linux.devices[0]: fileMode 4096 has bits outside 07777", "linux.devices[0]" },
		{ "device listed twice",
		  LINUX("", ",'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229},"
			    "{'path':'/dev/fuse','type':'c','major':10,'minor':229}]"),
		  "linux.devices[1]: '/dev/fuse' is listed twice", "linux.devices[1]" },
		{ "masked and read-only paths",
		  LINUX("", ",'maskedPaths':['/proc/kcore'],'readonlyPaths':['/proc/sys']") },
		{ "relative masked path", LINUX("", ",'maskedPaths':['/proc/kcore','proc/keys']"),
		  "linux.maskedPaths[1]: \"proc/keys\" is not an absolute path",
		  "linux.maskedPaths[1]" },
		{ "relative read-only path", LINUX("", ",'readonlyPaths':['proc/sys']"),
		  "linux.readonlyPaths[0]: \"proc/sys\" is not an absolute path",
		  "linux.readonlyPaths[0]" },
		{ "rootfsPropagation rslave", LINUX("", ",'rootfsPropagation':'rslave'") },
		{ "rootfsPropagation private", LINUX("", ",'rootfsPropagation':'private'") },
		{ "rootfsPropagation weird", LINUX("", ",'rootfsPropagation':'weird'"),
		  "linux.rootfsPropagation: unknown mode \"weird\"", "linux.rootfsPropagation" },
		{ "personality LINUX32", LINUX("", ",'personality':{'domain':'LINUX32'}") },
		{ "personality BSD", LINUX("", ",'personality':{'domain':'BSD'}"),
		  "linux.personality.domain: \"BSD\" is not LINUX or LINUX32",
		  "linux.personality.domain" },
		{ "personality flags", LINUX("", ",'personality':{'domain':'LINUX','flags':['X']}"),
		  "no flags are defined by runtime-spec; remove \"X\"", "linux.personality.flags[0]" },
		{ "cgroupsPath with dots in a name", LINUX("", ",'cgroupsPath':'/a..b/c'") },
		{ "cgroupsPath systemd form", LINUX("", ",'cgroupsPath':'system.slice:hako:x'") },
		{ "cgroupsPath with ..", LINUX("", ",'cgroupsPath':'/a/../b'"),
		  "linux.cgroupsPath: \"/a/../b\" has a \"..\" component", "linux.cgroupsPath" },
		{ "annotations", TOP(",'annotations':{'com.example.key':'','org.opencontainers."
				     "image.os':'linux'}") },
		{ "annotation with an empty key", TOP(",'annotations':{'':'x'}"),
		  "annotations: a key is empty", "annotations" },
	};
	RUN(rows);
}

TEST(resources)
{
	static const struct row rows[] = {
		{ "all of them",
		  RES("'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':1,"
		      "'minor':-1,'access':'rw'}],'memory':{'limit':1048576,'swap':2097152,"
		      "'reservation':-1,'swappiness':60},'cpu':{'quota':100000,'burst':1000,"
		      "'period':100000,'cpus':'0-1','mems':'0','idle':1},'pids':{'limit':0},"
		      "'blockIO':{'weight':10,'weightDevice':[{'major':8,'minor':0,'leafWeight':5}]},"
		      "'hugepageLimits':[{'pageSize':'2MB','limit':0},{'pageSize':'64KB','limit':1}],"
		      "'rdma':{'mlx5_1':{'hcaHandles':3}},'unified':{'memory.max':'1G'}") },
		{ "device rule type x", RES("'devices':[{'allow':true,'type':'x'}]"),
		  "linux.resources.devices[0]: type \"x\" is not one of a, c, b",
		  "linux.resources.devices[0]" },
		{ "device rule access rwx", RES("'devices':[{'allow':true,'access':'rwx'}]"),
		  "linux.resources.devices[0]: access \"rwx\" is not made of r, w and m",
		  "linux.resources.devices[0]" },
		{ "device rule major -2", RES("'devices':[{'allow':true,'major':-2}]"),
		  "negative device number other than -1", "linux.resources.devices[0]" },
		{ "memory limit -1", RES("'memory':{'limit':-1,'swap':-1}") },
		{ "memory limit -2", RES("'memory':{'limit':-2}"),
		  "linux.resources.memory.limit: -2 bytes (use -1 for no limit)",
		  "linux.resources.memory.limit" },
		{ "swappiness 101", RES("'memory':{'swappiness':101}"),
		  "linux.resources.memory.swappiness: 101 is above 100",
		  "linux.resources.memory.swappiness" },
		{ "swap below limit", RES("'memory':{'limit':2048,'swap':1024}"),
		  "linux.resources.memory.swap: 1024 is below limit 2048",
		  "linux.resources.memory.swap" },
		{ "cpu quota -2", RES("'cpu':{'quota':-2}"),
		  "linux.resources.cpu.quota: -2 (use -1 for no limit)", "linux.resources.cpu.quota" },
		{ "cpu burst above quota", RES("'cpu':{'quota':1000,'burst':2000}"),
		  "linux.resources.cpu.burst: 2000 is above quota 1000", "linux.resources.cpu.burst" },
		{ "cpu period 999", RES("'cpu':{'period':999}"),
		  "linux.resources.cpu.period: 999 us is outside 1000..1000000",
		  "linux.resources.cpu.period" },
		{ "cpu idle 2", RES("'cpu':{'idle':2}"), "linux.resources.cpu.idle: 2 is not 0 or 1",
		  "linux.resources.cpu.idle" },
		{ "cpus 1-0", RES("'cpu':{'cpus':'1-0'}"),
		  "linux.resources.cpu.cpus: \"1-0\" is not a list", "linux.resources.cpu.cpus" },
		{ "mems x", RES("'cpu':{'mems':'x'}"), "linux.resources.cpu.mems: \"x\" is not a list",
		  "linux.resources.cpu.mems" },
		{ "pids -1", RES("'pids':{'limit':-1}") },
		{ "pids -2", RES("'pids':{'limit':-2}"),
		  "linux.resources.pids.limit: -2 (use -1 for no limit; 0 is valid)",
		  "linux.resources.pids.limit" },
		{ "weightDevice without a weight", RES("'blockIO':{'weightDevice':[{'major':8,'minor':0}]}"),
		  "linux.resources.blockIO.weightDevice[0]: needs weight or leafWeight",
		  "linux.resources.blockIO.weightDevice[0]" },
		{ "hugepage size 2M", RES("'hugepageLimits':[{'pageSize':'2M','limit':1}]"),
		  "linux.resources.hugepageLimits[0].pageSize: \"2M\" is not a size such as \"2MB\"",
		  "linux.resources.hugepageLimits[0].pageSize" },
		{ "hugepage size 0MB", RES("'hugepageLimits':[{'pageSize':'0MB','limit':1}]"),
		  "\"0MB\" is not a size", "linux.resources.hugepageLimits[0].pageSize" },
		{ "rdma without limits", RES("'rdma':{'mlx5_1':{}}"),
		  "linux.resources.rdma.mlx5_1: needs hcaHandles or hcaObjects",
		  "linux.resources.rdma.mlx5_1" },
		{ "unified key with a slash", RES("'unified':{'../cgroup.procs':'1'}"),
		  "linux.resources.unified[\"../cgroup.procs\"]: \"../cgroup.procs\" is not a cgroup "
		  "file name",
		  "linux.resources.unified[\"../cgroup.procs\"]" },
	};
	RUN(rows);
}

TEST(seccomp)
{
	static const struct row rows[] = {
		{ "a profile",
		  SECCOMP("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,'architectures':["
			  "'SCMP_ARCH_X86_64','SCMP_ARCH_X32'],'flags':['SECCOMP_FILTER_FLAG_LOG'],"
			  "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'},{'names':['mkdir'],"
			  "'action':'SCMP_ACT_TRACE','errnoRet':1},{'names':['clone'],'action':"
			  "'SCMP_ACT_ERRNO','errnoRet':38,'args':[{'index':5,'value':1,'op':"
			  "'SCMP_CMP_EQ'}]}]") },
		{ "errnoRet with SCMP_ACT_ALLOW",
		  SECCOMP("'defaultAction':'SCMP_ACT_KILL','syscalls':[{'names':['read'],'action':"
			  "'SCMP_ACT_ALLOW','errnoRet':1}]"),
		  "linux.seccomp.syscalls[0]: errnoRet is set but action SCMP_ACT_ALLOW returns no "
		  "errno",
		  "linux.seccomp.syscalls[0]" },
		{ "defaultErrnoRet with SCMP_ACT_KILL",
		  SECCOMP("'defaultAction':'SCMP_ACT_KILL','defaultErrnoRet':1"),
		  "linux.seccomp.defaultErrnoRet: is set but defaultAction SCMP_ACT_KILL returns no "
		  "errno",
		  "linux.seccomp.defaultErrnoRet" },
		{ "no syscall names",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':[],'action':"
			  "'SCMP_ACT_ERRNO'}]"),
		  "linux.seccomp.syscalls[0]: names needs at least one syscall",
		  "linux.seccomp.syscalls[0]" },
		{ "argument index 6",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':"
			  "'SCMP_ACT_ERRNO','args':[{'index':6,'value':0,'op':'SCMP_CMP_EQ'}]}]"),
		  "linux.seccomp.syscalls[0].args[0]: index 6 is above 5",
		  "linux.seccomp.syscalls[0].args[0]" },
		{ "listenerMetadata without listenerPath",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','listenerMetadata':'x'"),
		  "linux.seccomp.listenerMetadata: needs listenerPath",
		  "linux.seccomp.listenerMetadata" },
		{ "SCMP_ACT_NOTIFY with listenerPath",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/run/agent.sock',"
			  "'listenerMetadata':'x','syscalls':[{'names':['mount'],'action':"
			  "'SCMP_ACT_NOTIFY'}]") },
		{ "SCMP_ACT_NOTIFY without listenerPath",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mount'],'action':"
			  "'SCMP_ACT_NOTIFY'}]"),
		  "linux.seccomp.listenerPath: is required with SCMP_ACT_NOTIFY",
		  "linux.seccomp.listenerPath" },
		{ "SCMP_ACT_NOTIFY as default",
		  SECCOMP("'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/run/a.sock'"),
		  "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
		  "linux.seccomp.defaultAction" },
		{ "unknown architecture",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64',"
			  "'x86_64']"),
		  "linux.seccomp.architectures[1]: unknown architecture \"x86_64\"",
		  "linux.seccomp.architectures[1]" },
		{ "unknown flag",
		  SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_FOO']"),
		  "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"",
		  "linux.seccomp.flags[0]" },
	};
	RUN(rows);
}

TEST(memory_policy)
{
	static const struct row rows[] = {
		{ "MPOL_BIND 0-1", LINUX("", ",'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0-1',"
					     "'flags':['MPOL_F_STATIC_NODES']}") },
		{ "MPOL_LOCAL", LINUX("", ",'memoryPolicy':{'mode':'MPOL_LOCAL'}") },
		{ "MPOL_PREFERRED without nodes", LINUX("", ",'memoryPolicy':{'mode':'MPOL_PREFERRED'}") },
		{ "no mode", LINUX("", ",'memoryPolicy':{'nodes':'0'}"),
		  "linux.memoryPolicy.mode: is required", "linux.memoryPolicy.mode" },
		{ "unknown mode", LINUX("", ",'memoryPolicy':{'mode':'MPOL_X'}"),
		  "linux.memoryPolicy.mode: unknown mode \"MPOL_X\"", "linux.memoryPolicy.mode" },
		{ "MPOL_BIND without nodes", LINUX("", ",'memoryPolicy':{'mode':'MPOL_BIND'}"),
		  "linux.memoryPolicy.nodes: MPOL_BIND needs at least one node",
		  "linux.memoryPolicy.nodes" },
		{ "MPOL_DEFAULT with nodes", LINUX("", ",'memoryPolicy':{'mode':'MPOL_DEFAULT',"
						       "'nodes':'0'}"),
		  "linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes", "linux.memoryPolicy.nodes" },
		{ "nodes 0-", LINUX("", ",'memoryPolicy':{'mode':'MPOL_INTERLEAVE','nodes':'0-'}"),
		  "linux.memoryPolicy.nodes: \"0-\" is not a list", "linux.memoryPolicy.nodes" },
		{ "unknown flag", LINUX("", ",'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0',"
					    "'flags':['MPOL_F_FOO']}"),
		  "linux.memoryPolicy.flags[0]: unknown flag \"MPOL_F_FOO\"",
		  "linux.memoryPolicy.flags[0]" },
		{ "static and relative nodes",
		  LINUX("", ",'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0','flags':["
			    "'MPOL_F_STATIC_NODES','MPOL_F_RELATIVE_NODES']}"),
		  "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other",
		  "linux.memoryPolicy.flags" },
	};
	RUN(rows);
}

TEST(hooks)
{
	static const struct row rows[] = {
		{ "hooks", TOP(",'hooks':{'prestart':[{'path':'/bin/true'}],'poststart':[{'path':"
			       "'/bin/true','timeout':5,'env':['A=1'],'args':['true']}]}") },
		{ "relative hook path", TOP(",'hooks':{'prestart':[{'path':'bin/true'}]}"),
		  "hooks.prestart[0].path: \"bin/true\" is not an absolute path",
		  "hooks.prestart[0].path" },
		{ "hook timeout 0", TOP(",'hooks':{'poststart':[{'path':'/bin/true','timeout':0}]}"),
		  "hooks.poststart[0].timeout: 0 is not above 0", "hooks.poststart[0].timeout" },
		{ "hook env without =",
		  TOP(",'hooks':{'createRuntime':[{'path':'/bin/true','env':['X']}]}"),
		  "hooks.createRuntime[0].env[0]: \"X\" is not of the form NAME=VALUE",
		  "hooks.createRuntime[0].env[0]" },
	};
	RUN(rows);
}

TEST(sysctl)
{
	static const struct row rows[] = {
		{ "net sysctl with a network namespace",
		  LINUX(",{'type':'network'}", ",'sysctl':{'net.ipv4.ip_forward':'1'}") },
		{ "net sysctl without one", LINUX("", ",'sysctl':{'net.ipv4.ip_forward':'1'}"),
		  "linux.sysctl[\"net.ipv4.ip_forward\"]: net.ipv4.ip_forward belongs to the network "
		  "namespace",
		  "linux.sysctl[\"net.ipv4.ip_forward\"]" },
	};
	RUN(rows);
}

TEST(intel_rdt)
{
	static const struct row rows[] = {
		{ "closID with a slash", LINUX("", ",'intelRdt':{'closID':'a/b'}"),
		  "linux.intelRdt.closID: \"a/b\" is not a resctrl group name",
		  "linux.intelRdt.closID" },
		{ "memBwSchema without MB:", LINUX("", ",'intelRdt':{'memBwSchema':'L3:0=ff'}"),
		  "linux.intelRdt.memBwSchema: must start with \"MB:\"", "linux.intelRdt.memBwSchema" },
		{ "schemata line with a newline",
		  LINUX("", ",'intelRdt':{'schemata':['L3:0=ff','MB:0=20\\nL2:0=f']}"),
		  "linux.intelRdt.schemata[1]: must not contain a newline",
		  "linux.intelRdt.schemata[1]" },
	};
	struct statfs sf;
	struct hako_err err;
	int r;

	RUN(rows);
	r = fx_validate(LINUX("", ",'intelRdt':{'closID':'/','schemata':['MB:0=20'],"
				  "'enableMonitoring':true}"),
			false, &err);
	if (statfs("/sys/fs/resctrl", &sf) == 0 && sf.f_type == 0x7655821) {
		tap_skip("intelRdt without resctrl is an error", "resctrl is mounted on this host");
		ok(r == 0, "passes: intelRdt with resctrl mounted");
		return;
	}
	ok(r < 0, "fails: intelRdt set but resctrl not mounted (config-linux.md: MUST error)");
	like(err.msg, "linux.intelRdt is set but no resctrl file system is mounted",
	     "the message says resctrl is missing");
	is_str(err.config, "linux.intelRdt", "the config path");
	like(err.hint, "mount -t resctrl", "and how to mount it");
}

TEST(warnings)
{
	struct hako_err err;
	char *w;

	struct host_lsms lsm = host_lsms();

	/* the host's own answer: here SELinux is usually off */
	if (lsm.selinux) {
		for (int i = 0; i < 3; i++)
			tap_skip("selinuxLabel warns on a host without SELinux",
				 "SELinux is enabled on this host (lsm_labels covers it)");
	} else {
		ok(fx_validate(PROC_WITH("'apparmorProfile':'docker-default','selinuxLabel':'x'"),
			       false, &err) == 0,
		   "passes: apparmorProfile and selinuxLabel on a host without SELinux");
		w = fx_warnings();
		ok(!w || !strstr(w, "apparmorProfile"),
		   "no word about AppArmor: hako applies the profile (the check row warns where "
		   "AppArmor is off)");
		like(w, "process.selinuxLabel is not applied: SELinux is not enabled", "warns about SELinux");
		free(w);
	}

	/* with resctrl missing the validation fails after the warning */
	fx_validate(LINUX("", ",'intelRdt':{'enableCMT':true}"), false, &err);
	w = fx_warnings();
	like(w, "enableCMT and enableMBM were replaced by enableMonitoring",
	     "warns about the 1.1 RDT monitoring fields");
	free(w);
}

/* A label SELinux would enforce is refused: hako applies none, and going
 * on would run the container less confined than asked.  An AppArmor
 * profile is applied (linux/apparmor.c), whatever the host. */
TEST(lsm_labels)
{
	static const struct {
		const char *name, *json;
		struct host_lsms lsm;
		const char *msg, *config; /* NULL: passes with a warning `config` names */
	} rows[] = {
		{ "apparmorProfile, SELinux off", PROC_WITH("'apparmorProfile':'docker-default'"),
		  { false }, NULL, NULL },
		{ "apparmorProfile, SELinux on", PROC_WITH("'apparmorProfile':'docker-default'"),
		  { true }, NULL, NULL },
		{ "selinuxLabel, SELinux on", PROC_WITH("'selinuxLabel':'system_u:system_r:container_t:s0'"),
		  { true },
		  "process.selinuxLabel: \"system_u:system_r:container_t:s0\" is not applied by this "
		  "hako; SELinux is enabled on this host",
		  "process.selinuxLabel" },
		{ "selinuxLabel, SELinux off", PROC_WITH("'selinuxLabel':'x'"), { false }, NULL,
		  "process.selinuxLabel" },
		{ "mountLabel, SELinux on", LINUX("", ",'mountLabel':'system_u:object_r:container_file_t:s0'"),
		  { true },
		  "linux.mountLabel: \"system_u:object_r:container_file_t:s0\" is not applied by this "
		  "hako; SELinux is enabled on this host",
		  "linux.mountLabel" },
		{ "mountLabel, SELinux off", LINUX("", ",'mountLabel':'x'"), { false }, NULL,
		  "linux.mountLabel" },
		{ "an empty label asks for nothing", PROC_WITH("'apparmorProfile':'','selinuxLabel':''"),
		  { true }, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hako_err err = { 0 };
		struct spec *s = fx_load(rows[i].json, &err);
		char name[200], *w;
		int r;

		free(fx_warnings());
		r = s ? validate_lsm_labels(s, rows[i].lsm, &err) : -1;
		w = fx_warnings();
		if (rows[i].msg) {
			snprintf(name, sizeof(name), "fails: %s", rows[i].name);
			ok(r < 0, name);
			snprintf(name, sizeof(name), "%s: message", rows[i].name);
			like(err.msg, rows[i].msg, name);
			snprintf(name, sizeof(name), "%s: config path", rows[i].name);
			is_str(err.config, rows[i].config, name);
			snprintf(name, sizeof(name), "%s: the hint names runtimes that apply it",
				 rows[i].name);
			like(err.hint, "with a runtime that applies", name);
		} else {
			snprintf(name, sizeof(name), "passes: %s", rows[i].name);
			ok(r == 0, name);
			snprintf(name, sizeof(name), "%s: %s", rows[i].name,
				 rows[i].config ? "warned about" : "no warning");
			if (rows[i].config)
				like(w, rows[i].config, name);
			else
				ok(!w || !*w, name);
		}
		free(w);
		if (s)
			spec_free(s);
	}
}

/* `runc spec` lists ambient capabilities without inheritable ones; runc
 * warns and goes on, so hako does too, with the set that is missing. */
TEST(ambient_outside_inheritable)
{
	struct validate_opts o = { 0 };
	struct hako_err err;
	struct spec *s = fx_load(PROC_WITH("'capabilities':{'ambient':['CAP_KILL','CAP_CHOWN'],"
					   "'permitted':['CAP_KILL','CAP_CHOWN'],"
					   "'inheritable':['CAP_CHOWN']}"),
				 &err);
	char *w;

	ok(s && spec_validate(s, &o, &err) == 0, "passes: ambient outside inheritable");
	if (s) {
		is_int(s->process.capabilities.set[CAPSET_AMBIENT], 1ULL << cap_from_name("CAP_CHOWN"),
		       "CAP_KILL leaves ambient, CAP_CHOWN stays");
		spec_free(s);
	}
	w = fx_warnings();
	like(w, "process.capabilities.ambient: CAP_KILL is left out", "with a warning");
	like(w, "also in process.capabilities.inheritable", "that names the missing set");
	ok(!strstr(w ? w : "", "CAP_CHOWN is left out"), "and none for CAP_CHOWN");
	free(w);
}

static const tap_test_fn tests[] = {
	version,   root,	 process,      scheduler, mounts,    namespaces, net_devices,
	devices_and_paths, resources, seccomp, memory_policy, hooks, sysctl, intel_rdt,
	warnings,  lsm_labels, ambient_outside_inheritable, NULL,
};

int main(void)
{
	fx_setup();
	return tap_main(tests);
}
