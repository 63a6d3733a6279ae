# A thin wrapper over meson, so the usual commands work.
#
#   make            build into build/
#   make check      unit and integration tests, then the same under ASan/UBSan
#   make install    install to PREFIX (default /usr/local)

PREFIX ?= /usr/local
MESON ?= meson

.PHONY: all check check-fast check-asan install clean

all: build/build.ninja
	ninja -C build

build/build.ninja:
	$(MESON) setup build --prefix=$(PREFIX)

build-asan/build.ninja:
	$(MESON) setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug

check: check-fast check-asan

check-fast: all
	$(MESON) test -C build --print-errorlogs --num-processes 4

check-asan: build-asan/build.ninja
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MESON) test -C build-asan --print-errorlogs --num-processes 4

install: all
	$(MESON) install -C build

clean:
	rm -rf build build-asan
