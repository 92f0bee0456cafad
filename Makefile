# wirelab — build, run and test the lessons.
#
#   make                 build everything into build/
#   make lesson-3        build, then run lesson 03 on PORT (8080) [VARIANT=name]
#   make test            install missing Debian packages (as root), then the whole suite
#   make SAN=1 test      the same suite on an ASan + UBSan build (build-san/)
#   make CC=clang        any C11 compiler; -Werror either way
#   make clean

SAN      ?=
PORT     ?= 8080
VARIANT  ?=
PYTHON   ?= /usr/bin/python3

ifeq ($(FUZZ),1)
# libFuzzer: clang only; common/ instrumented, targets linked with the fuzzer's main.
CC       := clang
BUILD    ?= build-fuzz
OPT      := -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer
else ifeq ($(SAN),1)
BUILD    ?= build-san
OPT      := -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
BUILD    ?= build
OPT      := -O2
endif

# Libraries, found with pkg-config (tools/deps.sh installs them): what common/ and the
# lessons link, what the lab shell adds, what the unit tests add.
LIB_PKGS  := zlib libmagic libmd jansson
TOOL_PKGS := readline
TEST_PKGS := cmocka
pkg_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pkg_libs   = $(shell pkg-config --libs $(1) 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wsign-compare -Wformat=2 -Wvla
CFLAGS   ?=
CFLAGS   += -std=gnu11 -D_GNU_SOURCE -g $(OPT) $(WARN) -pthread -MMD -MP -iquote common
LDFLAGS  += $(filter -fsanitize%,$(OPT)) -pthread
CFLAGS   += $(call pkg_cflags,$(LIB_PKGS))
LDLIBS   := $(call pkg_libs,$(LIB_PKGS))

COMMON_SRC  := $(wildcard common/*.c)
COMMON_OBJ  := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
LIB         := $(BUILD)/lib/libcommon.a

# lessons/NN-slug/server.c -> $(BUILD)/bin/lesson-NN
LESSON_DIRS := $(wildcard lessons/[0-9][0-9]-*)
lesson_num   = $(firstword $(subst -, ,$(notdir $(1))))
LESSON_BINS := $(foreach d,$(LESSON_DIRS),$(BUILD)/bin/lesson-$(call lesson_num,$(d)))

# tools/*.c -> $(BUILD)/bin/lab, the readline shell.
TOOL_SRC    := $(wildcard tools/*.c)
TOOL_OBJ    := $(TOOL_SRC:%.c=$(BUILD)/obj/%.o)
LAB         := $(if $(TOOL_SRC),$(BUILD)/bin/lab)

# tests/fuzz/fuzz_*.c -> build-fuzz/fuzz/fuzz_* (make FUZZ=1 fuzzers)
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS   := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all lab test deps clean compdb fuzz fuzzers bench
# Unit-test objects are intermediates make would delete; keep them for -MMD.
.SECONDARY:
all: $(LIB) $(LESSON_BINS) $(LAB) $(UNIT_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# One rule per lesson, so each binary knows its own folder (its public/ and name).
define lesson_rule
$(BUILD)/bin/lesson-$(call lesson_num,$(1)): $(BUILD)/obj/$(1)/server.o $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$< $(LIB) $$(LDLIBS)
$(BUILD)/obj/$(1)/server.o: CFLAGS += -DLESSON_DIR='"$(abspath $(1))"'
endef
$(foreach d,$(LESSON_DIRS),$(eval $(call lesson_rule,$(d))))

$(BUILD)/bin/lab: $(TOOL_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LIB) $(LDLIBS) $(call pkg_libs,$(TOOL_PKGS))
$(BUILD)/obj/tools/%.o: CFLAGS += $(call pkg_cflags,$(TOOL_PKGS)) -DWIRELAB_ROOT='"$(abspath .)"'
# lab check builds a student's server.c as the lessons are built here.
$(BUILD)/obj/tools/check.o: CFLAGS += -DLAB_CC='"$(CC)"' \
	-DLAB_CFLAGS='"-std=gnu11 -D_GNU_SOURCE -g $(OPT) $(WARN) -pthread $(call pkg_cflags,$(LIB_PKGS))"' \
	-DLAB_LIBS='"$(filter -fsanitize%,$(OPT)) -pthread $(LDLIBS)"'

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(call pkg_libs,$(TEST_PKGS))
$(BUILD)/obj/tests/unit/%.o: CFLAGS += $(call pkg_cflags,$(TEST_PKGS))

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)
fuzzers: $(FUZZ_BINS)

# make fuzz: every fuzz target for FUZZ_SECONDS (default 180) each.
FUZZ_SECONDS ?= 180
fuzz: deps
	@$(MAKE) --no-print-directory -j2 FUZZ=1 fuzzers
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# make bench: speed, latency and memory against nginx and Python (not part of test).
bench: deps
	@$(MAKE) --no-print-directory -j2 all
	@tests/bench/run.sh

# make lesson-3, make lesson-03: build, then serve in the foreground.
lesson-%: all
	@n=$(if $(filter 1 2 3 4 5 6 7 8 9,$*),0$*,$*); \
	 test -x $(BUILD)/bin/lesson-$$n || { echo "no lesson $* (lessons: $(notdir $(LESSON_DIRS)))" >&2; exit 2; }; \
	 exec $(BUILD)/bin/lesson-$$n --port $(PORT) $(if $(VARIANT),--variant $(VARIANT))

# make lab: packages, build, then the interactive shell.
lab: deps
	@$(MAKE) --no-print-directory -j2 all
	@exec $(BUILD)/bin/lab

deps:
	@tools/deps.sh

# The suite runs on the normal build and on the ASan + UBSan build (only the latter
# with SAN=1), after a clang build; it ends with "N passed, N failed, N skipped".
SUITE_BUILDS := $(if $(filter 1,$(SAN)),build-san,build build-san)
test: deps
	@$(MAKE) --no-print-directory -j2 all
	@$(MAKE) --no-print-directory -j2 SAN=1 all
	@$(MAKE) --no-print-directory -j2 FUZZ=1 fuzzers
	@WIRELAB_BUILDS="$(SUITE_BUILDS)" PYTHON=$(PYTHON) tests/run.sh

compdb:
	bear -- $(MAKE) -B all

clean:
	rm -rf build build-san build-clang build-fuzz compile_commands.json

-include $(wildcard $(BUILD)/obj/common/*.d $(BUILD)/obj/lessons/*/*.d $(BUILD)/obj/tools/*.d \
                   $(BUILD)/obj/tests/unit/*.d $(BUILD)/obj/tests/fuzz/*.d)
