# Benchmarks against the machine's limits (bench/, results in BENCHMARKS.md).
# Included by the main Makefile.
#   make bench              the default run (1M records, under 10 minutes)
#   make bench BENCH_BIG=1  the same with 10M records for the metrics at scale
#   make bench DB=pg        signed-in work, durable writes and metrics at 1M against a
#                           private PostgreSQL 15 (bench/run_pg.py; its section of BENCHMARKS.md)
#   make bench-tools        only build the benchmark programs (build/bench/)
#   make bench BENCH_ARGS="--only list,metrics --workers 3"   benchmarks 2 and 4 only
#   make bench BENCH_ARGS="--only writes"   benchmark 3 only (no province database)
# Needs the normal optimized build: refuses SANITIZE. Installs wrk and nginx
# when they are missing (bench/deps.sh). Every figure is a ratio against a
# reference measured in the same run; bench/run.py writes BENCHMARKS.md.

BENCH_BIG ?=
# Extra arguments of bench/run.py, e.g. BENCH_ARGS="--only list,metrics --workers 3"
# to rerun benchmarks 2 and 4 alone (BENCHMARKS.md is then left alone).
BENCH_ARGS ?=
BENCH_RECORDS ?= $(if $(BENCH_BIG),10000000,1000000)
BENCH_DIR = build/bench
BENCH_TOOLS = $(BENCH_DIR)/gen $(BENCH_DIR)/fsync_rate $(BENCH_DIR)/metrics_sql $(BENCH_DIR)/group_commit
BENCH_SQLITE = $(shell $(PKG_CONFIG) --cflags --libs sqlite3 2>/dev/null || echo -lsqlite3)

.PHONY: bench bench-tools

bench:
	@if [ -n "$(SANITIZE)" ]; then echo "make bench: use the normal optimized build (no SANITIZE)" >&2; exit 2; fi
	@scripts/deps.sh build
	@bench/deps.sh
	@$(MAKE) --no-print-directory build/fazhi bench-tools
ifeq ($(DB),pg)
	@python3 bench/run_pg.py --records $(BENCH_RECORDS) $(BENCH_ARGS)
else
	@python3 bench/run.py --records $(BENCH_RECORDS) $(BENCH_ARGS)
endif

bench-tools: $(BENCH_TOOLS)

# The stand-alone tools use SQLite only; group_commit links the server's own
# storage code. All build with the project's warnings.
$(BENCH_DIR)/gen: bench/gen.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -o $@ $< $(BENCH_SQLITE)

$(BENCH_DIR)/metrics_sql: bench/metrics_sql.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -o $@ $< $(BENCH_SQLITE)

$(BENCH_DIR)/fsync_rate: bench/fsync_rate.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -o $@ $<

$(BENCH_DIR)/group_commit: bench/group_commit.c build/libfazhi.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -o $@ $< build/libfazhi.a $(LDFLAGS) $(LDLIBS)
