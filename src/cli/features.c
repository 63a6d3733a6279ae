/* features.c - `hako features`: runtime-spec features.md, fixed at build
 * time as the spec asks. */
#include <stdio.h>

#include "cli/cli.h"
#include "linux/seccomp.h"
#include "spec/config.h"
#include "spec/names.h"
#include "util/buf.h"
#include "util/cleanup.h"

static void names(struct buf *b, const char *const *v, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		buf_json_str(b, v[i]);
	}
	buf_putc(b, ']');
}

/* linux.seccomp: what hako parses (actions, operators, known flags), what
 * libseccomp can build (archs), and which flags this kernel takes - runc
 * probes supportedFlags the same way. */
static void seccomp_features(struct buf *b)
{
	const char *supported[8];
	size_t n = 0;
	const char *const *archs = seccomp_arch_names();
	size_t n_archs = 0;

	while (archs[n_archs])
		n_archs++;
	for (size_t i = 0; i < seccomp_n_flags && n < 8; i++)
		if (seccomp_flag_supported(i))
			supported[n++] = seccomp_flag_names[i];
	buf_puts(b, "{\"enabled\": true, \"actions\": ");
	names(b, seccomp_action_names, SCMP_ACTION_MAX);
	buf_puts(b, ", \"operators\": ");
	names(b, seccomp_op_names, SCMP_OP_MAX);
	buf_puts(b, ", \"archs\": ");
	names(b, archs, n_archs);
	buf_puts(b, ", \"knownFlags\": ");
	names(b, seccomp_flag_names, seccomp_n_flags);
	buf_puts(b, ", \"supportedFlags\": ");
	names(b, supported, n);
	buf_putc(b, '}');
}

int cmd_features(int argc, char **argv, const struct global_opts *g, struct hako_err *err)
{
	static const char *const mount_options[] = {
		"async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
		"iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime",
		"noexec", "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime",
		"nosuid", "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime",
		"relatime", "remount", "rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec",
		"rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate",
		"rrelatime", "rro", "rrw", "rshared", "rslave", "rstrictatime", "rsuid",
		"rsymfollow", "runbindable", "rw", "shared", "silent", "slave", "strictatime",
		"suid", "symfollow", "sync", "tmpcopyup", "unbindable",
	};
	_cleanup_buf_ struct buf b = { 0 };
	const char *caps[HAKO_CAP_LAST + 1];

	(void)argc;
	(void)argv;
	(void)g;
	(void)err;
	for (int i = 0; i <= HAKO_CAP_LAST; i++)
		caps[i] = cap_name(i);
	buf_puts(&b, "{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"1.3.0\",\n"
		     "  \"hooks\": ");
	names(&b, hook_kind_names, HOOK_MAX);
	buf_puts(&b, ",\n  \"mountOptions\": ");
	names(&b, mount_options, sizeof(mount_options) / sizeof(mount_options[0]));
	buf_puts(&b, ",\n  \"linux\": {\n    \"namespaces\": ");
	names(&b, ns_type_names, NS_MAX);
	buf_puts(&b, ",\n    \"capabilities\": ");
	names(&b, caps, HAKO_CAP_LAST + 1);
	buf_puts(&b, ",\n    \"cgroup\": {\"v1\": true, \"v2\": true, \"systemd\": false, "
		     "\"systemdUser\": false, \"rdma\": true},\n"
		     "    \"seccomp\": ");
	seccomp_features(&b);
	buf_puts(&b, ",\n"
		     "    \"apparmor\": {\"enabled\": true},\n    \"selinux\": {\"enabled\": false},\n"
		     "    \"intelRdt\": {\"enabled\": false},\n"
		     "    \"mountExtensions\": {\"idmap\": {\"enabled\": false}},\n"
		     "    \"netDevices\": {\"enabled\": true}\n  },\n"
		     "  \"annotations\": {\"org.hako.version\": \"" HAKO_VERSION "\"}\n}\n");
	fputs(b.p, stdout);
	return 0;
}
