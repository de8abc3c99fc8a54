# The two commands: `make run` and `make test`. Everything else is a helper for them.
JOBS ?= $(shell nproc)
DATA ?= ./data
LISTEN ?= 127.0.0.1:8080

.PHONY: setup build build-test web run test soak bench fuzz fmt lint clean

setup:
	@scripts/setup.sh

web: setup
	@cd web && npm run --silent build

build: setup web
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)

# The test build carries AddressSanitizer and UndefinedBehaviorSanitizer.
build-test: setup web
	@cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DDEPOT_SANITIZE=ON >/dev/null
	@cmake --build build-test -j $(JOBS)

run: build
	@build/depot serve --data $(DATA) --listen $(LISTEN) --demo

# Every test runs on the sanitizer build; `make run` and `make bench` build the release one.
test: build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS); status=$$?; \
	  echo "Screenshots of the console: $(CURDIR)/build-test/screenshots/"; exit $$status

# 20 cycles of kill -9 under a mixed load at 64 connections against the release build; the
# figures of each cycle are printed and written to build/soak.json (docs/hardening.md).
soak: build
	@DEPOT_BIN=build/depot DEPOT_SOAK_CYCLES=20 DEPOT_SOAK_CONNECTIONS=64 DEPOT_SOAK_LOAD_SECONDS=5 \
	  DEPOT_SOAK_REPORT=$(CURDIR)/build/soak.json \
	  /usr/bin/python3 -m pytest -q -s -p no:cacheprovider tests/api/test_crash_under_load.py

bench: build
	@bench/run.sh

# libFuzzer over every parser (fuzz/), FUZZ_SECONDS each, with ASan and UBSan; needs clang, which
# `make test` does not (it only replays the corpora).
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/setup.sh fuzz
	@cmake --preset fuzz >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_harnesses
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh build-fuzz

fmt:
	@find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

# Formatting, clang's thread-safety analysis as errors (a clang build of the libraries and depot
# in $(LINT_DIR)), then clang-tidy's curated checks (.clang-tidy) over src/ on that build's compile
# commands (docs/hardening.md). Not part of `make test`: the clang build and clang-tidy's pass
# cost about as much as two builds.
LINT_DIR ?= build-lint
lint:
	@scripts/setup.sh lint
	@find src -name '*.cpp' -o -name '*.h' | xargs clang-format --dry-run --Werror
	@cmake -S . -B $(LINT_DIR) -DCMAKE_CXX_COMPILER=clang++ -DDEPOT_THREAD_SAFETY=ON \
	  $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache) >/dev/null
	@! clang++ -std=c++20 -Isrc -Wthread-safety -Werror=thread-safety -fsyntax-only \
	  tests/lint/unguarded_write.cpp 2>/dev/null || { echo "the thread-safety analysis is off"; exit 1; }
	@cmake --build $(LINT_DIR) -j $(JOBS) --target depot
	@run-clang-tidy -p $(LINT_DIR) -j $(JOBS) -quiet '$(CURDIR)/src/.*\.cpp$$' >$(LINT_DIR)/clang-tidy.log 2>&1 \
	  || { grep -v '^clang-tidy' $(LINT_DIR)/clang-tidy.log | sed 's/\x1b\[[0-9;]*m//g'; exit 1; }
	@echo "lint: clang-format, the thread-safety analysis and clang-tidy are clean"

clean:
	@rm -rf build build-test build-fuzz build-lint
