/* copy_tree.h - copying a directory tree between two fds (tmpcopyup). */
#ifndef HAKO_LINUX_COPY_TREE_H
#define HAKO_LINUX_COPY_TREE_H

#include "util/err.h"

/* Copy the contents of directory `from` into directory `to`: files,
 * directories, symlinks, fifos and device nodes, with their mode and
 * owner.  Symlinks are copied, never followed.  `what` names the
 * destination in errors. */
int copy_tree(int from, int to, const char *what, struct hako_err *err);

#endif
