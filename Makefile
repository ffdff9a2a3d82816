# kbsim: one non-recursive GNU Makefile.
#
#   make            build ./kbsim
#   make run        install missing packages, build, run the default scenario
#   make test       install missing packages, build and run every test (prove)
#   make test-asan  the same tests under AddressSanitizer + UBSan
#   make bench      build and run the benchmarks (never part of make test)
#   make deps       install the Debian packages the build and tests need
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#
# V=1 shows full commands.

PKGS      := glib-2.0 gsl yaml-0.1 cairo pangocairo json-glib-1.0
PREFIX    ?= /usr/local
BINDIR    := $(PREFIX)/bin
DATADIR   := $(PREFIX)/share/kbsim
VERSION   := 0.1.0

CC        ?= cc
OPT       ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Werror -Wmissing-prototypes
SANITIZE  :=
BUILD     := build

ifeq ($(SANITIZE),1)
BUILD     := build-asan
OPT       := -O1 -g -fno-omit-frame-pointer
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all
endif

# make fuzz builds the libFuzzer harnesses with clang in build-fuzz/.
ifeq ($(FUZZ),1)
BUILD     := build-fuzz
CC        := clang
OPT       := -O1 -g -fno-omit-frame-pointer
SANFLAGS  := -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=all
# clang also flags the { 0 } and { LAST } sentinels gcc accepts
WARN      += -Wno-missing-field-initializers
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Open MPI (libopenmpi-dev) when it is there: the one kbsim then also runs
# under mpirun (experiments/ranks.h); without it kbsim builds alone and
# refuses to be started as several ranks. MPI=0 builds without it.
MPI       ?= $(shell pkg-config --exists ompi-c 2>/dev/null && echo 1)
ifeq ($(MPI),1)
PKG_CFLAGS += $(shell pkg-config --cflags ompi-c) -DKBSIM_HAVE_MPI
PKG_LIBS   += $(shell pkg-config --libs ompi-c)
endif

ALL_CFLAGS := $(WARN) $(OPT) $(SANFLAGS) -D_POSIX_C_SOURCE=200809L \
              -DKBSIM_VERSION='"$(VERSION)"' \
              -DKBSIM_DATADIR='"$(CURDIR)/scenarios"' \
              -DKBSIM_INSTALL_DATADIR='"$(DATADIR)"' -I. $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)
LIBS       := $(PKG_LIBS) -lm

ifneq ($(V),1)
Q  := @
QCC = @echo '  CC      $@';
QLD = @echo '  LINK    $@';
QAR = @echo '  AR      $@';
endif

