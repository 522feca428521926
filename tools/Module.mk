# SPDX-License-Identifier: MIT
# tools/: helper programs for tests, the demo and benchmarks.  whc-gen is
# standalone (libc only): it writes the deterministic demo and bench data.

TOOLS += $(B)/whc-gen

$(B)/whc-gen: tools/whc-gen.c
	@mkdir -p $(@D)
	$(Q_LD)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lm
