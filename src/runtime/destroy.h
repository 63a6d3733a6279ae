/* destroy.h - undoing what create made (runtime.md lifecycle step 12):
 * the processes left in the cgroup, the cgroup, poststop hooks, the
 * state directory.  Shared by `delete` and by `run` after the exit. */
#ifndef HAKO_RUNTIME_DESTROY_H
#define HAKO_RUNTIME_DESTROY_H

#include "linux/cgroup.h"
#include "runtime/state.h"
#include "spec/config.h"
#include "util/err.h"

/* poststop failures are warnings (runtime.md); the return value reports
 * what could not be removed. */
int container_destroy(struct container_state *st, struct cgroup *cg,
		      const struct spec_hooks *hooks, struct hako_err *err);

#endif