# Everything but main() goes into the library that the program, the tests
# and the benchmarks link.
LIB_SRC := $(wildcard sim/*.c models/*.c scenarios/*.c reports/*.c \
                      experiments/*.c cmd/*.c)
LIB_SRC := $(filter-out cmd/kbsim.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libkbsim.a

TEST_SRC   := $(wildcard tests/test-*.c)
TEST_BIN   := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC  := $(wildcard tests/bench-*.c)
BENCH_BIN  := $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)
PROG       := $(if $(filter 1,$(SANITIZE)),$(BUILD)/kbsim,kbsim)

.SECONDARY:

.PHONY: valgrind all run test test-asan bench deps ensure-deps install clean \
        check-tests fuzz fuzz-build

all: $(PROG)

# A recorded-flags file: changing compiler or flags rebuilds everything.
$(BUILD)/FLAGS: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/FLAGS
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(QAR)rm -f $@ && ar rcs $@ $^

$(PROG): $(BUILD)/cmd/kbsim.o $(LIB)
	$(QLD)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

TEST_SUPPORT := $(BUILD)/tests/support/testutil.o \
                $(BUILD)/tests/support/fuzz-targets.o

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_SUPPORT) $(LIB)
	$(QLD)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- set-up --------------------------------------------------------------
# make run and make test install what is missing first; an installed machine
# pays one pkg-config call.
deps:
	@build-aux/install-deps.sh

ensure-deps:
	@build-aux/install-deps.sh --check-only >/dev/null 2>&1 || \
	    build-aux/install-deps.sh

# ---- main job --------------------------------------------------------------
RUN_SCENARIO ?= scenarios/demo.yaml

run: ensure-deps
	@$(MAKE) --no-print-directory kbsim
	./kbsim run $(RUN_SCENARIO)

# ---- tests -------------------------------------------------------------------
# Each test binary runs under a timeout, so that a hang fails the run
# instead of blocking it (seconds; ASan builds are slower).
TEST_TIMEOUT ?= 300
PROVE := prove --exec 'timeout -k 10 $(TEST_TIMEOUT)' --timer
TEST_ENV := G_TEST_SRCDIR=$(CURDIR)/tests G_TEST_BUILDDIR=$(CURDIR)/tests \
            KBSIM=$(CURDIR)/$(PROG) LC_ALL=C.UTF-8
ASAN_ENV := ASAN_OPTIONS=abort_on_error=0:halt_on_error=1:detect_leaks=1:exitcode=23 \
            LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

test: ensure-deps
	@$(MAKE) --no-print-directory check-tests

test-asan: ensure-deps
	@$(MAKE) --no-print-directory SANITIZE=1 check-tests

check-tests: $(PROG) $(TEST_BIN)
	$(TEST_ENV) $(if $(filter 1,$(SANITIZE)),$(ASAN_ENV)) \
	    $(PROVE) $(TEST_BIN) :: --tap

# make valgrind: memcheck over the demo's week, a batch of replications on
# two threads and a small plan; any error or definite leak fails it. GLib's
# slice allocator is turned off so that memcheck sees every block.
VALGRIND = G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind -q \
    --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite
valgrind:
	@build-aux/install-deps.sh --valgrind
	@$(MAKE) --no-print-directory kbsim
	@rm -rf build/valgrind && mkdir -p build/valgrind
	$(VALGRIND) ./kbsim run scenarios/demo.yaml -q --out build/valgrind/demo
	$(VALGRIND) ./kbsim run scenarios/mixed-minimal.yaml -r 4 -j 2 -q \
	    --out build/valgrind/reps
	$(VALGRIND) ./kbsim plan scenarios/mixed-minimal.yaml -q -r 3 \
	    --target placement=90% --out build/valgrind/plan; \
	    s=$$?; [ $$s -eq 0 ] || [ $$s -eq 3 ]
	@echo "valgrind: no errors, no definite leaks"

bench: ensure-deps
	@$(MAKE) --no-print-directory $(BENCH_BIN) kbsim
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done
	@echo "== tests/bench/compare-simpy.sh"; tests/bench/compare-simpy.sh
	@echo "== tests/bench/soak.sh"; tests/bench/soak.sh
	@echo "== tests/bench/plan-demo.sh"; tests/bench/plan-demo.sh
	@echo "== tests/bench/mpi-sweep.sh"; tests/bench/mpi-sweep.sh

# ---- fuzzing -----------------------------------------------------------
# make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="yaml scenario"]: each harness
# for FUZZ_SECONDS, its corpus in build-fuzz/corpus/TARGET seeded from the
# examples, the test data and tests/data/fuzz/TARGET; what crashes or
# hangs lands in build-fuzz/crashes/TARGET: add it to tests/data/fuzz/TARGET
# (make test replays that folder) once it is fixed.
FUZZ_TARGETS ?= yaml units cron scenario set
FUZZ_SECONDS ?= 60
FUZZ_BIN     := $(FUZZ_TARGETS:%=build-fuzz/fuzz/fuzz-%)

build-fuzz/fuzz/fuzz-%: tests/fuzz/fuzz.c $(BUILD)/tests/support/fuzz-targets.o \
                        $(LIB)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -DFUZZ_TARGET=fuzz_$* -fsanitize=fuzzer \
	    -o $@ $< $(BUILD)/tests/support/fuzz-targets.o $(LIB) $(LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz:
	@build-aux/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@build-aux/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- install -------------------------------------------------------------
install: kbsim
	install -d '$(DESTDIR)$(BINDIR)'
	install -m 755 kbsim '$(DESTDIR)$(BINDIR)/kbsim'
	install -d '$(DESTDIR)$(DATADIR)/lessons'
	install -m 644 scenarios/lessons/*.yaml '$(DESTDIR)$(DATADIR)/lessons/'
	install -d '$(DESTDIR)$(DATADIR)/lessons/compose'
	install -m 644 scenarios/lessons/compose/*.yaml \
	    '$(DESTDIR)$(DATADIR)/lessons/compose/'

clean:
	rm -rf build build-asan build-fuzz kbsim out
