# fazhi — plain Makefile + pkg-config. Entry points:
#   make run     install missing packages, build the server and the web UI,
#                create the demo database on first run, serve on http://127.0.0.1:8080
#   make test    install what tests need, build, run every suite (the browser
#                suite last: `make e2e` runs it alone)
#   make test SANITIZE=address,undefined   the same under ASan + UBSan
#   make valgrind   the API suite with the server under valgrind memcheck

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libevent libevent_pthreads jansson sqlite3 libsodium libcrypto libzip expat xlsxwriter libpq
SANITIZE ?=
DEVELOPER ?= 1
# make test DB=pg: the same suites against a private PostgreSQL 15 server.
DB ?= sqlite
ifeq ($(DB),pg)
TEST_RUNNER = tests/pg/run.sh
else
TEST_RUNNER = tests/run-all.sh
endif

ifeq ($(SANITIZE),)
B = build
else
B = build/san
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Isrc -I$(B)/gen -fno-strict-aliasing -pthread
ifeq ($(DEVELOPER),1)
CFLAGS += -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wformat-security -Wvla -Wwrite-strings -Wpointer-arith \
	-Wno-format-nonliteral -Wdeclaration-after-statement
endif
ifneq ($(SANITIZE),)
CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif
CFLAGS += $(PKG_CFLAGS)
LDLIBS = $(MALLOC_LIBS) $(PKG_LIBS) -pthread -lm

# mimalloc replaces glibc's malloc for the whole process (SQLite, jansson and
# libevent too): linked first and kept even though nothing names it. Measured
# in bench/notes.md (registrations 7.5-7.7k -> 8.1-8.8k/s). The sanitizer builds
# keep glibc's: ASan must own malloc. MALLOC_LIBS= builds without it.
ifeq ($(SANITIZE),)
MALLOC_LIBS ?= -Wl,--push-state,--no-as-needed -lmimalloc -Wl,--pop-state
endif

LIB_SRC = $(wildcard src/core/*.c src/db/*.c src/http/*.c src/domain/*.c src/domain/*/*.c src/report/*.c src/cli/cmd_*.c src/cli/migrate_*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/embedded_files.o
MAIN_OBJ = $(B)/src/cli/main.o

EMBED = $(sort $(wildcard sql/*.sql sql/sqlite/*.sql sql/pg/*.sql data/demo/* data/calendar/*.csv data/divisions/*.csv data/metrics/*.json data/reports/*))

UNIT_SRC = $(wildcard tests/unit/*/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%)

.PHONY: all run test unit api valgrind clean

# Packages are installed first, then make runs again so that pkg-config is
# asked only once the libraries are there.
all:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory $(B)/fazhi

$(B)/fazhi: $(MAIN_OBJ) $(B)/libfazhi.a
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libfazhi.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(B)/gen/embedded_files.c: $(B)/tools/embed $(EMBED) Makefile
	@mkdir -p $(dir $@)
	@echo "  EMBED   $@"
	@$(B)/tools/embed $@ $(foreach f,$(EMBED),$(f)=$(f))

$(B)/gen/embedded_files.o: $(B)/gen/embedded_files.c
	@$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/unit/%: tests/unit/%.c $(B)/libfazhi.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(B)/libfazhi.a $(LDFLAGS) $(LDLIBS) -lcmocka

# First run creates var/fazhi.db with the demo county; later runs reuse it.
run:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory $(B)/fazhi
	@$(MAKE) --no-print-directory web
	@mkdir -p var
	@if [ ! -f var/fazhi.db ]; then \
		$(B)/fazhi init --demo --db var/fazhi.db </dev/null || { rm -f var/fazhi.db*; exit 1; }; fi
	exec $(B)/fazhi serve --db var/fazhi.db

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(B)/fazhi $(UNIT_BIN)
	@$(MAKE) --no-print-directory web
	@scripts/deps.sh e2e
	@FAZHI_BUILD=$(B) $(TEST_RUNNER)

unit: $(UNIT_BIN)
	@FAZHI_BUILD=$(B) FAZHI_SUITES=unit tests/run-all.sh

api: $(B)/fazhi
	@FAZHI_BUILD=$(B) FAZHI_SUITES=api tests/run-all.sh

valgrind: $(B)/fazhi
	@FAZHI_BUILD=$(B) FAZHI_SUITES=api FAZHI_VALGRIND=1 tests/run-all.sh

clean:
	rm -rf build

-include $(shell find $(B) -name '*.d' 2>/dev/null)

-include mk/*.mk
