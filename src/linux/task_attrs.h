/* task_attrs.h - per-task kernel attributes from process and linux:
 * oomScoreAdj, scheduler, ioPriority, personality, memoryPolicy. */
#ifndef HAKO_LINUX_TASK_ATTRS_H
#define HAKO_LINUX_TASK_ATTRS_H

#include "spec/config.h"
#include "util/err.h"

/* In the init, while it still holds its capabilities (lowering
 * oom_score_adj needs CAP_SYS_RESOURCE, SCHED_FIFO needs CAP_SYS_NICE). */
int task_attrs_apply(const struct spec *s, struct hako_err *err);

#endif
