# labrun's build. `make run` runs the whoami lab; `make test` runs every test;
# `make test-labs` lints every lab in labs/, then runs and verifies each one;
# `make dist` cross-compiles the release archives into dist/.
# The whoami server that the offline images carry is cross-compiled first and
# embedded into labrun (runner/images/bin), so a student needs neither Go nor
# a registry.

GO      ?= go
BIN     := bin/labrun
WHOAMI  := runner/images/bin/whoami-linux-amd64 runner/images/bin/whoami-linux-arm64
# Static binaries: the server runs FROM scratch, and labrun itself should run anywhere.
export CGO_ENABLED := 0
# Stamp the VCS revision into labrun (labrun version, the reports), even
# where GOFLAGS says -buildvcs=false; make BUILDVCS=false where git fails.
BUILDVCS ?= auto

.PHONY: all build bins run test test-labs test-labs-cluster vet bench dist clean

all: build

bins: $(WHOAMI)

runner/images/bin/whoami-linux-%: $(wildcard cmd/whoami/*.go runner/images/whoami/*.go)
	GOOS=linux GOARCH=$* $(GO) build -trimpath -ldflags='-s -w' -o $@ ./cmd/whoami

build: bins
	$(GO) build -trimpath -buildvcs=$(BUILDVCS) -o $(BIN) ./cmd/labrun

# --init-swarm: on a fresh Docker install (no swarm), labrun makes the node
# a manager for the run and leaves the swarm at the end, saying so.
# RUNFLAGS adds flags, e.g. make run RUNFLAGS=--fast.
RUNFLAGS ?=
run: build
	./$(BIN) run whoami-rollback --init-swarm $(RUNFLAGS)

vet: bins
	gofmt -l . | (! grep .) || (echo "gofmt: files above need formatting" >&2; exit 1)
	$(GO) vet ./...

# The engine tests run every lab for real, on the main engine and on test
# clusters of namespaced engines: cmd/labrun alone takes about 40 minutes
# on a 2-core machine, past go test's 10-minute default. The
# engine is prepared first, as CI does (scripts/engine-up.sh: an engine
# that answers, a swarm manager), and CI=true makes an engine test fail,
# never skip, when it cannot run: make test passes only by running them.
# PKGS and TESTFLAGS narrow it, e.g. make test PKGS=./runner/... TESTFLAGS='-run X'.
PKGS      ?= ./...
TESTFLAGS ?=
test: vet
	CI=true scripts/engine-up.sh
	CI=true $(GO) test -count=1 -timeout 70m $(TESTFLAGS) $(PKGS)

# Every lab file, whoever added it: lint them all (no engine); then, lab by
# lab, run and verify back to back (verify runs the lab again, step by
# step), since a verdict that holds only on a fresh engine is no verdict;
# where the lab has fast values, 5 more runs with them (--repeat, whose
# table names any step that failed). It stops at the first failure. A lab
# whose preflight needs several nodes (nodes N) is left to
# test-labs-cluster, saying so.
# LABFLAGS goes to every run: flags every lab takes, e.g. --timeout 10m
# (a --set applies to every lab, and a lab without that variable refuses it).
LABS     := $(wildcard labs/*.txtar)
LABFLAGS ?=

test-labs: build
	./$(BIN) lint $(LABS)
	@set -e; for f in $(LABS); do \
		lab=$$(basename $$f .txtar); \
		if grep -q '^nodes [2-9]' $$f; then echo "== $$lab needs several nodes: make test-labs-cluster runs it"; continue; fi; \
		echo "== labrun run $$lab $(LABFLAGS)"; ./$(BIN) run $$lab $(LABFLAGS); \
		echo "== labrun verify $$lab $(LABFLAGS)"; ./$(BIN) verify $$lab $(LABFLAGS); \
		if grep -q '^## fast ' $$f; then \
			echo "== labrun run $$lab --repeat 5 --fast $(LABFLAGS)"; ./$(BIN) run $$lab --repeat 5 --fast $(LABFLAGS); \
		fi; \
	done

# Every lab on a real swarm of three nodes (scripts/cluster.sh: engines
# 46-48 in network namespaces, the main engine untouched), as an instructor
# would run it: labrun puts the images on every node. Each lab once at the
# tutorial's pace and verified (--fast where the lab has fast values); then
# whoami-rollback five times over, --fast, since task placement is random,
# and three times with the manager drained, every task on a worker.
# The cluster is removed at the end, pass or fail.
CLUSTER_FIRST ?= 46
CLUSTER_HOST  := tcp://10.77.$(CLUSTER_FIRST).2:2375

test-labs-cluster: build
	scripts/cluster.sh up 3 $(CLUSTER_FIRST)
	@set -e; trap 'scripts/cluster.sh down $(CLUSTER_FIRST)' EXIT; \
	for f in $(LABS); do \
		lab=$$(basename $$f .txtar); \
		if grep -q '^## fast ' $$f; then fast=--fast; else fast=; fi; \
		echo "== labrun run $$lab --host $(CLUSTER_HOST)"; ./$(BIN) run $$lab --host $(CLUSTER_HOST) $(LABFLAGS); \
		echo "== labrun verify $$lab --host $(CLUSTER_HOST) $$fast"; ./$(BIN) verify $$lab --host $(CLUSTER_HOST) $$fast $(LABFLAGS); \
	done; \
	echo "== labrun run whoami-rollback --host $(CLUSTER_HOST) --repeat 5 --fast"; \
	./$(BIN) run whoami-rollback --host $(CLUSTER_HOST) --repeat 5 --fast $(LABFLAGS); \
	manager=$$(docker -H $(CLUSTER_HOST) info --format '{{.Swarm.NodeID}}'); \
	docker -H $(CLUSTER_HOST) node update --availability drain $$manager >/dev/null; \
	echo "== the manager drained: every task on a worker"; \
	./$(BIN) run whoami-rollback --host $(CLUSTER_HOST) --repeat 3 --fast $(LABFLAGS); \
	docker -H $(CLUSTER_HOST) node update --availability active $$manager >/dev/null

bench: build
	scripts/bench.sh

# Release archives: labrun for linux and darwin on amd64 and arm64, static,
# each with the whoami servers embedded (so any of them serves an engine of
# either architecture), the README and a SHA256SUMS file over them all.
DIST      ?= dist
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
PLATFORMS := linux-amd64 linux-arm64 darwin-amd64 darwin-arm64

dist: bins
	rm -rf $(DIST) && mkdir -p $(DIST)
	@set -e; for p in $(PLATFORMS); do \
		name=labrun-$(VERSION)-$$p; \
		mkdir -p $(DIST)/$$name; \
		GOOS=$${p%-*} GOARCH=$${p#*-} $(GO) build -trimpath -buildvcs=$(BUILDVCS) -ldflags='-s -w' -o $(DIST)/$$name/labrun ./cmd/labrun; \
		cp README.md $(DIST)/$$name/; \
		tar -C $(DIST) -czf $(DIST)/$$name.tar.gz $$name; \
		rm -rf $(DIST)/$$name; \
		echo "$(DIST)/$$name.tar.gz"; \
	done
	cd $(DIST) && if command -v sha256sum >/dev/null; then sha256sum *.tar.gz; else shasum -a 256 *.tar.gz; fi >SHA256SUMS
	cat $(DIST)/SHA256SUMS

clean:
	rm -rf bin dist $(WHOAMI)
