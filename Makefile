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

# AddressSanitizer + UndefinedBehaviorSanitizer: make SAN=1 builds with them, and lab check
# builds a student's server with them (tools/check/build.c) unless given --no-sanitize.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

ifeq ($(FUZZ),1)
# libFuzzer: clang only; common/ instrumented, targets linked with the fuzzer's main.
CC       := clang
BUILD    ?= build-fuzz
OPT      := -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer
else ifeq ($(SAN),1)
BUILD    ?= build-san
OPT      := -O1 $(SANITIZE)
else
BUILD    ?= build
OPT      := -O2
endif

# Libraries, found with pkg-config (tools/scripts/deps.sh installs them): what common/ and the
# lessons link, what the lab shell adds, what the unit tests add.
LIB_PKGS  := zlib libmagic libmd jansson
TOOL_PKGS := readline
TEST_PKGS := cmocka
pkg_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pkg_libs   = $(shell pkg-config --libs $(1) 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wsign-compare -Wformat=2 -Wvla
CFLAGS   ?=
CFLAGS   += -std=gnu11 -D_GNU_SOURCE -g $(OPT) $(WARN) -pthread -MMD -MP
LDFLAGS  += $(filter -fsanitize%,$(OPT)) -pthread
CFLAGS   += $(call pkg_cflags,$(LIB_PKGS))
LDLIBS   := $(call pkg_libs,$(LIB_PKGS))

# common/ is three layers, each its own archive; a layer sees only its own headers and
# those of the layers below it, so an include that points up fails to compile (and
# tests/check_layers.sh says which). Everything above common/ sees all three.
#   http    pure protocol, libc only        server  sockets and the engine
#   lesson  what the lesson servers share
LAYERS      := http server lesson
layer_inc    = $(foreach l,$(1),-iquote common/$(l))
LAYER_LIBS  := $(foreach l,lesson server http,$(BUILD)/lib/lib$(l).a)
COMMON_INC  := $(call layer_inc,$(LAYERS))
COMMON_OBJ  :=
define layer_rule
$(1)_OBJ := $$(patsubst %.c,$$(BUILD)/obj/%.o,$$(wildcard common/$(1)/*.c))
COMMON_OBJ += $$($(1)_OBJ)
$$($(1)_OBJ): CFLAGS += $(call layer_inc,$(2))
$$(BUILD)/lib/lib$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	$$(AR) rcs $$@ $$^
endef
$(eval $(call layer_rule,http,http))
$(eval $(call layer_rule,server,http server))
$(eval $(call layer_rule,lesson,http server lesson))

# lessons/NN-slug/server.c -> $(BUILD)/bin/lesson-NN
LESSON_DIRS := $(wildcard lessons/[0-9][0-9]-*)
lesson_num   = $(firstword $(subst -, ,$(notdir $(1))))
LESSON_BINS := $(foreach d,$(LESSON_DIRS),$(BUILD)/bin/lesson-$(call lesson_num,$(d)))

# tools/{lab,check,util}/*.c -> $(BUILD)/bin/lab, the readline shell. Like common/, tools/
# is layered, and each folder sees only what it may use: util (child processes, the
# lessons' catalog, the lab's state) only common/; check (exercise, check, watch) util
# too; lab (the shell and its commands) everything.
TOOL_DIRS   := tools/lab tools/check tools/util
TOOL_SRC    := $(wildcard $(addsuffix /*.c,$(TOOL_DIRS)))
TOOL_OBJ    := $(TOOL_SRC:%.c=$(BUILD)/obj/%.o)
tool_inc     = $(foreach d,$(1),-iquote tools/$(d))
TOOL_INC    := $(call tool_inc,lab check util)
LAB         := $(if $(TOOL_SRC),$(BUILD)/bin/lab)
# Everything of the lab but its main, for the unit tests of its modules.
TOOLS_LIB   := $(BUILD)/lib/libtools.a
TOOL_MAIN   := $(BUILD)/obj/tools/lab/main.o

# tests/fuzz/fuzz_*.c -> build-fuzz/fuzz/fuzz_* (make FUZZ=1 fuzzers)
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS   := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all lab test deps clean compdb fuzz fuzzers bench
# Unit-test objects are intermediates make would delete; keep them for -MMD.
.SECONDARY:
all: $(LAYER_LIBS) $(LESSON_BINS) $(LAB) $(UNIT_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# One rule per lesson, so each binary knows its own folder (its public/ and name).
define lesson_rule
$(BUILD)/bin/lesson-$(call lesson_num,$(1)): $(BUILD)/obj/$(1)/server.o $(LAYER_LIBS)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$< $(LAYER_LIBS) $$(LDLIBS)
$(BUILD)/obj/$(1)/server.o: CFLAGS += $(COMMON_INC) -DLESSON_DIR='"$(abspath $(1))"'
endef
$(foreach d,$(LESSON_DIRS),$(eval $(call lesson_rule,$(d))))

$(BUILD)/bin/lab: $(TOOL_OBJ) $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LAYER_LIBS) $(LDLIBS) $(call pkg_libs,$(TOOL_PKGS))
$(TOOLS_LIB): $(filter-out $(TOOL_MAIN),$(TOOL_OBJ))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
$(BUILD)/obj/tools/%.o: CFLAGS += $(COMMON_INC) $(call pkg_cflags,$(TOOL_PKGS)) \
	-DWIRELAB_ROOT='"$(abspath .)"'
$(BUILD)/obj/tools/util/%.o: CFLAGS += $(call tool_inc,util)
$(BUILD)/obj/tools/check/%.o: CFLAGS += $(call tool_inc,check util)
$(BUILD)/obj/tools/lab/%.o: CFLAGS += $(TOOL_INC)
# lab check builds a student's server.c as the lessons are built here.
$(BUILD)/obj/tools/check/build.o: CFLAGS += -DLAB_CC='"$(CC)"' \
	-DLAB_CFLAGS='"-std=gnu11 -D_GNU_SOURCE -g $(OPT) $(WARN) -pthread $(call pkg_cflags,$(LIB_PKGS))"' \
	-DLAB_LIBS='"$(filter -fsanitize%,$(OPT)) -pthread $(LDLIBS)"' -DLAB_SANITIZE='"$(SANITIZE)"'

# The unit tests see tools/ too: the lab's pure modules have tests of their own.
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TOOLS_LIB) $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(TOOLS_LIB) $(LAYER_LIBS) $(LDLIBS) \
		$(call pkg_libs,$(TEST_PKGS) $(TOOL_PKGS))
$(BUILD)/obj/tests/unit/%.o: CFLAGS += $(COMMON_INC) $(TOOL_INC) $(call pkg_cflags,$(TEST_PKGS))

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(LAYER_LIBS) $(LDLIBS)
$(BUILD)/obj/tests/fuzz/%.o: CFLAGS += $(COMMON_INC)
# fuzz_client: the lab's response parser, outside common/'s archives, linked in alone.
$(BUILD)/fuzz/fuzz_client: $(BUILD)/obj/tools/util/client.o
$(BUILD)/obj/tests/fuzz/fuzz_client.o: CFLAGS += $(call tool_inc,util)
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
# Ctrl-C reaches make and the server at once. If the server were make's child (exec) and
# exited at once, make's own SIGINT handler could look for a child make had just reaped,
# and say "make: *** wait: No child processes.  Stop." So the recipe's shell stays between
# them, deaf to SIGINT (the server gets it: the subshell restores it before exec), and
# exits only after the server has, by which time make is already waiting for it.
lesson-%: all
	@n=$(if $(filter 1 2 3 4 5 6 7 8 9,$*),0$*,$*); \
	 test -x $(BUILD)/bin/lesson-$$n || { echo "no lesson $* (lessons: $(notdir $(LESSON_DIRS)))" >&2; exit 2; }; \
	 trap '' INT; \
	 (trap - INT; exec $(BUILD)/bin/lesson-$$n --port $(PORT) $(if $(VARIANT),--variant $(VARIANT))); \
	 rc=$$?; sleep 0.2; exit $$rc

# make lab: packages, build, then the interactive shell.
lab: deps
	@$(MAKE) --no-print-directory -j2 all
	@exec $(BUILD)/bin/lab

deps:
	@tools/scripts/deps.sh

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

# ---- Module exercises: lab check MODULE (tools/check/module.c) --------------------------
# lab check runs `make -s -C ROOT MOD=… TARGET` for each step, with
#   MOD_SRC    the student's module (workspace/modules/url.c)
#   MOD_REF    the reference it replaces (common/http/url.c)
#   MOD_TEST   the module's unit test (tests/unit/test_url.c)
#   MOD_OUT    the folder the builds go to (workspace/.build/modules/url)
#   MOD_BUILD  the build the lab belongs to, whose archives are linked as they are (never
#              rebuilt here: the lab's own build flags made them)
# Everything of the student's is built with ASan + UBSan. The student's object comes before
# the archives, so the linker takes its symbols and never pulls the reference's member.
# The differential fuzzer links the reference too, its global symbols renamed ref_NAME.
ifdef MOD
MOD_WARN   := $(filter-out -Werror,$(WARN))
MOD_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 $(MOD_WARN) -pthread $(SANITIZE) $(COMMON_INC) \
              $(call pkg_cflags,$(LIB_PKGS))
MOD_LIBS   := $(foreach l,lesson server http,$(MOD_BUILD)/lib/lib$(l).a)
MOD_FUZZ   := clang -std=gnu11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
              -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
              $(COMMON_INC) -iquote tests/fuzz
MOD_SAN_C  := tools/check/student/sanitize.c -DSTUDENT_SOURCE='"$(MOD_SRC)"'
.PHONY: module-units module-diff
module-units: $(MOD_OUT)/units
module-diff: $(MOD_OUT)/diff
module-lesson-%: $(MOD_OUT)/lesson-%
	@:
$(MOD_OUT)/student.o: $(MOD_SRC)
	@mkdir -p $(@D)
	$(CC) $(MOD_CFLAGS) -c -o $@ $<
$(MOD_OUT)/units: $(MOD_TEST) $(MOD_OUT)/student.o
	$(CC) $(MOD_CFLAGS) $(TOOL_INC) $(call pkg_cflags,$(TEST_PKGS)) -o $@ $^ $(MOD_SAN_C) \
		$(MOD_BUILD)/lib/libtools.a $(MOD_LIBS) $(LDLIBS) \
		$(call pkg_libs,$(TEST_PKGS) $(TOOL_PKGS))
$(MOD_OUT)/fuzz-student.o: $(MOD_SRC)
	@mkdir -p $(@D)
	$(MOD_FUZZ) -w -c -o $@ $<
$(MOD_OUT)/fuzz-ref.o: $(MOD_REF)
	@mkdir -p $(@D)
	$(MOD_FUZZ) -c -o $@.tmp $<
	nm -g --defined-only $@.tmp | awk '$$3 !~ /^__/ { print $$3 " ref_" $$3 }' >$@.syms
	objcopy --redefine-syms=$@.syms $@.tmp $@
$(MOD_OUT)/diff: tests/fuzz/diff/diff_$(MOD).c tests/fuzz/diff/diff.h $(MOD_OUT)/fuzz-student.o \
		$(MOD_OUT)/fuzz-ref.o
	$(MOD_FUZZ) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^) $(MOD_BUILD)/lib/libhttp.a $(LDLIBS)
# lessons/NN-slug/server.c, the reference, with the student's module.
$(MOD_OUT)/lesson-%: $(MOD_OUT)/student.o
	$(CC) $(MOD_CFLAGS) -DLESSON_DIR='"$(abspath $(wildcard lessons/$*-*))"' -o $@ \
		$(wildcard lessons/$*-*)/server.c $< $(MOD_SAN_C) $(MOD_LIBS) $(LDLIBS)
endif

-include $(wildcard $(BUILD)/obj/common/*/*.d $(BUILD)/obj/lessons/*/*.d $(BUILD)/obj/tools/*/*.d \
                   $(BUILD)/obj/tests/unit/*.d $(BUILD)/obj/tests/fuzz/*.d)
