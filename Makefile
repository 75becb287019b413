# textplane — the two commands that matter: `make dev` runs the platform, `make test` passes the tests.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Node 24 first on PATH (installed from the npm registry into .cache when the machine has another).
export PATH := $(shell tools/dev/bin/ensure-node.sh)
export NX_DAEMON := false
export NX_NO_CLOUD := true
export NX_SKIP_NX_CACHE ?= false

VITEST := npx vitest run
WITH_INFRA := tools/dev/bin/with-infra.sh

.PHONY: dev test bench dlq-replay install check lint typecheck lint-proto format-check build \
        test-unit test-int test-e2e test-resilience test-all kafka-start kafka-stop clean

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

install: node_modules/.package-lock.json

## Run the whole platform on this machine (Kafka, Postgres, services, carrier simulator, demo tenant).
dev: install build
	exec node tools/dev/dist/dev.js

## Every check and every test, with Kafka started once for the whole run.
test: install
	$(WITH_INFRA) $(MAKE) --no-print-directory test-all

test-all: check build
	$(MAKE) --no-print-directory -j2 test-unit test-int
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-resilience

check: lint typecheck lint-proto format-check

lint:
	npx nx show projects >/dev/null  # computes the project graph the module-boundary rule reads
	npx nx run-many -t generate-proto --outputStyle=static  # typed lint reads the generated types
	npx eslint . --max-warnings=0

typecheck:
	npx nx run-many -t typecheck --outputStyle=static

lint-proto:
	npx buf lint
	npx buf format -d --exit-code

format-check:
	npx prettier --check .

build:
	npx nx run-many -t build --outputStyle=static

test-unit:
	$(VITEST) --project unit

test-int:
	$(VITEST) --project int

test-e2e:
	$(VITEST) --project e2e

## Postgres restarted and the Kafka broker killed during 2,000-message sends, on a stack of its own.
test-resilience:
	$(VITEST) --project resilience

## Throughput and latency of the send path (against `make dev` when it runs, else its own stack).
bench: install build
	exec node tools/dev/dist/bench.js

kafka-start:
	bash deploy/kafka/kafka.sh start

kafka-stop:
	bash deploy/kafka/kafka.sh stop

clean:
	rm -rf libs/*/dist services/*/dist tools/*/dist .nx

## Re-publish the dead letters of a consumer group to their original topics: make dlq-replay GROUP=messaging.send-requests
dlq-replay: install build
	@test -n "$(GROUP)" || { echo "usage: make dlq-replay GROUP=<consumer group>"; exit 2; }
	node libs/kafka/dist/dlq-replay.cli.js "$(GROUP)"
