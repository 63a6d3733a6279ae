/* test_spec_load.c - config.json parsing: every section of runtime-spec
 * 1.3.0 into its fields, type errors with their JSON paths, null and
 * unknown keys, required members. */
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "fixture.h"
#include "spec/json.h"
#include "spec/names.h"
#include "tap.h"

static struct spec *load(const char *sq, struct hako_err *err)
{
	return fx_load(sq, err);
}

/* The error a config fails to load with; "" if it loads. */
static const char *load_error(const char *sq, struct hako_err *err)
{
	struct spec *s = load(sq, err);

	if (s) {
		spec_free(s);
		return "";
	}
	return err->msg;
}

#define V "'ociVersion':'1.3.0'"

TEST(minimal_config)
{
	struct hako_err err;
	struct spec *s = load("{" V ",'root':{'path':'rootfs'}}", &err);
	char want[128];

	ok(s != NULL, "a minimal config loads");
	if (!s)
		return;
	is_str(s->oci_version, "1.3.0", "ociVersion is kept");
	snprintf(want, sizeof(want), "%s/rootfs", fx_bundle);
	is_str(s->rootfs, want, "root.path is made absolute against the bundle");
	is_str(s->bundle, fx_bundle, "the bundle is kept");
	ok(!s->process.present, "no process is fine at load time");
	ok(!s->root.readonly, "root.readonly defaults to false");
	ok(!s->lnx.namespaces_listed, "no namespaces listed");
	spec_free(s);

	s = load("{" V ",'root':{'path':'/abs/rootfs','readonly':true}}", &err);
	ok(s && !strcmp(s->rootfs, "/abs/rootfs"), "an absolute root.path stays as it is");
	ok(s && s->root.readonly, "root.readonly");
	spec_free(s);
}

static const char process_json[] =
	"{" V ",'process':{'terminal':true,'consoleSize':{'height':25,'width':80},"
	"'user':{'uid':1,'gid':2,'umask':18,'additionalGids':[5,4294967295],'username':'w'},"
	"'args':['sh','-c','echo'],'env':['PATH=/bin','TERM=xterm'],'cwd':'/root',"
	"'capabilities':{'bounding':['CAP_KILL','CAP_SYS_ADMIN'],'effective':['CAP_KILL'],"
	"'inheritable':[],'permitted':['CAP_KILL'],'ambient':['CAP_CHECKPOINT_RESTORE']},"
	"'rlimits':[{'type':'RLIMIT_NOFILE','soft':1024,'hard':18446744073709551615},"
	"{'type':'RLIMIT_MEMLOCK','hard':0,'soft':0}],"
	"'noNewPrivileges':true,'apparmorProfile':'prof','oomScoreAdj':-999,"
	"'scheduler':{'policy':'SCHED_DEADLINE','nice':-3,'priority':0,'flags':["
	"'SCHED_FLAG_RESET_ON_FORK'],'runtime':1000000,'deadline':2000000,'period':3000000},"
	"'selinuxLabel':'label','ioPriority':{'class':'IOPRIO_CLASS_IDLE','priority':4},"
	"'execCPUAffinity':{'initial':'7','final':'0-3,7'},'commandLine':'windows only'}}";

