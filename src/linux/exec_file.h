/* exec_file.h - what execve(2) does with a file before running it: a
 * script names its interpreter on its "#!" line, a dynamically linked ELF
 * program names its loader in PT_INTERP.  Read once, here, both to explain
 * a failed execve and to keep hako's own binary out of the container.
 */
#ifndef HAKO_LINUX_EXEC_FILE_H
#define HAKO_LINUX_EXEC_FILE_H

#include <stdbool.h>

enum exec_kind {
	EXEC_OTHER,  /* neither: a binfmt_misc format, or not executable */
	EXEC_SCRIPT, /* "#!" */
	EXEC_ELF,
};

struct exec_head {
	enum exec_kind kind;
	char interp[256]; /* the interpreter or loader; "" when none */
	bool crlf;        /* a "#!" line ending in "\r\n" (the kernel keeps the \r) */
};

/* 0, or -errno when the file cannot be opened or read. */
int exec_head_read(const char *path, struct exec_head *h);

#endif
