/* exec_file.c - the interpreter a file asks execve for, parsed as the
 * kernel does (fs/binfmt_script.c, fs/binfmt_elf.c). */
#include "linux/exec_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

/* binfmt_script: the interpreter is the first word after "#!" (blanks
 * skipped), within the first 256 bytes (BINPRM_BUF_SIZE). */
static void parse_script(const char *head, size_t n, struct exec_head *h)
{
	const char *line = head + 2, *end = memchr(head, '\n', n);
	size_t len;

	if (!end)
		end = head + n;
	h->crlf = end > line && end < head + n && end[-1] == '\r';
	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	len = strcspn(line, " \t\r\n");
	if (line + len > end)
		len = (size_t)(end - line);
	if (len >= sizeof(h->interp))
		len = sizeof(h->interp) - 1;
	memcpy(h->interp, line, len);
	h->interp[len] = '\0';
}

/* binfmt_elf: the PT_INTERP segment, a NUL-terminated path. */
static void parse_elf(int fd, const unsigned char *e, struct exec_head *h)
{
	bool is64 = e[4] == 2;
	unsigned char ph[56];
	uint64_t phoff;
	uint16_t phentsize, phnum;

	if (is64) {
		memcpy(&phoff, e + 32, 8);
		memcpy(&phentsize, e + 54, 2);
		memcpy(&phnum, e + 56, 2);
	} else {
		uint32_t off32;
		memcpy(&off32, e + 28, 4);
		phoff = off32;
		memcpy(&phentsize, e + 42, 2);
		memcpy(&phnum, e + 44, 2);
	}
	if (phentsize > sizeof(ph) || phentsize < (is64 ? 56 : 32))
		return;
	for (uint16_t i = 0; i < phnum && i < 64; i++) {
		uint32_t type;
		uint64_t off, len;
		if (pread(fd, ph, phentsize, (off_t)(phoff + (uint64_t)i * phentsize)) != phentsize)
			return;
		memcpy(&type, ph, 4);
		if (type != 3 /* PT_INTERP */)
			continue;
		if (is64) {
			memcpy(&off, ph + 8, 8);
			memcpy(&len, ph + 32, 8);
		} else {
			uint32_t o, l;
			memcpy(&o, ph + 4, 4);
			memcpy(&l, ph + 16, 4);
			off = o;
			len = l;
		}
		if (len == 0 || len >= sizeof(h->interp) ||
		    pread(fd, h->interp, len, (off_t)off) != (ssize_t)len) {
			h->interp[0] = '\0';
			return;
		}
		h->interp[len] = '\0';
		h->interp[strcspn(h->interp, "\n")] = '\0';
		return;
	}
}

int exec_head_read(const char *path, struct exec_head *h)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	unsigned char head[256];
	ssize_t n;

	*h = (struct exec_head){ .kind = EXEC_OTHER };
	if (fd < 0)
		return -errno;
	n = pread(fd, head, sizeof(head), 0);
	if (n < 0)
		return -errno;
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		h->kind = EXEC_SCRIPT;
		parse_script((const char *)head, (size_t)n, h);
	} else if (n >= 64 && !memcmp(head, "\177ELF", 4)) {
		h->kind = EXEC_ELF;
		parse_elf(fd, head, h);
	}
	return 0;
}