TEST(process_section)
{
	struct hako_err err;
	struct spec *s = load(process_json, &err);
	const struct spec_process *p;

	ok(s != NULL, "a full process loads");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	p = &s->process;
	ok(p->present && p->terminal, "process.terminal");
	ok(p->console_size.present && p->console_size.height == 25 && p->console_size.width == 80,
	   "process.consoleSize");
	ok(p->user.uid == 1 && p->user.gid == 2, "process.user uid and gid");
	ok(p->user.umask.set && p->user.umask.v == 18, "process.user.umask");
	ok(p->user.n_additional_gids == 2 && p->user.additional_gids[0] == 5 &&
		   p->user.additional_gids[1] == UINT32_MAX,
	   "process.user.additionalGids");
	is_str(p->user.username, "w", "process.user.username");
	ok(p->args.n == 3 && !strcmp(p->args.v[2], "echo") && p->args.v[3] == NULL,
	   "process.args, NULL-terminated");
	ok(p->env.n == 2 && !strcmp(p->env.v[1], "TERM=xterm") && p->env.v[2] == NULL,
	   "process.env");
	is_str(p->cwd, "/root", "process.cwd");
	ok(p->capabilities.present, "process.capabilities");
	is_int(p->capabilities.set[CAPSET_BOUNDING], (1ULL << 5) | (1ULL << 21), "bounding");
	is_int(p->capabilities.set[CAPSET_EFFECTIVE], 1ULL << 5, "effective");
	ok(p->capabilities.listed[CAPSET_INHERITABLE] && !p->capabilities.set[CAPSET_INHERITABLE],
	   "an empty inheritable list is listed and empty");
	is_int(p->capabilities.set[CAPSET_AMBIENT], 1ULL << 40, "ambient CAP_CHECKPOINT_RESTORE");
	is_int(p->n_rlimits, 2, "two rlimits");
	ok(p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].soft == 1024 &&
		   p->rlimits[0].hard == UINT64_MAX,
	   "RLIMIT_NOFILE 1024 and 2^64-1");
	is_int(p->rlimits[1].resource, RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK");
	ok(p->no_new_privileges, "process.noNewPrivileges");
	is_str(p->apparmor_profile, "prof", "process.apparmorProfile");
	ok(p->oom_score_adj.set && p->oom_score_adj.v == -999, "process.oomScoreAdj");
	ok(p->scheduler.present, "process.scheduler");
	is_str(p->scheduler.policy, "SCHED_DEADLINE", "scheduler.policy");
	ok(p->scheduler.nice == -3 && p->scheduler.priority == 0, "scheduler.nice and priority");
	ok(p->scheduler.flags.n == 1, "scheduler.flags");
	ok(p->scheduler.runtime == 1000000 && p->scheduler.deadline == 2000000 &&
		   p->scheduler.period == 3000000,
	   "scheduler runtime, deadline, period");
	is_str(p->selinux_label, "label", "process.selinuxLabel");
	ok(p->io_priority.present && p->io_priority.priority == 4, "process.ioPriority");
	is_str(p->io_priority.class, "IOPRIO_CLASS_IDLE", "ioPriority.class");
	is_str(p->exec_cpu_affinity.initial, "7", "execCPUAffinity.initial (1.2.1)");
	is_str(p->exec_cpu_affinity.final, "0-3,7", "execCPUAffinity.final");
	spec_free(s);
}

static const char top_json[] =
	"{" V ",'root':{'path':'rootfs'},'hostname':'box','domainname':'example.org',"
	"'mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
	"{'destination':'/data','source':'/srv','options':['rbind','ro','idmap'],"
	"'uidMappings':[{'containerID':0,'hostID':1000,'size':10}],"
	"'gidMappings':[{'containerID':0,'hostID':2000,'size':20}]}],"
	"'hooks':{'prestart':[{'path':'/p'}],'createRuntime':[{'path':'/cr','args':['cr','1'],"
	"'env':['A=1'],'timeout':7}],'createContainer':[{'path':'/cc'}],'startContainer':[{'path':"
	"'/sc'}],'poststart':[{'path':'/ps1'},{'path':'/ps2'}],'poststop':[{'path':'/pt'}]},"
	"'annotations':{'com.example.a':'1','org.opencontainers.image.os':'linux'},"
	"'windows':{'layerFolders':[]},'vm':{'kernel':{'path':'/k'}}}";

TEST(top_level_mounts_hooks)
{
	struct hako_err err;
	struct spec *s = load(top_json, &err);

	ok(s != NULL, "hostname, mounts, hooks and annotations load");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	is_str(s->hostname, "box", "hostname");
	is_str(s->domainname, "example.org", "domainname");
	is_int(s->n_mounts, 2, "two mounts");
	is_str(s->mounts[0].destination, "/proc", "mounts[0].destination");
	is_str(s->mounts[0].type, "proc", "mounts[0].type");
	is_str(s->mounts[0].source, "proc", "mounts[0].source");
	ok(s->mounts[1].options.n == 3 && !strcmp(s->mounts[1].options.v[2], "idmap"),
	   "mounts[1].options");
	ok(s->mounts[1].n_uid_mappings == 1 && s->mounts[1].uid_mappings[0].host_id == 1000 &&
		   s->mounts[1].uid_mappings[0].size == 10,
	   "mounts[1].uidMappings (1.2)");
	ok(s->mounts[1].n_gid_mappings == 1 && s->mounts[1].gid_mappings[0].size == 20,
	   "mounts[1].gidMappings");
	for (int k = 0; k < HOOK_MAX; k++) {
		char name[64];
		snprintf(name, sizeof(name), "hooks.%s", hook_kind_names[k]);
		ok(s->hooks.n[k] >= 1 && s->hooks.list[k][0].path[0] == '/', name);
	}
	is_int(s->hooks.n[HOOK_POSTSTART], 2, "two poststart hooks, in order");
	is_str(s->hooks.list[HOOK_POSTSTART][1].path, "/ps2", "... the second one second");
	ok(s->hooks.list[HOOK_CREATE_RUNTIME][0].timeout.set &&
		   s->hooks.list[HOOK_CREATE_RUNTIME][0].timeout.v == 7,
	   "hook timeout");
	ok(s->hooks.list[HOOK_CREATE_RUNTIME][0].args.n == 2 &&
		   s->hooks.list[HOOK_CREATE_RUNTIME][0].env.n == 1,
	   "hook args and env");
	ok(!s->hooks.list[HOOK_PRESTART][0].timeout.set, "no timeout is unset, not 0");
	is_str(strmap_get(&s->annotations, "org.opencontainers.image.os"), "linux", "annotations");
	ok(strmap_get(&s->annotations, "missing") == NULL, "strmap_get of a missing key");
	spec_free(s);
}

