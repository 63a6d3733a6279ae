/* fixture.h - what the spec unit tests share: configs written with single
 * quotes (turned into JSON's double quotes), a temporary bundle with an
 * empty rootfs for the validator to stat, and the warnings hako logged.
 *
 *   fx_setup();                       once, in main()
 *   s = fx_load("{'ociVersion': '1.3.0'}", &err);
 *   r = fx_validate(json, false, &err);   load + spec_validate
 *   w = fx_warnings();                 logged since the last call (free it)
 */
#ifndef HAKO_TESTS_FIXTURE_H
#define HAKO_TESTS_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec/config.h"
#include "spec/validate.h"
#include "util/fs.h"
#include "util/log.h"

static char fx_bundle[64];
static char fx_rootfs[96];
static char fx_logfile[96];

static void fx_cleanup(void)
{
	if (fx_rootfs[0])
		rmdir(fx_rootfs);
	if (fx_logfile[0])
		unlink(fx_logfile);
	if (fx_bundle[0])
		rmdir(fx_bundle);
}

/* A bundle directory with rootfs/, removed at exit; warnings go to a file. */
static inline void fx_setup(void)
{
	snprintf(fx_bundle, sizeof(fx_bundle), "/tmp/hako-unit-XXXXXX");
	if (!mkdtemp(fx_bundle)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(fx_cleanup);
	snprintf(fx_rootfs, sizeof(fx_rootfs), "%s/rootfs", fx_bundle);
	snprintf(fx_logfile, sizeof(fx_logfile), "%s/log", fx_bundle);
	if (mkdir(fx_rootfs, 0755) < 0 ||
	    log_setup(fx_logfile, LOG_FORMAT_TEXT, false, NULL) < 0) {
		perror("fixture");
		exit(1);
	}
}

/* 'x' -> "x": JSON in C strings without a backslash on every quote. */
static inline char *fx_json(const char *sq)
{
	char *s = strdup(sq);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static inline struct spec *fx_load(const char *sq, struct hako_err *err)
{
	char *json = fx_json(sq);
	struct spec *s = NULL;

	memset(err, 0, sizeof(*err));
	if (spec_load_string(json, fx_bundle[0] ? fx_bundle : "/bundle", &s, err) < 0)
		s = NULL;
	free(json);
	return s;
}

/* Load and validate; the spec is freed.  < 0 with err filled on failure. */
static inline int fx_validate(const char *sq, bool for_create, struct hako_err *err)
{
	struct validate_opts o = { .for_create = for_create };
	struct spec *s = fx_load(sq, err);
	int r;

	if (!s)
		return -1;
	r = spec_validate(s, &o, err);
	spec_free(s);
	return r;
}

/* The log text written since the last call. */
static inline char *fx_warnings(void)
{
	char *text = NULL;

	if (read_file_at(AT_FDCWD, fx_logfile, &text, NULL, NULL) < 0)
		return strdup("");
	if (truncate(fx_logfile, 0) < 0)
		perror("truncate");
	return text;
}

#endif
