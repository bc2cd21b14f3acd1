# The front door: `make run` and `make test` are the README's quick start.
JOBS ?= 2
BUILD_TEST := build/test
BUILD_REL  := build/release
DATA ?= ./haetae-data
LISTEN ?= 127.0.0.1:8080
BENCH_ARGS ?=
DRILL_ARGS ?=
CMAKE_COMMON := -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
# Paths under the checkout hash as relative ones, and the test build's debug info does not tie
# an entry to its folder, so a fresh clone elsewhere (CI's) reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: deps build build-test web run test bench format clean cluster cluster-down drill

deps:
	@./scripts/install-deps.sh

$(BUILD_REL)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_REL) -DCMAKE_BUILD_TYPE=Release $(CMAKE_COMMON)

$(BUILD_TEST)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_TEST) -DCMAKE_BUILD_TYPE=Debug -DHAETAE_SANITIZE=ON -DHAETAE_WERROR=ON $(CMAKE_COMMON)

build: deps $(BUILD_REL)/CMakeCache.txt
	cmake --build $(BUILD_REL) -j$(JOBS)

build-test: deps $(BUILD_TEST)/CMakeCache.txt
	cmake --build $(BUILD_TEST) -j$(JOBS)

web: deps
	./scripts/build-web.sh

run: build web
	$(BUILD_REL)/src/haetae serve --data $(DATA) --listen $(LISTEN)

test: build-test web
	cd $(BUILD_TEST) && ctest --output-on-failure -j$(JOBS) --timeout 600

bench: build
	$(BUILD_REL)/src/haetae bench $(BENCH_ARGS)

# The fire drill (docs/drill.md), as root: its own three-DC cluster, a fault per round from the
# menu (DRILL_ARGS="--fault freeze"), undo, check.
# Writes ./drill-report.json; fails unless every round lost, duplicated, took back, reordered and
# skipped nothing and forced no re-login.
drill: build web
	$(BUILD_REL)/src/haetae drill $(DRILL_ARGS)

# The local three-data-center cluster (docs/cluster.md), as root: prints the nodes and the entry.
cluster: build web
	./cluster/haetae-cluster up

cluster-down:
	./cluster/haetae-cluster down

format:
	find src tests -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