static const char linux_json[] =
	"{" V ",'linux':{"
	"'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}],"
	"'gidMappings':[{'containerID':0,'hostID':200000,'size':1}],"
	"'sysctl':{'net.ipv4.ip_forward':'1','kernel.shmmax':'4096'},"
	"'cgroupsPath':'/hako/x',"
	"'namespaces':[{'type':'pid'},{'type':'network','path':'/var/run/netns/a'},{'type':"
	"'mount'},{'type':'ipc'},{'type':'uts','path':''},{'type':'user'},{'type':'cgroup'},"
	"{'type':'time'}],"
	"'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229,'fileMode':438,"
	"'uid':0,'gid':5},{'path':'/dev/p','type':'p'}],"
	"'rootfsPropagation':'rslave','maskedPaths':['/proc/kcore'],'readonlyPaths':['/proc/sys',"
	"'/proc/bus'],'mountLabel':'ml',"
	"'intelRdt':{'closID':'guaranteed','l3CacheSchema':'L3:0=7f0','memBwSchema':'MB:0=20',"
	"'schemata':['L3:0=7f0;1=1f','L2:0=f'],'enableMonitoring':true,'enableCMT':false},"
	"'personality':{'domain':'LINUX32','flags':[]},"
	"'timeOffsets':{'monotonic':{'secs':-5,'nanosecs':10},'boottime':{'secs':86400}},"
	"'memoryPolicy':{'mode':'MPOL_INTERLEAVE','nodes':'2-3','flags':['MPOL_F_STATIC_NODES']},"
	"'netDevices':{'eth0':{'name':'container_eth0'},'dummy0':{}}}}";

TEST(linux_section)
{
	struct hako_err err;
	struct spec *s = load(linux_json, &err);
	const struct spec_linux *l;

	ok(s != NULL, "a full linux section loads");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	l = &s->lnx;
	ok(l->n_uid_mappings == 1 && l->uid_mappings[0].host_id == 100000 &&
		   l->uid_mappings[0].size == 65536,
	   "linux.uidMappings");
	ok(l->n_gid_mappings == 1 && l->gid_mappings[0].host_id == 200000, "linux.gidMappings");
	is_str(strmap_get(&l->sysctl, "kernel.shmmax"), "4096", "linux.sysctl");
	is_str(l->cgroups_path, "/hako/x", "linux.cgroupsPath");
	ok(l->namespaces_listed, "linux.namespaces listed");
	for (int t = 0; t < NS_MAX; t++)
		ok(l->ns[t].present, ns_type_names[t]);
	is_str(l->ns[NS_NET].path, "/var/run/netns/a", "a namespace path");
	is_int(l->ns[NS_NET].index, 1, "... and its index in the array");
	ok(l->ns[NS_UTS].path == NULL, "an empty path means a new namespace");
	ok(spec_new_ns(s, NS_UTS) && !spec_new_ns(s, NS_NET) && spec_has_ns(s, NS_NET),
	   "spec_new_ns and spec_has_ns");
	is_int(l->n_devices, 2, "linux.devices");
	ok(l->devices[0].major == 10 && l->devices[0].minor == 229 && l->devices[0].major_set &&
		   l->devices[0].minor_set,
	   "device major and minor");
	ok(l->devices[0].file_mode.set && l->devices[0].file_mode.v == 438 &&
		   l->devices[0].gid.v == 5,
	   "device fileMode, gid");
	ok(!l->devices[1].major_set && !l->devices[1].file_mode.set,
	   "a fifo has no numbers, no mode");
	is_str(l->rootfs_propagation, "rslave", "linux.rootfsPropagation");
	ok(l->masked_paths.n == 1 && l->readonly_paths.n == 2, "maskedPaths and readonlyPaths");
	is_str(l->mount_label, "ml", "linux.mountLabel");
	ok(l->intel_rdt.present, "linux.intelRdt");
	is_str(l->intel_rdt.clos_id, "guaranteed", "intelRdt.closID");
	is_str(l->intel_rdt.l3_cache_schema, "L3:0=7f0", "intelRdt.l3CacheSchema");
	is_str(l->intel_rdt.mem_bw_schema, "MB:0=20", "intelRdt.memBwSchema");
	ok(l->intel_rdt.schemata.n == 2, "intelRdt.schemata (1.3)");
	ok(l->intel_rdt.enable_monitoring.set && l->intel_rdt.enable_monitoring.v,
	   "intelRdt.enableMonitoring (1.3)");
	ok(l->intel_rdt.enable_cmt.set && !l->intel_rdt.enable_cmt.v && !l->intel_rdt.enable_mbm.set,
	   "intelRdt.enableCMT (1.1) false, enableMBM unset");
	ok(l->personality.present, "linux.personality");
	is_str(l->personality.domain, "LINUX32", "personality.domain");
	is_int(l->n_time_offsets, 2, "linux.timeOffsets");
	is_str(l->time_offsets[0].clock, "monotonic", "the clock is the key");
	ok(l->time_offsets[0].secs == -5 && l->time_offsets[0].nanosecs == 10, "secs and nanosecs");
	ok(l->memory_policy.present, "linux.memoryPolicy (1.3)");
	is_str(l->memory_policy.mode, "MPOL_INTERLEAVE", "memoryPolicy.mode");
	is_str(l->memory_policy.nodes, "2-3", "memoryPolicy.nodes");
	ok(l->memory_policy.flags.n == 1, "memoryPolicy.flags");
	is_int(l->n_net_devices, 2, "linux.netDevices (1.3)");
	is_str(l->net_devices[0].host_name, "eth0", "the host name is the key");
	is_str(l->net_devices[0].name, "container_eth0", "name in the container");
	ok(l->net_devices[1].name == NULL, "no name: keep the host's");
	spec_free(s);
}

