# ConcertBooking developer tasks. Each target calls a script in scripts/.
SHELL := /bin/bash

.DEFAULT_GOAL := help

# Passed to the scripts through the environment, from the command line
# (make test TEST_ARGS='--filter Category=Unit', make down INFRA=1, make up TRANSPORT=kafka) or the environment.
export TEST_ARGS
export INFRA
export TRANSPORT
export BENCH_ARGS
export APPHOST_ARGS
.PHONY: help up down test infra build bench demo apphost

help:
	@echo "ConcertBooking make targets:"
	@echo "  make up                 infra + Release build + start the four services (ports 5101-5104) on RabbitMQ"
	@echo "  make up TRANSPORT=kafka the same on Kafka: the dev broker (librdkafka's mock cluster, in memory only)"
	@echo "  make down               stop the services and the dev broker (make down INFRA=1 also stops RabbitMQ and PostgreSQL)"
	@echo "  make test               infra + build with -warnaserror + dotnet test (TEST_ARGS=... passes e.g. --filter)"
	@echo "  make infra              install/start RabbitMQ and PostgreSQL, create the concertbooking user/role"
	@echo "  make build              Release build of ConcertBooking.sln"
	@echo "  make bench              benchmark report: Bench/results/<timestamp>.json + .html (BENCH_ARGS=--quick for a smoke run)"
	@echo "  make demo               the booking flow with curl against the running system (after make up)"
	@echo "  make apphost            the four services + Aspire dashboard (http://localhost:18888) under the AppHost; Ctrl+C stops"
	@echo "  make help               this list"

up:
	@bash scripts/up.sh

down:
	@bash scripts/down.sh

test:
	@bash scripts/test.sh

infra:
	@bash scripts/infra.sh

build:
	@bash scripts/build.sh

demo:
	@bash scripts/demo.sh

bench:
	@bash scripts/bench.sh

apphost:
	@bash scripts/apphost.sh
