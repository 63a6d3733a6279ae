/* userns.c - writing id maps. */
#include "linux/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/fs.h"

long long userns_host_id(const struct spec_idmap *maps, size_t n, unsigned id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= maps[i].container_id && id - maps[i].container_id < maps[i].size)
			return (long long)maps[i].host_id + (id - maps[i].container_id);
	return -1;
}

static int write_map(pid_t pid, const char *file, const struct spec_idmap *maps, size_t n,
		     const char *config, struct hako_err *err)
{
	_cleanup_buf_ struct buf b = { 0 };
	char path[64], step[32];
	int r;

	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%u %u %u\n", maps[i].container_id, maps[i].host_id, maps[i].size);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	r = write_file_at(AT_FDCWD, path, b.p, b.len, 0, 0, err);
	if (r < 0) {
		snprintf(step, sizeof(step), "write %s", file);
		int e = err->errnum;
		hako_fail(err, e, step, path, "cannot write the %s of the container's user namespace",
			  file);
		hako_err_config(err, "%s", config);
	}
	return r;
}

int userns_write_maps(pid_t pid, const struct spec *s, struct hako_err *err)
{
	int r = write_map(pid, "gid_map", s->lnx.gid_mappings, s->lnx.n_gid_mappings,
			  "linux.gidMappings", err);

	if (r < 0)
		return r;
	return write_map(pid, "uid_map", s->lnx.uid_mappings, s->lnx.n_uid_mappings,
			 "linux.uidMappings", err);
}
