/* fuzz_spec_load.c - libFuzzer target: config.json bytes into spec_load_string
 * and, when they load, spec_validate (for create and for start).
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
 *     -Db_lundef=false && ninja -C build-fuzz tests/fuzz/fuzz_spec_load
 *   build-fuzz/tests/fuzz/fuzz_spec_load -max_total_time=60 tests/fuzz/corpus
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/config.h"
#include "spec/validate.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	struct hako_err err;
	struct spec *s = NULL;
	char *text = malloc(size + 1);

	if (!quiet) {
		/* warnings of the validator would flood the fuzzer's output */
		log_setup("/dev/null", LOG_FORMAT_TEXT, false, NULL);
		quiet = true;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	if (spec_load_string(text, "/nonexistent-bundle", &s, &err) == 0) {
		struct validate_opts o = { .for_create = size % 2 };
		spec_validate(s, &o, &err);
		spec_free(s);
	}
	free(text);
	return 0;
}
