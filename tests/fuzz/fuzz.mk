# libFuzzer harnesses (tests/fuzz/*.c), built with clang; included from
# the top-level Makefile after CORE_SRC and WARN are set.
#
#	make fuzz		each harness for FUZZ_SECONDS (default 60)
#	make fuzz-smoke		each for FUZZ_SMOKE_SECONDS (20), for make check
#
# Harnesses: fuzz_parse (the parser chain, every forwarder format, with
# and without a sender's zone), fuzz_frame (the TCP frame splitter, all
# three framings), fuzz_kb (the KB parser and build), fuzz_import (the
# article importer, tools/imsdiag/kbimport*.c).
# Seeds, all committed: the parser corpus and the golden fixtures, one
# record per line, for fuzz_parse; tests/fuzz/seeds/frame for fuzz_frame;
# the shipped KB and tests/kb for fuzz_kb; tests/import for fuzz_import.  A crash input
# lands in $(FUZZ_B)/crash-<harness>-*; turn each into a named regression
# test (t_parse*.c, t_kb.c).  Without clang or libFuzzer both targets fail:
# `make deps` installs them, and a fuzz run that cannot run is no pass.

FUZZ_CC		?= clang
FUZZ_B		?= $(B)/fuzz
FUZZ_SECONDS	?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SAN	 = address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
FUZZ_CFLAGS	 = -std=c17 -D_DEFAULT_SOURCE -g -O1 -Isrc $(WARN) -MMD -MP
FUZZ_OBJ	 = $(patsubst %.c,$(FUZZ_B)/%.o,$(CORE_SRC))
# The importer's units (tools/imsdiag/kbimport*.c), linked by fuzz_import.
FUZZ_IMPORT_OBJ	 = $(patsubst %.c,$(FUZZ_B)/%.o,\
		   $(wildcard tools/imsdiag/kbimport*.c))
FUZZ_BIN	 = $(FUZZ_B)/fuzz_parse $(FUZZ_B)/fuzz_frame $(FUZZ_B)/fuzz_kb \
		   $(FUZZ_B)/fuzz_import
# Probe for libFuzzer only when a fuzz goal is asked for.
ifneq ($(filter fuzz fuzz-smoke,$(MAKECMDGOALS)),)
FUZZ_HAVE	:= $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, \
		   long n) { (void)d; (void)n; return 0; }' | $(FUZZ_CC) -x c \
		   -fsanitize=fuzzer -o /dev/null - 2>/dev/null && echo yes)
endif

.PHONY: fuzz fuzz-smoke fuzz-build

# The core is instrumented for coverage once; each harness links it.
$(FUZZ_B)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
	    -c -o $@ $<

$(FUZZ_B)/libcore.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
	    -c -o $@ $<

$(FUZZ_B)/fuzz_import: tests/fuzz/fuzz_import.c $(FUZZ_IMPORT_OBJ) \
    $(FUZZ_B)/libcore.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Itools/imsdiag -fsanitize=fuzzer,$(FUZZ_SAN) \
	    -o $@ $< $(FUZZ_IMPORT_OBJ) $(FUZZ_B)/libcore.a

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/libcore.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< \
	    $(FUZZ_B)/libcore.a

fuzz-build: $(FUZZ_BIN)

# $(call fuzz_run,SECONDS): every harness, one after the other.
define fuzz_run
	sh tests/fuzz/run.sh $(FUZZ_B)/fuzz_parse $(1) lines \
	    tests/fuzz/parse.dict tests/corpus/parse/*.in tests/golden/*.log
	sh tests/fuzz/run.sh $(FUZZ_B)/fuzz_frame $(1) files \
	    tests/fuzz/parse.dict tests/fuzz/seeds/frame
	sh tests/fuzz/run.sh $(FUZZ_B)/fuzz_kb $(1) kb \
	    tests/fuzz/kb.dict kb tests/kb/good tests/kb/lint tests/kb/mixed \
	    tests/kb/dup
	sh tests/fuzz/run.sh $(FUZZ_B)/fuzz_import $(1) files \
	    tests/fuzz/kb.dict tests/import
endef

ifeq ($(FUZZ_HAVE),yes)
fuzz: fuzz-build
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: fuzz-build
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))
else
fuzz fuzz-smoke:
	@echo "fuzz: $(FUZZ_CC) with libFuzzer not found (make deps installs clang)"
	@echo "fuzz: 0 passed, 1 failed"
	@false
endif

-include $(FUZZ_OBJ:.o=.d) $(FUZZ_IMPORT_OBJ:.o=.d)
