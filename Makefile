# The two commands: `make run` and `make test`. Everything else is a helper for them.
JOBS ?= $(shell nproc)
DATA ?= ./data
LISTEN ?= 127.0.0.1:8080

.PHONY: setup build build-test web run test bench fmt lint clean

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

test: build build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS); status=$$?; \
	  echo "Screenshots of the console: $(CURDIR)/build-test/screenshots/"; exit $$status

bench: build
	@bench/run.sh

fmt:
	@find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

lint:
	@find src -name '*.cpp' -o -name '*.h' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build build-test