static const char resources_json[] =
	"{" V ",'linux':{'resources':{"
	"'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':10,"
	"'minor':229,'access':'rw'}],"
	"'memory':{'limit':536870912,'reservation':-1,'swap':1073741824,'kernel':-1,"
	"'kernelTCP':-1,'swappiness':0,'disableOOMKiller':true,'useHierarchy':false,"
	"'checkBeforeUpdate':true},"
	"'cpu':{'shares':1024,'quota':1000000,'burst':1000000,'period':500000,"
	"'realtimeRuntime':950000,'realtimePeriod':1000000,'cpus':'2-3','mems':'0-7','idle':1},"
	"'pids':{'limit':0},"
	"'blockIO':{'weight':10,'leafWeight':10,'weightDevice':[{'major':8,'minor':0,"
	"'weight':500,'leafWeight':300},{'major':8,'minor':16,'weight':500}],"
	"'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':600}],"
	"'throttleWriteBpsDevice':[{'major':8,'minor':0,'rate':700}],"
	"'throttleReadIOPSDevice':[{'major':8,'minor':0,'rate':800}],"
	"'throttleWriteIOPSDevice':[{'major':8,'minor':16,'rate':300}]},"
	"'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'64KB','limit':1000000}],"
	"'network':{'classID':1048577,'priorities':[{'name':'eth0','priority':500},{'name':'eth1',"
	"'priority':1000}]},"
	"'rdma':{'mlx5_1':{'hcaHandles':3,'hcaObjects':10000},'mlx4_0':{'hcaObjects':1000}},"
	"'unified':{'io.max':'259:0 rbps=2097152','hugetlb.1GB.max':'1073741824'}}}}";

TEST(resources_section)
{
	struct hako_err err;
	struct spec *s = load(resources_json, &err);
	const struct spec_resources *r;

	ok(s != NULL, "linux.resources loads");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	r = &s->lnx.resources;
	ok(r->present, "resources present");
	ok(r->n_devices == 2 && !r->devices[0].allow && r->devices[1].allow, "resources.devices");
	ok(!r->devices[0].major.set && r->devices[1].major.set && r->devices[1].minor.v == 229,
	   "device rule major/minor unset vs set");
	is_str(r->devices[1].access, "rw", "device rule access");
	ok(r->memory.present && r->memory.limit.v == 536870912 && r->memory.reservation.v == -1,
	   "memory limit and reservation");
	ok(r->memory.swap.v == 1073741824 && r->memory.kernel.set && r->memory.kernel_tcp.set,
	   "memory swap, kernel, kernelTCP");
	ok(r->memory.swappiness.set && r->memory.swappiness.v == 0, "swappiness 0 is set");
	ok(r->memory.disable_oom_killer.v && r->memory.use_hierarchy.set &&
		   !r->memory.use_hierarchy.v && r->memory.check_before_update.v,
	   "memory booleans");
	ok(r->cpu.present && r->cpu.shares.v == 1024 && r->cpu.quota.v == 1000000 &&
		   r->cpu.burst.v == 1000000 && r->cpu.period.v == 500000,
	   "cpu shares, quota, burst, period");
	ok(r->cpu.realtime_runtime.v == 950000 && r->cpu.realtime_period.v == 1000000,
	   "cpu realtime");
	ok(!strcmp(r->cpu.cpus, "2-3") && !strcmp(r->cpu.mems, "0-7") && r->cpu.idle.v == 1,
	   "cpu cpus, mems, idle");
	ok(r->pids.present && r->pids.limit_set && r->pids.limit == 0,
	   "pids.limit 0 is a limit (1.3), not absent");
	ok(r->block_io.present && r->block_io.weight.v == 10 && r->block_io.leaf_weight.v == 10,
	   "blockIO weight");
	ok(r->block_io.n_weight_devices == 2 && r->block_io.weight_devices[0].leaf_weight.v == 300 &&
		   !r->block_io.weight_devices[1].leaf_weight.set,
	   "blockIO weightDevice");
	for (int k = 0; k < THROTTLE_MAX; k++)
		ok(r->block_io.n_throttle[k] == 1, "a throttle list");
	ok(r->block_io.throttle[THROTTLE_WRITE_IOPS][0].rate == 300 &&
		   r->block_io.throttle[THROTTLE_WRITE_IOPS][0].minor == 16,
	   "throttleWriteIOPSDevice");
	ok(r->n_hugepage_limits == 2 && !strcmp(r->hugepage_limits[1].page_size, "64KB"),
	   "hugepageLimits");
	ok(r->network.present && r->network.class_id.v == 1048577 && r->network.n_priorities == 2 &&
		   r->network.priorities[1].priority == 1000,
	   "network classID and priorities");
	ok(r->n_rdma == 2 && !strcmp(r->rdma[0].device, "mlx5_1") && r->rdma[0].hca_handles.v == 3 &&
		   !r->rdma[1].hca_handles.set,
	   "rdma by device");
	is_str(strmap_get(&r->unified, "hugetlb.1GB.max"), "1073741824", "unified");
	spec_free(s);

	s = load("{" V ",'linux':{'resources':{'pids':{}}}}", &err);
	ok(s && s->lnx.resources.pids.present && !s->lnx.resources.pids.limit_set,
	   "pids without limit: no limit, not 0");
	spec_free(s);
}

