/* resources_json.c - reading a LinuxResources object alone (hako update -r). */
#include "spec/resources_json.h"

#include <stdio.h>
#include <stdlib.h>

#include "spec/json.h"
#include "util/buf.h"
#include "util/cleanup.h"

int spec_load_resources(const char *json, struct spec **ret, struct hako_err *err)
{
	_cleanup_free_ char *wrapped = NULL;
	yajl_val tree = NULL;
	bool object;
	int r;

	/* parsed alone first: a syntax error then points into the user's
	 * text, not into the wrapper below */
	r = json_parse(json, "resources", &tree, err);
	if (r < 0)
		return r;
	object = YAJL_IS_OBJECT(tree);
	yajl_tree_free(tree);
	if (!object)
		return hako_fail_config(err, "linux.resources",
					"the resources must be a JSON object (a runtime-spec "
					"LinuxResources, as in config.json's linux.resources)");
	/* the same tables as config.json, so the same checks and messages */
	wrapped = xasprintf("{\"ociVersion\":\"1.3.0\",\"linux\":{\"resources\":%s}}", json);
	return spec_load_string(wrapped, NULL, ret, err);
}
