/* resources_json.h - an OCI LinuxResources object on its own, as `hako
 * update -r FILE` takes it (runc's update format). */
#ifndef HAKO_SPEC_RESOURCES_JSON_H
#define HAKO_SPEC_RESOURCES_JSON_H

#include "spec/config.h"
#include "util/err.h"

/* Parse `json` (a LinuxResources object) with the config loader's tables;
 * the result is a spec whose lnx.resources holds it.  Errors name the
 * element as linux.resources.<path>. */
int spec_load_resources(const char *json, struct spec **ret, struct hako_err *err);

#endif
