# wordpress-fn: see README.md. Every target installs what it needs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export GOTOOLCHAIN := local
export CGO_ENABLED := 0

GO       ?= go
VERSION  ?= v0.1.0
BIN      := bin/wordpress-fn
# The image overlays/prod and examples/kpt name; `make image` builds exactly it.
IMAGE    ?= ghcr.io/kube-samples/wordpress-fn:$(VERSION)
TOOLS    := $(CURDIR)/bin/tools
export PATH := $(TOOLS):$(PATH)

KUSTOMIZE_VERSION := v5.8.1
# Helm v3: its post-renderer is an executable (v4 made post-renderers plugins).
HELM_VERSION      := v3.19.0
# kube-score: production checks of what the function emits (e2e/checkers).
KUBE_SCORE_VERSION := v1.20.0

.PHONY: all build demo test unit tools image bench clean validate-k8s e2e-skipped cluster-test promql

all: build

build:
	$(GO) build -trimpath -ldflags "-s -w -X github.com/kube-samples/wordpress-fn/fn/cli.Version=$(VERSION)" -o $(BIN) ./fn

# The main job on the bundled example: the tutorial's production stage.
# Quiet, so that `make demo > site.yaml` is the YAML alone.
demo:
	@$(MAKE) --no-print-directory -s build >&2
	@$(BIN) expand -f examples/seed-production/profile.yaml

# Every test: unit and golden tests, then the end-to-end runs of the real tools.
test: build tools fuzz
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory promql
	@$(MAKE) -s e2e-skipped
	$(MAKE) validate-k8s
	@if [ -n "$${CI:-}" ] || docker info >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory cluster-test; \
	else \
	  echo '!!! docker does not answer: the cluster test (make cluster-test) was SKIPPED' >&2; \
	fi

# go test hides a passing package's output, so the e2e tests' skip notices
# for a missing Docker or kpt are repeated here, where they are seen.
e2e-skipped:
	@command -v kpt >/dev/null || echo '!!! kpt is not on PATH: the kpt e2e tests were SKIPPED' >&2
	@docker info >/dev/null 2>&1 || echo '!!! docker does not answer: the container e2e tests (kustomize, kpt, sidecar image) were SKIPPED' >&2

# Every alert expression of the goldens' PrometheusRules, parsed by the
# upstream Prometheus parser: a module of its own (hack/promql), so that
# Prometheus' dependencies stay out of the function's go.mod.
promql:
	cd hack/promql && $(GO) test -count=1 ./...

# Every output the project produces, server-side dry-run with strict field
# validation against a real kube-apiserver (hack/validate-k8s.sh builds and
# caches it from tools/apiserver, pinned to Kubernetes v1.34.2).
validate-k8s: build
	rm -rf out/rendered
	$(GO) run ./hack/render out/rendered
	$(BIN) build overlays/prod > out/rendered/overlay-prod.yaml
	hack/validate-k8s.sh out/rendered

# The rendered production profile on a real single-node Kubernetes v1.34.2
# (hack/cluster.sh: a node container built here, offline), with the stand-in
# images: pods Ready, the installer over HTTP, zero failed requests during
# rolling updates (and failures without preStop), the PDB, MySQL's Recreate.
# Needs Docker and root; `make test` runs it where Docker answers, and always
# under CI (hack/CLUSTER-RESULTS.md has its cold and warm times).
# `hack/cluster.sh run` tears the cluster down from a trap, even when go
# test's own timeout kills the test binary.
cluster-test: build
	hack/cluster.sh run -- env WPFN_CLUSTER_TEST=1 $(GO) test -count=1 -v -timeout 30m -run '^TestCluster$$' ./e2e/cluster

unit:
	$(GO) test ./fn/...

# A bounded fuzz run of the profile decoder and of the KRM entry point,
# FUZZTIME each (the seed corpora run in every go test). A crasher is
# written to the package's testdata/fuzz and fails go test until fixed.
.PHONY: fuzz
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s ./fn/profile
	$(GO) test -run='^$$' -fuzz='^FuzzKRM$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s ./fn/cli

tools: $(TOOLS)/kustomize $(TOOLS)/helm $(TOOLS)/kube-score

$(TOOLS)/kustomize:
	GOBIN=$(TOOLS) $(GO) install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)

$(TOOLS)/kube-score:
	GOBIN=$(TOOLS) $(GO) install github.com/zegl/kube-score/cmd/kube-score@$(KUBE_SCORE_VERSION)

$(TOOLS)/helm:
	GOBIN=$(TOOLS) $(GO) install -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION)" helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

# The function image: the static binary (built above, CGO_ENABLED=0) copied
# onto scratch; docker build pulls nothing. IMAGE=... retags it.
image: build
	docker build -t $(IMAGE) .

# Whole-process benchmark (issue 4): wordpress-fn against a no-op KRM
# function and a bare yaml.v3 round trip on generated lists of 1,000,
# 10,000 and 50,000 resources, and kustomize with the exec plugin against
# the pre-rendered output. Prints the table of bench/README.md.
bench: build $(TOOLS)/kustomize
	bash bench/run.sh

clean:
	rm -rf bin out
