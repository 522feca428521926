# SPDX-License-Identifier: MIT
# whc: one non-recursive GNU Makefile.  Each module lists its objects in its
# own Module.mk; this file holds the flags, the rules and the targets.
#
#   make            build ./whc (and the tools the tests need)
#   make check      install what is missing, build, run every test
#   make demo       install what is missing, build, run the demo pipeline
#   make bench      benchmarks (1,000,000 responses; takes minutes)
#   make asan       build with ASan + UBSan into build-asan/ and run the tests
#   make fuzz       build the libFuzzer targets (clang) into build-fuzz/ and
#                   run each for FUZZ_SECONDS (default 60)
#   make valgrind   the unit tests and a subset of the end-to-end tests with
#                   whc under valgrind memcheck (VALGRIND_TESTS=tNNNN...)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION  := 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/whc
MANDIR   ?= $(PREFIX)/share/man

PKGS     := libcurl libcjson libpcre2-8 sqlite3 zlib
WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wvla -Wpointer-arith \
            -Wno-format-nonliteral
ifneq ($(WERROR),0)
WARN     += -Werror
endif

B        ?= build
CFLAGS   ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl's headers are used, but whc is not linked with it: the collector
# loads it when it first needs it (collector/collect_curl.c), so that the
# other commands do not pay for its thirty-odd libraries at every start.
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)) \
            2>/dev/null)
CURL_SONAME ?= libcurl.so.4
ALL_CPPFLAGS = -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DPCRE2_CODE_UNIT_WIDTH=8 -DWHC_VERSION='"$(VERSION)"' \
            -DWHC_DATADIR='"$(DATADIR)"' $(CPPFLAGS)
ALL_CFLAGS = -std=c99 $(WARN) $(PKG_CFLAGS) -pthread -include common/banned.h \
            $(CFLAGS)
ALL_LDLIBS = $(PKG_LIBS) -lm -ldl -pthread $(LDLIBS)

ifneq ($(V),1)
Q_CC = @echo '   CC ' $@;
Q_LD = @echo '   LD ' $@;
endif

# Objects of the engine (everything but cli/main.o), appended by modules.
LIB_OBJS :=
CLI_OBJS :=
TOOLS    :=
UNIT_OBJS :=

include common/Module.mk
include questionnaires/Module.mk
include collector/Module.mk
include scorer/Module.mk
include reports/Module.mk
include cli/Module.mk
-include tools/Module.mk
-include tests/Module.mk
-include fuzz/Module.mk

.PHONY: all check check-unit check-e2e demo bench asan clean install \
	deps check-headers check-deps fuzz valgrind
.DEFAULT_GOAL := all

all: whc $(TOOLS)

whc: $(B)/whc
	@ln -sf $(B)/whc whc

$(B)/whc: $(CLI_OBJS) $(LIB_OBJS)
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Installs the Debian packages that are missing (no-op when all are there).
deps:
	@scripts/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory all unit-tests
	@tests/run-all.sh $(B)

check-unit: all unit-tests
	@tests/run-all.sh $(B) unit

check-e2e: all
	@tests/run-all.sh $(B) e2e

demo: deps
	@$(MAKE) --no-print-directory all
	@demo/run.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench.sh $(B)

asan:
	@$(MAKE) --no-print-directory B=build-asan \
	    CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined' all unit-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    WHC_SANITIZED=1 tests/run-all.sh build-asan

valgrind:
	@$(MAKE) --no-print-directory all unit-tests
	@tests/valgrind.sh $(B) $(VALGRIND_TESTS)

FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all
fuzz:
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang \
	    CFLAGS='$(FUZZ_CFLAGS)' LDFLAGS='-fsanitize=address,undefined' \
	    fuzzers
	@fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check-headers:
	@for h in $$(git ls-files '*.h' | grep -v banned.h); do \
	    echo "#include \"$$h\"" | $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) \
	        -x c -fsyntax-only - || exit 1; done; echo "headers ok"

# Only collector/ may include curl, only collector/ and questionnaires/
# cJSON, only common/store*.c sqlite3, and only cli/ may call exit().
check-deps:
	@! git grep -l 'include <curl/' -- '*.c' '*.h' | grep -v '^collector/' && \
	! git grep -l 'include <cjson/' -- '*.c' '*.h' | grep -vE '^(collector|questionnaires)/' && \
	! git grep -l 'include <sqlite3.h>' -- '*.c' '*.h' | grep -vE '^(common/store|tools/)' && \
	! git grep -lE '\bexit\(' -- '*.c' | grep -vE '^(cli|tools|tests)/' && \
	echo "dependency rules ok"

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/questionnaires
	install -m 755 $(B)/whc $(DESTDIR)$(BINDIR)/whc
	install -m 644 questionnaires/defs/*.json $(DESTDIR)$(DATADIR)/questionnaires/

clean:
	rm -rf build build-asan build-fuzz whc
