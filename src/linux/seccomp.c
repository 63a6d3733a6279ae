/* seccomp.c - compiling linux.seccomp with libseccomp, loading it raw. */
#include "linux/seccomp.h"

#include <errno.h>
#include <stdlib.h>

int seccomp_prog_compile(const struct spec *s, struct seccomp_prog **ret, struct hako_err *err)
{
	*ret = NULL;
	if (!s->lnx.seccomp.present)
		return 0;
	return hako_fail(err, EOPNOTSUPP, "seccomp", NULL,
			 "linux.seccomp is not supported by this build yet");
}

int seccomp_prog_load(const struct seccomp_prog *p, struct hako_err *err)
{
	(void)p;
	(void)err;
	return 0;
}

void seccomp_prog_free(struct seccomp_prog *p)
{
	free(p);
}
