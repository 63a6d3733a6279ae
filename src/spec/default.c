/* default.c - the default config: runc's `spec` choices, with the process
 * not on a terminal so that it runs from scripts and CI, and a cgroup
 * namespace so /sys/fs/cgroup shows the container's own cgroup. */
#include "spec/default.h"

#include "spec/names.h"
#include "util/buf.h"

static const char *const default_caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL",
					    "CAP_NET_BIND_SERVICE" };

static const char *const masked_paths[] = {
	"/proc/acpi",	     "/proc/asound",   "/proc/kcore",	   "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",	     "/sys/firmware",  "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
					      "/proc/sysrq-trigger" };

static void str_array(struct buf *b, const char *const *v, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_json_str(b, v[i]);
	}
	buf_putc(b, ']');
}

static void mount_entry(struct buf *b, const char *dest, const char *type, const char *src,
			const char *options, bool last)
{
	buf_printf(b, "\t\t{\n\t\t\t\"destination\": \"%s\",\n\t\t\t\"type\": \"%s\",\n"
		      "\t\t\t\"source\": \"%s\"",
		   dest, type, src);
	if (options)
		buf_printf(b, ",\n\t\t\t\"options\": [%s]", options);
	buf_printf(b, "\n\t\t}%s\n", last ? "" : ",");
}

char *spec_default_json(const struct default_opts *o)
{
	static const char *const sh[] = { "sh" };
	struct buf b = { 0 };

	buf_puts(&b, "{\n\t\"ociVersion\": \"1.3.0\",\n\t\"process\": {\n"
		     "\t\t\"terminal\": false,\n\t\t\"user\": {\n\t\t\t\"uid\": 0,\n"
		     "\t\t\t\"gid\": 0\n\t\t},\n\t\t\"args\": ");
	if (o->n_args)
		str_array(&b, o->args, o->n_args);
	else
		str_array(&b, sh, 1);
	buf_puts(&b, ",\n\t\t\"env\": [\n\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		     "/usr/bin:/sbin:/bin\",\n\t\t\t\"TERM=xterm\"\n\t\t],\n"
		     "\t\t\"cwd\": \"/\",\n\t\t\"capabilities\": {\n");
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	for (size_t i = 0; i < 3; i++) {
		buf_printf(&b, "\t\t\t\"%s\": ", sets[i]);
		str_array(&b, default_caps, 3);
		buf_puts(&b, i < 2 ? ",\n" : "\n");
	}
	buf_puts(&b, "\t\t},\n\t\t\"rlimits\": [\n\t\t\t{\n\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
		     "\t\t\t\t\"hard\": 1024,\n\t\t\t\t\"soft\": 1024\n\t\t\t}\n\t\t],\n"
		     "\t\t\"noNewPrivileges\": true\n\t},\n"
		     "\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
		     "\t\"hostname\": \"hako\",\n\t\"mounts\": [\n");
	mount_entry(&b, "/proc", "proc", "proc", NULL, false);
	mount_entry(&b, "/dev", "tmpfs", "tmpfs",
		    "\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"", false);
	mount_entry(&b, "/dev/pts", "devpts", "devpts",
		    o->rootless ? "\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
				  "\"mode=0620\""
				: "\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
				  "\"mode=0620\", \"gid=5\"",
		    false);
	mount_entry(&b, "/dev/shm", "tmpfs", "shm",
		    "\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"", false);
	mount_entry(&b, "/dev/mqueue", "mqueue", "mqueue", "\"nosuid\", \"noexec\", \"nodev\"",
		    false);
	if (o->rootless)
		mount_entry(&b, "/sys", "none", "/sys",
			    "\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"", true);
	else {
		mount_entry(&b, "/sys", "sysfs", "sysfs",
			    "\"nosuid\", \"noexec\", \"nodev\", \"ro\"", false);
		mount_entry(&b, "/sys/fs/cgroup", "cgroup", "cgroup",
			    "\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"", true);
	}
	buf_puts(&b, "\t],\n\t\"linux\": {\n");
	if (o->rootless)
		buf_printf(&b, "\t\t\"uidMappings\": [{\"containerID\": 0, \"hostID\": %u, "
			       "\"size\": 1}],\n\t\t\"gidMappings\": [{\"containerID\": 0, "
			       "\"hostID\": %u, \"size\": 1}],\n",
			   (unsigned)o->host_uid, (unsigned)o->host_gid);
	else
		buf_puts(&b, "\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n"
			     "\t\t\t\t\t\"allow\": false,\n\t\t\t\t\t\"access\": \"rwm\"\n"
			     "\t\t\t\t}\n\t\t\t]\n\t\t},\n");
	buf_puts(&b, "\t\t\"namespaces\": [\n\t\t\t{ \"type\": \"pid\" },\n"
		     "\t\t\t{ \"type\": \"network\" },\n\t\t\t{ \"type\": \"ipc\" },\n"
		     "\t\t\t{ \"type\": \"uts\" },\n\t\t\t{ \"type\": \"mount\" },\n");
	buf_puts(&b, o->rootless ? "\t\t\t{ \"type\": \"user\" }\n"
				 : "\t\t\t{ \"type\": \"cgroup\" }\n");
	buf_puts(&b, "\t\t],\n\t\t\"maskedPaths\": ");
	str_array(&b, masked_paths, sizeof(masked_paths) / sizeof(masked_paths[0]));
	buf_puts(&b, ",\n\t\t\"readonlyPaths\": ");
	str_array(&b, readonly_paths, sizeof(readonly_paths) / sizeof(readonly_paths[0]));
	buf_puts(&b, "\n\t}\n}\n");
	return buf_steal(&b);
}
