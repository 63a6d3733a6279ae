/* test_spec_load.c - config.json parsing: types, paths in errors, defaults. */
#include <stdlib.h>

#include "spec/config.h"
#include "spec/names.h"
#include "tap.h"

static struct spec *load(const char *json, struct hako_err *err)
{
	struct spec *s = NULL;

	memset(err, 0, sizeof(*err));
	if (spec_load_string(json, "/bundle", &s, err) < 0)
		return NULL;
	return s;
}

TEST(minimal_config)
{
	struct hako_err err;
	struct spec *s = load("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"}}", &err);

	ok(s != NULL, "a minimal config loads");
	if (!s)
		return;
	is_str(s->oci_version, "1.0.2", "ociVersion is kept");
	is_str(s->rootfs, "/bundle/rootfs", "root.path is made absolute against the bundle");
	ok(!s->process.present, "no process is fine at load time");
	spec_free(s);
}

TEST(type_error_names_the_path)
{
	struct hako_err err;
	struct spec *s = load("{\"ociVersion\":\"1.0.0\",\"process\":{\"user\":{\"uid\":\"x\"}}}",
			      &err);

	ok(s == NULL, "a string uid is refused");
	like(err.msg, "process.user.uid: expected an unsigned 32-bit integer, got \"x\"",
	     "the error names the JSON path and the value");
	is_str(err.config, "process.user.uid", "the error carries the config path");
}

TEST(unknown_fields_are_ignored)
{
	struct hako_err err;
	struct spec *s = load("{\"ociVersion\":\"1.1.0\",\"futureThing\":{\"a\":1},"
			      "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"newField\":true}}",
			      &err);

	ok(s != NULL, "unknown keys do not fail the load (config.md: MUST ignore)");
	spec_free(s);
}

TEST(capabilities_by_name)
{
	struct hako_err err;
	struct spec *s = load("{\"ociVersion\":\"1.0.0\",\"process\":{\"capabilities\":{"
			      "\"bounding\":[\"CAP_IPC_LOCK\",\"CAP_KILL\"],\"ambient\":[]}}}",
			      &err);

	ok(s != NULL, "capability names load");
	if (!s)
		return;
	is_int(s->process.capabilities.set[CAPSET_BOUNDING],
	       (1ULL << cap_from_name("CAP_IPC_LOCK")) | (1ULL << cap_from_name("CAP_KILL")),
	       "bounding holds exactly the two");
	ok(s->process.capabilities.listed[CAPSET_AMBIENT], "an empty ambient list is listed");
	spec_free(s);
	s = load("{\"ociVersion\":\"1.0.0\",\"process\":{\"capabilities\":{"
		 "\"effective\":[\"CAP_IPC_LOK\"]}}}",
		 &err);
	ok(s == NULL, "a misspelt capability is an error");
	like(err.msg, "unknown capability \"CAP_IPC_LOK\" (did you mean CAP_IPC_LOCK?)",
	     "the error suggests the near name");
	is_str(err.config, "process.capabilities.effective[0]", "and points at the entry");
}

TEST(malformed_json)
{
	struct hako_err err;
	struct spec *s = load("{\"ociVersion\": \"1.0.0\",", &err);

	ok(s == NULL, "truncated JSON is refused");
	like(err.msg, "config.json is not valid JSON", "the error says the file is not JSON");
}

TEST(uint64_seccomp_values)
{
	struct hako_err err;
	struct spec *s = load("{\"ociVersion\":\"1.0.0\",\"linux\":{\"seccomp\":{"
			      "\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			      "[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{"
			      "\"index\":0,\"value\":18446744073709551615,\"op\":\"SCMP_CMP_EQ\"}]}]}}}",
			      &err);

	ok(s != NULL, "a seccomp profile loads");
	if (!s)
		return;
	ok(s->lnx.seccomp.syscalls[0].args[0].value == UINT64_MAX,
	   "a value above INT64_MAX survives");
	spec_free(s);
}

static const tap_test_fn tests[] = {
	minimal_config,	    type_error_names_the_path, unknown_fields_are_ignored,
	capabilities_by_name, malformed_json,	   uint64_seccomp_values,
	NULL,
};

int main(void)
{
	return tap_main(tests);
}
