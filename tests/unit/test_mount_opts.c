/* test_mount_opts.c - mount_opts_parse(): config.md's Linux mount options
 * into MS_* flags, propagation, recursive attributes and file-system data. */
#include <string.h>
#include <sys/mount.h>

#include "linux/mount.h"
#include "tap.h"

static struct mount_opts parse(const char *const *names, size_t n)
{
	struct strv v = { .v = (const char **)names, .n = n };
	struct mount_opts o;

	mount_opts_parse(&v, &o);
	return o;
}

#define PARSE(...)                                                                  \
	({                                                                          \
		static const char *const n_[] = { __VA_ARGS__ };                    \
		parse(n_, sizeof(n_) / sizeof(n_[0]));                              \
	})

TEST(flags)
{
	struct mount_opts o = PARSE("ro", "nosuid", "nodev", "noexec", "relatime", "nosymfollow");

	is_int(o.flags, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME | MS_NOSYMFOLLOW,
	       "ro,nosuid,nodev,noexec,relatime,nosymfollow set their MS_* flags");
	is_int(o.clear, 0, "and clear nothing");
	is_str(o.data, "", "no file-system data");

	o = PARSE("ro", "rw");
	ok(!(o.flags & MS_RDONLY) && (o.clear & MS_RDONLY), "ro then rw: the last one wins");
	o = PARSE("rw", "ro");
	ok((o.flags & MS_RDONLY) && !(o.clear & MS_RDONLY), "rw then ro: read-only");
	o = PARSE("suid", "dev", "exec", "atime", "diratime", "loud", "async");
	is_int(o.clear, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_SILENT |
				MS_SYNCHRONOUS,
	       "the positive forms clear the negative flags");
	o = PARSE("strictatime", "noatime", "nodiratime", "sync", "dirsync", "silent", "lazytime",
		  "iversion", "mand", "remount");
	is_int(o.flags, MS_STRICTATIME | MS_NOATIME | MS_NODIRATIME | MS_SYNCHRONOUS | MS_DIRSYNC |
				MS_SILENT | MS_LAZYTIME | MS_I_VERSION | MS_MANDLOCK | MS_REMOUNT,
	       "the rest of the MUST flags");
	o = PARSE("defaults");
	ok(o.flags == 0 && o.clear == 0 && !o.data[0], "defaults changes nothing");
	o = parse(NULL, 0);
	ok(o.flags == 0 && !o.bind && !o.propagation, "no options");
}

TEST(bind_and_propagation)
{
	struct mount_opts o = PARSE("bind");

	ok(o.bind && !o.rbind, "bind");
	o = PARSE("rbind", "rprivate");
	ok(o.bind && o.rbind, "rbind is a recursive bind");
	is_int(o.propagation, MS_PRIVATE | MS_REC, "rprivate");
	o = PARSE("shared", "slave");
	is_int(o.propagation, MS_SLAVE, "the last propagation wins");
	o = PARSE("runbindable");
	is_int(o.propagation, MS_UNBINDABLE | MS_REC, "runbindable");
	o = PARSE("rshared");
	is_int(o.propagation, MS_SHARED | MS_REC, "rshared");
	ok(!(o.flags & (MS_SHARED | MS_REC)), "propagation is not mixed into the mount flags");
}

TEST(recursive_and_special)
{
	struct mount_opts o = PARSE("rro", "rnosuid", "rnodev", "rnoexec", "rnosymfollow");

	is_int(o.rec_set,
	       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
		       MOUNT_ATTR_NOSYMFOLLOW,
	       "recursive options set MOUNT_ATTR_* (mount_setattr, 5.12)");
	is_int(o.flags, 0, "and no MS_* flag");
	o = PARSE("rro", "rrw");
	ok(!(o.rec_set & MOUNT_ATTR_RDONLY) && (o.rec_clr & MOUNT_ATTR_RDONLY),
	   "rro then rrw: cleared recursively");
	o = PARSE("rnoatime");
	is_int(o.rec_set, MOUNT_ATTR_NOATIME, "rnoatime");
	o = PARSE("rstrictatime");
	is_int(o.rec_set, MOUNT_ATTR_STRICTATIME, "rstrictatime");
	o = PARSE("rsuid", "rdev", "rexec", "rdiratime", "rsymfollow");
	is_int(o.rec_clr,
	       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME |
		       MOUNT_ATTR_NOSYMFOLLOW,
	       "the positive recursive forms clear");
	o = PARSE("idmap");
	ok(o.idmap && !o.ridmap, "idmap (not passed to mount(2))");
	o = PARSE("ridmap");
	ok(o.idmap && o.ridmap, "ridmap is a recursive idmap");
	o = PARSE("tmpcopyup");
	ok(o.tmpcopyup, "tmpcopyup");
	ok(!o.data[0], "special options are not file-system data");
}

TEST(data)
{
	struct mount_opts o = PARSE("nosuid", "mode=755", "size=65536k", "newinstance", "ro");

	is_str(o.data, "mode=755,size=65536k,newinstance",
	       "unknown options become comma-separated file-system data, in order");
	ok((o.flags & MS_NOSUID) && (o.flags & MS_RDONLY), "beside the known flags");
	ok(!o.data_too_long, "a short list fits");
}

/* mount(2) reads one page of data: a longer list must not be cut */
TEST(data_too_long)
{
	static char layer[1300];
	const char *v[4];
	struct strv sv = { .v = v, .n = 4 };
	struct mount_opts o;

	memset(layer, 'l', sizeof(layer) - 1);
	memcpy(layer, "lowerdir=", 9);
	v[0] = v[1] = v[2] = v[3] = layer;
	mount_opts_parse(&sv, &o);
	ok(o.data_too_long, "4 options of 1.3 KB do not fit in a page");
	ok(strlen(o.data) < sizeof(o.data), "and the data stays terminated");
	sv.n = 3;
	mount_opts_parse(&sv, &o);
	ok(!o.data_too_long && strlen(o.data) == 3 * 1299 + 2, "3 of them do, in full");
}

static const tap_test_fn tests[] = { flags, bind_and_propagation, recursive_and_special, data,
				     data_too_long, NULL };

int main(void)
{
	return tap_main(tests);
}
