# Reliability targets (what each proves: tests/README.md). Included by the
# main Makefile. The crash, overload and faults suites also run in `make test`.
#   make fuzz         build the libFuzzer targets of tests/fuzz/ with clang
#                     (ASan + UBSan, library objects in build/fuzz/obj, not
#                     build/libfazhi.a) and run each for FUZZ_SECONDS (25);
#                     crashes land in build/fuzz/crashes/ (the gcc build enforces
#                     the warning flags; the clang objects are built without -Werror)
#   make fuzz-build   only build them (build/fuzz/fuzz_<target>)
#   make soak         the crash suite with SOAK_ROUNDS (300) kill -9 rounds

FUZZ_TARGETS = body validate calendar router cookie table
FUZZ_SECONDS ?= 25
SOAK_ROUNDS ?= 300
FUZZ_DIR = build/fuzz
FUZZ_LIB = $(FUZZ_DIR)/obj/libfazhi.a
FUZZ_CC = clang
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -Isrc -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror

.PHONY: fuzz fuzz-build fuzz-lib fuzz-bins soak

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# clang's libFuzzer runtime is in libclang-rt-NN-dev on Debian 12.
fuzz-build:
	@scripts/deps.sh build
	@command -v $(FUZZ_CC) >/dev/null 2>&1 && \
		[ -f "$$($(FUZZ_CC) -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ] || { \
		echo "fazhi: installing clang and its libFuzzer runtime"; \
		v=$$(apt-cache search --names-only '^libclang-rt-[0-9]+-dev$$' 2>/dev/null | sort -V | tail -1 | cut -d' ' -f1); \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang $${v:-libclang-rt-14-dev}; }
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) SANITIZE=fuzzer-no-link,address,undefined B=$(FUZZ_DIR)/obj DEVELOPER=0 \
		fuzz-lib
	@$(MAKE) --no-print-directory fuzz-bins

# (Run by the sub-makes above; B is build/fuzz/obj in the first.)
fuzz-lib: $(B)/libfazhi.a
	@:
fuzz-bins: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	@:

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(FUZZ_LIB) $(PKG_LIBS) -pthread -lm

soak: $(B)/fazhi
	@FAZHI_CRASH_ROUNDS=$(SOAK_ROUNDS) FAZHI_BUILD=$(B) FAZHI_SUITES=crash tests/run-all.sh