static const char seccomp_json[] =
	"{" V ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
	"'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86'],'flags':["
	"'SECCOMP_FILTER_FLAG_SPEC_ALLOW'],'listenerPath':'/run/l.sock','listenerMetadata':'m',"
	"'syscalls':[{'names':['personality'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,"
	"'value':18446744073709551615,'valueTwo':9223372036854775808,'op':'SCMP_CMP_MASKED_EQ'}]},"
	"{'names':['mount','umount2'],'action':'SCMP_ACT_NOTIFY'},{'names':['kexec_load'],"
	"'action':'SCMP_ACT_KILL_PROCESS'},{'names':['x'],'action':'SCMP_ACT_LOG','errnoRet':1}]}}}";

TEST(seccomp_section)
{
	struct hako_err err;
	struct spec *s = load(seccomp_json, &err);
	const struct spec_seccomp *sc;

	ok(s != NULL, "a seccomp profile loads");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	sc = &s->lnx.seccomp;
	ok(sc->present && sc->default_action == SCMP_ACTION_ERRNO, "defaultAction");
	ok(sc->default_errno_ret.set && sc->default_errno_ret.v == 38, "defaultErrnoRet");
	ok(sc->architectures.n == 2 && sc->flags.n == 1, "architectures and flags");
	is_str(sc->listener_path, "/run/l.sock", "listenerPath");
	is_str(sc->listener_metadata, "m", "listenerMetadata");
	is_int(sc->n_syscalls, 4, "syscalls");
	ok(sc->syscalls[0].args[0].value == UINT64_MAX, "a value above INT64_MAX survives");
	ok(sc->syscalls[0].args[0].value_two == 9223372036854775808ULL, "valueTwo 2^63");
	is_int(sc->syscalls[0].args[0].op, SCMP_OP_MASKED_EQ, "op");
	ok(sc->syscalls[1].names.n == 2 && sc->syscalls[1].action == SCMP_ACTION_NOTIFY,
	   "names and action");
	is_int(sc->syscalls[2].action, SCMP_ACTION_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS");
	ok(sc->syscalls[3].errno_ret.set && !sc->syscalls[0].errno_ret.set, "errnoRet set or not");
	spec_free(s);
}

/* Each kind of JSON type error, with its path. */
TEST(type_errors)
{
	static const struct {
		const char *what, *json, *msg, *config;
	} rows[] = {
		{ "string uid", "{" V ",'process':{'user':{'uid':'x'}}}",
		  "process.user.uid: expected an unsigned 32-bit integer, got \"x\"",
		  "process.user.uid" },
		{ "number for a string", "{" V ",'hostname':42}", "hostname: expected a string, got 42",
		  "hostname" },
		{ "string for a bool", "{" V ",'process':{'terminal':'yes'}}",
		  "process.terminal: expected true or false, got \"yes\"", "process.terminal" },
		{ "u32 overflow", "{" V ",'process':{'user':{'gid':4294967296}}}",
		  "process.user.gid: 4294967296 is out of range (at most 4294967295)",
		  "process.user.gid" },
		{ "u64 overflow",
		  "{" V ",'process':{'rlimits':[{'type':'RLIMIT_CORE','soft':18446744073709551616,"
		  "'hard':1}]}}",
		  "process.rlimits[0].soft: 18446744073709551616 is out of range", "process.rlimits[0].soft" },
		{ "u16 overflow", "{" V ",'linux':{'resources':{'blockIO':{'weight':65536}}}}",
		  "linux.resources.blockIO.weight: 65536 is out of range (at most 65535)",
		  "linux.resources.blockIO.weight" },
		{ "negative for unsigned", "{" V ",'linux':{'uidMappings':[{'containerID':-1}]}}",
		  "linux.uidMappings[0].containerID: expected an unsigned 32-bit integer, got -1",
		  "linux.uidMappings[0].containerID" },
		{ "negative additional gid", "{" V ",'process':{'user':{'additionalGids':[1,-5]}}}",
		  "process.user.additionalGids[1]: expected an unsigned 32-bit integer, got -5",
		  "process.user.additionalGids[1]" },
		{ "float for an integer", "{" V ",'process':{'oomScoreAdj':1.5}}",
		  "process.oomScoreAdj: expected a 32-bit integer, got 1.5", "process.oomScoreAdj" },
		{ "exponent for an integer", "{" V ",'linux':{'resources':{'pids':{'limit':1e3}}}}",
		  "linux.resources.pids.limit: expected an integer, got 1e3",
		  "linux.resources.pids.limit" },
		{ "i32 overflow", "{" V ",'process':{'scheduler':{'nice':2147483648}}}",
		  "process.scheduler.nice: 2147483648 is out of range (-2147483648 to 2147483647)",
		  "process.scheduler.nice" },
		{ "object for an array", "{" V ",'process':{'args':{'a':1}}}",
		  "process.args: expected an array of strings, got an object", "process.args" },
		{ "array for an object", "{" V ",'linux':{'resources':[]}}",
		  "linux.resources: expected an object, got an array", "linux.resources" },
		{ "number in a string array", "{" V ",'process':{'env':['A=1',2]}}",
		  "process.env[1]: expected a string, got 2", "process.env[1]" },
		{ "null in a string array", "{" V ",'linux':{'maskedPaths':[null]}}",
		  "linux.maskedPaths[0]: expected a string, got null", "linux.maskedPaths[0]" },
		{ "non-string sysctl value", "{" V ",'linux':{'sysctl':{'net.ipv4.ip_forward':1}}}",
		  "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got 1",
		  "linux.sysctl[\"net.ipv4.ip_forward\"]" },
		{ "array for the config", "[]", "config.json: expected an object, got an array", "" },
		{ "non-string ociVersion", "{'ociVersion':1}", "ociVersion: expected a string, got 1",
		  "ociVersion" },
		{ "string for a mapping array", "{" V ",'mounts':[{'destination':'/x','uidMappings':'x'}]}",
		  "mounts[0].uidMappings: expected an array, got \"x\"", "mounts[0].uidMappings" },
		{ "string capability set", "{" V ",'process':{'capabilities':{'bounding':'CAP_KILL'}}}",
		  "process.capabilities.bounding: expected an array of capability names, got "
		  "\"CAP_KILL\"",
		  "process.capabilities.bounding" },
		{ "bool for an rdma object", "{" V ",'linux':{'resources':{'rdma':{'mlx':true}}}}",
		  "linux.resources.rdma.mlx: expected an object, got true", "linux.resources.rdma.mlx" },
	};
	struct hako_err err;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char name[160];
		snprintf(name, sizeof(name), "%s: refused with its path", rows[i].what);
		like(load_error(rows[i].json, &err), rows[i].msg, name);
		snprintf(name, sizeof(name), "%s: err.config", rows[i].what);
		is_str(err.config, rows[i].config, name);
	}
}

