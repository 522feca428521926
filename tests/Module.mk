# SPDX-License-Identifier: MIT
# tests/: builds $(B)/unit-tests, the C unit tests (tests/unit/), linked
# against the engine's objects.  The shell tests need no building;
# tests/run-all.sh runs both kinds (see `make check`).
#
# A new tests/unit/u_<module>.c goes in UNIT_SRCS, and each of its TEST()s in
# tests/unit/test_list.h; the link step refuses a TEST() that is not listed.

UNIT_SRCS := \
	tests/unit/runner.c \
	tests/unit/u_buf.c \
	tests/unit/u_diag.c \
	tests/unit/u_text.c \
	tests/unit/u_csv.c \
	tests/unit/u_sha256.c \
	tests/unit/u_config.c \
	tests/unit/u_strmap.c \
	tests/unit/u_suppress.c \
	tests/unit/u_stats.c \
	tests/unit/u_where.c \
	tests/unit/u_collect.c \
	tests/unit/u_qn.c

UNIT_OBJS += $(patsubst %.c,$(B)/%.o,$(UNIT_SRCS))

.PHONY: unit-tests
unit-tests: $(B)/unit-tests

$(B)/unit-tests: $(UNIT_OBJS) $(LIB_OBJS)
	@for t in $$(sed -n 's/^TEST(\([A-Za-z0-9_]*\)).*/\1/p' \
	    $(filter tests/unit/u_%.c,$(UNIT_SRCS))); do \
	    grep -q "X($$t)" tests/unit/test_list.h || { \
	    echo "tests/unit/test_list.h: TEST($$t) is not listed" >&2; \
	    exit 1; }; done
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# tests/shim/nocurl.c: an empty libcurl.so.4 (t1000: whc collect when
# libcurl cannot be used).
unit-tests: $(B)/nocurl/libcurl.so.4

$(B)/nocurl/libcurl.so.4: tests/shim/nocurl.c
	@mkdir -p $(@D)
	$(Q_LD)$(CC) -O2 -fPIC -shared -Wall -Wextra -Werror -o $@ $<

# tests/shim/iofail.so: the LD_PRELOAD shim of the I/O-fault tests
# (t5000).  Built plain, without the sanitizers, whatever the build.
unit-tests: $(B)/iofail.so

$(B)/iofail.so: tests/shim/iofail.c
	@mkdir -p $(@D)
	$(Q_LD)$(CC) -O2 -g -fPIC -shared -Wall -Wextra -Werror -o $@ $< -ldl
