/* hooks.h - running config.json hooks (runtime.md "Lifecycle", config.md
 * "POSIX-platform Hooks"): in order, the container state as JSON on stdin,
 * killed after `timeout` seconds. */
#ifndef HAKO_RUNTIME_HOOKS_H
#define HAKO_RUNTIME_HOOKS_H

#include "spec/config.h"
#include "util/err.h"

/* Stops at the first failing hook and says which. */
int hooks_run(const struct spec_hooks *hooks, enum hook_kind kind, const char *state_json,
	      struct hako_err *err);

/* Every hook of `kind`, a failure being a warning only (poststop:
 * "the remaining hooks and lifecycle continue"). */
void hooks_run_warn(const struct spec_hooks *hooks, enum hook_kind kind, const char *state_json);

#endif
