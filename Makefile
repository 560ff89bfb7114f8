# labrun's build. `make run` runs the whoami lab; `make test` runs every test.
# The whoami server that the offline images carry is cross-compiled first and
# embedded into labrun (runner/images/bin), so a student needs neither Go nor
# a registry.

GO      ?= go
BIN     := bin/labrun
WHOAMI  := runner/images/bin/whoami-linux-amd64 runner/images/bin/whoami-linux-arm64
# Static binaries: the server runs FROM scratch, and labrun itself should run anywhere.
export CGO_ENABLED := 0

.PHONY: all build bins run test vet bench clean

all: build

bins: $(WHOAMI)

runner/images/bin/whoami-linux-%: $(wildcard cmd/whoami/*.go)
	GOOS=linux GOARCH=$* $(GO) build -trimpath -ldflags='-s -w' -o $@ ./cmd/whoami

build: bins
	$(GO) build -trimpath -o $(BIN) ./cmd/labrun

run: build
	./$(BIN) run whoami-rollback

vet: bins
	gofmt -l . | (! grep .) || (echo "gofmt: files above need formatting" >&2; exit 1)
	$(GO) vet ./...

test: vet
	$(GO) test -count=1 ./...

bench: build
	scripts/bench.sh

clean:
	rm -rf bin $(WHOAMI)