TEST(required_members)
{
	static const struct {
		const char *what, *json, *msg;
	} rows[] = {
		{ "ociVersion", "{'root':{'path':'rootfs'}}", "ociVersion is required" },
		{ "rlimit type", "{" V ",'process':{'rlimits':[{'soft':1,'hard':1}]}}",
		  "process.rlimits[0]: \"type\" is required" },
		{ "rlimit hard", "{" V ",'process':{'rlimits':[{'type':'RLIMIT_CORE','soft':1}]}}",
		  "process.rlimits[0]: RLIMIT_CORE needs both \"soft\" and \"hard\"" },
		{ "unknown rlimit", "{" V ",'process':{'rlimits':[{'type':'RLIMIT_FOO','soft':1,"
				    "'hard':1}]}}",
		  "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"" },
		{ "mount destination", "{" V ",'mounts':[{'type':'tmpfs'}]}",
		  "mounts[0]: \"destination\" is required" },
		{ "hook path", "{" V ",'hooks':{'poststop':[{'args':['x']}]}}",
		  "hooks.poststop[0]: \"path\" is required" },
		{ "namespace type", "{" V ",'linux':{'namespaces':[{'path':'/x'}]}}",
		  "linux.namespaces[0]: \"type\" is required" },
		{ "unknown namespace", "{" V ",'linux':{'namespaces':[{'type':'net'}]}}",
		  "linux.namespaces[0]: unknown namespace type \"net\"" },
		{ "namespace twice", "{" V ",'linux':{'namespaces':[{'type':'pid'},{'type':'pid'}]}}",
		  "linux.namespaces[1]: namespace type \"pid\" is listed twice" },
		{ "device path", "{" V ",'linux':{'devices':[{'type':'c','major':1,'minor':3}]}}",
		  "linux.devices[0]: \"path\" is required" },
		{ "device type", "{" V ",'linux':{'devices':[{'path':'/dev/null'}]}}",
		  "linux.devices[0]: \"type\" is required" },
		{ "throttle rate",
		  "{" V ",'linux':{'resources':{'blockIO':{'throttleReadBpsDevice':[{'major':8,"
		  "'minor':0}]}}}}",
		  "linux.resources.blockIO.throttleReadBpsDevice[0]: \"rate\" is required" },
		{ "weightDevice minor",
		  "{" V ",'linux':{'resources':{'blockIO':{'weightDevice':[{'major':8,'weight':1}]}}}}",
		  "linux.resources.blockIO.weightDevice[0]: \"major\" and \"minor\" are required" },
		{ "hugepage limit", "{" V ",'linux':{'resources':{'hugepageLimits':[{'pageSize':'2MB'}]}}}",
		  "linux.resources.hugepageLimits[0]: \"pageSize\" and \"limit\" are required" },
		{ "priority name", "{" V ",'linux':{'resources':{'network':{'priorities':[{'priority':1}]}}}}",
		  "linux.resources.network.priorities[0]: \"name\" and \"priority\" are required" },
		{ "seccomp defaultAction", "{" V ",'linux':{'seccomp':{'syscalls':[]}}}",
		  "linux.seccomp: \"defaultAction\" is required" },
		{ "seccomp action", "{" V ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW',"
				    "'syscalls':[{'names':['read']}]}}}",
		  "linux.seccomp.syscalls[0]: \"action\" is required" },
		{ "seccomp op", "{" V ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW',"
				"'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW','args':[{"
				"'index':0,'value':1}]}]}}}",
		  "linux.seccomp.syscalls[0].args[0]: \"op\" is required" },
		{ "unknown seccomp action", "{" V ",'linux':{'seccomp':{'defaultAction':'ALLOW'}}}",
		  "linux.seccomp.defaultAction: unknown seccomp action \"ALLOW\"" },
		{ "unknown seccomp operator",
		  "{" V ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':["
		  "'read'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':1,'op':'EQ'}]}]}}}",
		  "linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator \"EQ\"" },
	};
	struct hako_err err;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		like(load_error(rows[i].json, &err), rows[i].msg, rows[i].what);
}

TEST(null_is_absent)
{
	struct hako_err err;
	struct spec *s = load("{" V ",'hostname':null,'process':null,'root':{'path':'rootfs',"
			      "'readonly':null},'linux':{'seccomp':null,'resources':{'pids':null,"
			      "'memory':{'limit':null}},'namespaces':null},'hooks':{'prestart':null}}",
			      &err);

	ok(s != NULL, "null members load");
	if (!s)
		return;
	ok(s->hostname == NULL, "hostname: null is absent");
	ok(!s->process.present, "process: null is absent");
	ok(!s->lnx.seccomp.present, "seccomp: null is absent");
	ok(!s->lnx.resources.pids.present, "pids: null is absent");
	ok(s->lnx.resources.memory.present && !s->lnx.resources.memory.limit.set,
	   "memory.limit: null is unset");
	ok(!s->lnx.namespaces_listed, "namespaces: null is not listed");
	ok(s->hooks.n[HOOK_PRESTART] == 0, "hooks.prestart: null is no hooks");
	spec_free(s);
}

TEST(unknown_fields_are_ignored)
{
	struct hako_err err;
	struct spec *s = load("{'ociVersion':'1.1.0','futureThing':{'a':1},"
			      "'process':{'cwd':'/','args':['sh'],'newField':true,'user':{'uid':1,"
			      "'sid':'S-1'}},'linux':{'newSection':[1,2],'resources':{'gpu':{}},"
			      "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','newFlag':1}},"
			      "'solaris':{'milestone':'x'},'zos':{},'freebsd':{}}",
			      &err);

	ok(s != NULL, "unknown keys do not fail the load (config.md: MUST ignore)");
	ok(s && s->process.user.uid == 1, "known keys beside them are read");
	spec_free(s);
}

TEST(repeated_keys)
{
	struct hako_err err;

	like(load_error("{" V ",'hostname':'a','hostname':'b'}", &err),
	     "hostname: given twice in the same object", "a repeated key is an error");
	like(err.hint, "keep one \"hostname\"", "with a hint");
	like(load_error("{" V ",'linux':{'sysctl':{'kernel.sem':'1','kernel.sem':'2'}}}", &err),
	     "linux.sysctl[\"kernel.sem\"]: given twice", "a repeated map key is an error");
	like(load_error("{" V ",'process':{'capabilities':{'bounding':[],'bounding':['CAP_KILL']}}}",
			&err),
	     "process.capabilities.bounding: given twice", "a repeated capability set too");
	like(load_error("{" V ",'linux':{'netDevices':{'eth0':{},'eth0':{'name':'x'}}}}", &err),
	     "linux.netDevices.eth0: given twice", "a repeated device in a map of objects");
	is_str(load_error("{" V ",'x-vendor':1,'x-vendor':2}", &err), "",
	       "a repeated unknown key is ignored like the key");
}

TEST(capabilities_by_name)
{
	struct hako_err err;
	struct spec *s = load("{" V ",'process':{'capabilities':{"
			      "'bounding':['CAP_IPC_LOCK','CAP_KILL'],'ambient':[]}}}",
			      &err);

	ok(s != NULL, "capability names load");
	if (!s)
		return;
	is_int(s->process.capabilities.set[CAPSET_BOUNDING],
	       (1ULL << cap_from_name("CAP_IPC_LOCK")) | (1ULL << cap_from_name("CAP_KILL")),
	       "bounding holds exactly the two");
	ok(s->process.capabilities.listed[CAPSET_AMBIENT], "an empty ambient list is listed");
	ok(!s->process.capabilities.listed[CAPSET_EFFECTIVE], "an absent effective is not");
	spec_free(s);
	like(load_error("{" V ",'process':{'capabilities':{'effective':['CAP_IPC_LOK']}}}", &err),
	     "unknown capability \"CAP_IPC_LOK\" (did you mean CAP_IPC_LOCK?)",
	     "a misspelt capability is an error that suggests the near name");
	is_str(err.config, "process.capabilities.effective[0]", "and points at the entry");
	like(err.hint, "with the CAP_ prefix", "with a hint on spelling");
	like(load_error("{" V ",'process':{'capabilities':{'permitted':['NET_ADMIN']}}}", &err),
	     "(did you mean CAP_NET_ADMIN?)", "a name without CAP_ is suggested with it");
}

TEST(malformed_json)
{
	struct hako_err err;

	like(load_error("{'ociVersion': '1.0.0',", &err), "config.json is not valid JSON",
	     "truncated JSON is refused");
	ok(!strchr(err.msg, '\n'), "the parser's message is one line");
	like(load_error("", &err), "config.json is not valid JSON", "an empty file is refused");
}

TEST(bundle_files)
{
	struct hako_err err;
	struct spec *s = NULL;
	char path[128];
	int r, fd;

	memset(&err, 0, sizeof(err));
	r = spec_load_bundle(fx_bundle, &s, &err);
	ok(r < 0, "a bundle without config.json is refused");
	is_int(err.errnum, ENOENT, "ENOENT");
	like(err.hint, "a bundle is a directory with config.json", "with a hint");

	snprintf(path, sizeof(path), "%s/config.json", fx_bundle);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ok(fd >= 0 && write(fd, "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"rootfs\"}}", 47) == 47,
	   "write a config.json");
	close(fd);
	r = spec_load_bundle(fx_bundle, &s, &err);
	ok(r == 0 && s && s->bundle[0] == '/', "spec_load_bundle reads it; the bundle is absolute");
	spec_free(s);
	unlink(path);
	r = spec_load_bundle("/nonexistent/bundle", &s, &err);
	ok(r < 0 && err.errnum == ENOENT, "a missing bundle directory is refused");
}

TEST(state_hooks)
{
	struct hako_err err;
	struct spec_hooks hooks = { 0 };
	struct arena arena = { 0 };
	char *json = fx_json("{'poststop':[{'path':'/bin/x','timeout':3}],'poststart':[{'args':[]}]}");
	yajl_val v = NULL;

	ok(json_parse(json, "state.json", &v, &err) == 0, "parse a hooks object");
	ok(spec_parse_hooks(v, &hooks, &arena, &err) < 0, "spec_parse_hooks checks entries");
	is_str(err.msg, "hooks.poststart[0]: \"path\" is required", "... with the hooks. path");
	yajl_tree_free(v);
	free(json);
	arena_release(&arena);
}

static const tap_test_fn tests[] = {
	minimal_config,	    process_section, top_level_mounts_hooks, linux_section,
	resources_section,  seccomp_section, type_errors,	     required_members,
	null_is_absent,	    unknown_fields_are_ignored, repeated_keys, capabilities_by_name,
	malformed_json,	    bundle_files,    state_hooks,	     NULL,
};

int main(void)
{
	fx_setup();
	return tap_main(tests);
}
