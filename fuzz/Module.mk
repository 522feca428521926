# SPDX-License-Identifier: MIT
# fuzz/: one fuzz target per parser (fuzz/fz_NAME.c), with its seed corpus
# in fuzz/corpus/NAME/ and the inputs that once crashed it in
# fuzz/regress/NAME/.  Every build links each target with fuzz/replay.c
# into $(B)/fuzz/replay-NAME (built with unit-tests), which
# tests/t0950-fuzz-regress.sh runs on both folders; `make fuzz` builds
# them with clang's libFuzzer into build-fuzz/fuzz/fuzz-NAME and runs each
# for FUZZ_SECONDS (fuzz/run.sh).

FUZZ_NAMES := csv config qn where surveymonkey smartsurvey qualtrics \
	limesurvey typeform
FUZZ_UTIL := $(B)/fuzz/fuzz_util.o
FUZZ_REPLAY := $(patsubst %,$(B)/fuzz/replay-%,$(FUZZ_NAMES))
FUZZ_BINS := $(patsubst %,$(B)/fuzz/fuzz-%,$(FUZZ_NAMES))

# The fuzz_util.c finds the demo definitions from here.
$(B)/fuzz/%.o: CPPFLAGS += -DFUZZ_SRC='"$(CURDIR)"'

.PHONY: fuzzers
unit-tests: $(FUZZ_REPLAY)
fuzzers: $(FUZZ_BINS)

$(B)/fuzz/replay-%: $(B)/fuzz/fz_%.o $(B)/fuzz/replay.o $(FUZZ_UTIL) \
    $(LIB_OBJS)
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(B)/fuzz/fuzz-%: $(B)/fuzz/fz_%.o $(FUZZ_UTIL) $(LIB_OBJS)
	$(Q_LD)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(ALL_LDLIBS)

# Keep the objects (make would delete them as intermediates).
.SECONDARY: $(patsubst %,$(B)/fuzz/fz_%.o,$(FUZZ_NAMES)) $(FUZZ_UTIL) \
	$(B)/fuzz/replay.o
