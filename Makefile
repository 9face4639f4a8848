# wordpress-fn: see README.md. Every target installs what it needs; the
# pinned tools are built once per version into a cache outside the clone.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export GOTOOLCHAIN := local
export CGO_ENABLED := 0

GO       ?= go
VERSION  ?= v0.1.0
BIN      := bin/wordpress-fn
# `wordpress-fn build` runs this program, next to BIN: kustomize's api,
# kept out of the function's binary.
BUILD_BIN := bin/wordpress-fn-build
# The image overlays/prod and examples/kpt name; `make image` builds exactly it.
IMAGE    ?= ghcr.io/kube-samples/wordpress-fn:$(VERSION)
# bin/tools holds links to the cached tools, so that the README's
# `bin/tools/kustomize ...` commands work after `make tools`.
TOOLS    := $(CURDIR)/bin/tools
export PATH := $(TOOLS):$(PATH)

KUSTOMIZE_VERSION := v5.8.1
# Helm v3: its post-renderer is an executable (v4 made post-renderers plugins).
HELM_VERSION      := v3.19.0
# kube-score: production checks of what the function emits (e2e/checkers).
KUBE_SCORE_VERSION := v1.20.0

# Where built tools are kept, shared by every clone on the machine:
# $(TOOLS_CACHE)/<tool>-<version>/<tool>. hack/kube-apiserver.sh and
# hack/cluster.sh keep the Kubernetes binaries and the Debian root
# filesystem under $(WORDPRESS_FN_CACHE) too.
export WORDPRESS_FN_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/wordpress-fn
TOOLS_CACHE := $(WORDPRESS_FN_CACHE)/tools
KUSTOMIZE   := $(TOOLS_CACHE)/kustomize-$(KUSTOMIZE_VERSION)/kustomize
HELM        := $(TOOLS_CACHE)/helm-$(HELM_VERSION)/helm
KUBE_SCORE  := $(TOOLS_CACHE)/kube-score-$(KUBE_SCORE_VERSION)/kube-score
# The e2e tests ask `make tool-path-NAME` for these; hack/e2e-status.sh
# reads them from the environment.
export WPFN_TOOL_PATHS := $(KUSTOMIZE) $(HELM) $(KUBE_SCORE)

.PHONY: all build demo test e2e e2e-plan unit tools image bench clean validate-k8s e2e-skipped cluster-test readonly-test promql

all: build

build:
	$(GO) build -trimpath -ldflags "-s -w -X github.com/kube-samples/wordpress-fn/fn/cli.Version=$(VERSION)" -o $(BIN) ./fn
	$(GO) build -trimpath -ldflags "-s -w -X github.com/kube-samples/wordpress-fn/fn/cli.Version=$(VERSION)" -o $(BUILD_BIN) ./fn/build/wordpress-fn-build

# The main job on the bundled example: the tutorial's production stage.
# Quiet, so that `make demo > site.yaml` is the YAML alone.
demo:
	@$(MAKE) --no-print-directory -s build >&2
	@$(BIN) expand -f examples/seed-production/profile.yaml

# Every test that can run without building a large tool: vet, every go
# test (golden, CLI, the fuzz seed corpora, and the e2e tests whose tools
# are built), then each part of `make e2e` whose tools are already built.
# What it skips it names, loudly, with `make e2e` to run it; it never builds
# Helm or Kubernetes, and never runs apt-get. The bounded fuzz run (whose
# instrumented build of every dependency is minutes on a cold cache) is
# left to `make e2e` and CI. Under CI (CI set, as .ci/run does) it runs
# everything: the fuzz run, then it builds every tool (saying what it
# builds and installs), and a missing tool fails instead of skipping.
test: build
	$(GO) vet ./...
	@if [ -n "$${CI:-}" ]; then $(MAKE) --no-print-directory fuzz e2e-plan tools; hack/cluster.sh images; fi
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory promql
	@$(MAKE) -s e2e-skipped
	@if [ -n "$${CI:-}" ] || hack/e2e-status.sh ready validate-k8s; then \
	  $(MAKE) --no-print-directory validate-k8s; \
	fi
	@if [ -n "$${CI:-}" ] || hack/e2e-status.sh ready cluster-test; then \
	  $(MAKE) --no-print-directory cluster-test; \
	fi
	@hack/e2e-status.sh summary

# The real-tool suite: builds (once per machine, cached outside the clone)
# and runs everything `make test` skips when it is missing: the e2e go
# tests with kustomize, Helm and kube-score, validate-k8s (kube-apiserver,
# etcd), and the cluster test where Docker answers (always under CI); and
# the bounded fuzz run. It says first what it will build or install, and
# what of it needs root. kpt and Docker come from the machine.
e2e: build e2e-plan fuzz tools
	@if [ -n "$${CI:-}" ] || docker info >/dev/null 2>&1; then hack/cluster.sh images; fi
	$(GO) test -count=1 ./e2e/...
	@$(MAKE) -s e2e-skipped
	$(MAKE) --no-print-directory validate-k8s
	@if [ -n "$${CI:-}" ] || docker info >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory cluster-test; \
	else \
	  echo '!!! docker does not answer: the cluster test (make cluster-test) was SKIPPED' >&2; \
	fi

# What make e2e is about to build or install (hack/e2e-status.sh).
e2e-plan:
	@hack/e2e-status.sh plan

# go test hides a passing package's output, so the e2e tests' skip notices
# for a missing tool, Docker or kpt are repeated here, where they are seen.
e2e-skipped:
	@for p in $(WPFN_TOOL_PATHS); do \
	  [ -x "$$p" ] || echo "!!! $$p is not built: the e2e tests that run it were SKIPPED (make e2e builds it)" >&2; \
	done
	@command -v kpt >/dev/null || echo '!!! kpt is not on PATH: the kpt e2e tests were SKIPPED' >&2
	@docker info >/dev/null 2>&1 || echo '!!! docker does not answer: the container e2e tests (kustomize, kpt, sidecar image, read-only root file systems) were SKIPPED' >&2

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

# The containers of the production rendering with read-only root file
# systems on Docker (e2e TestReadOnlyRoot): the cluster test's stand-in
# images, built first (hack/cluster.sh images: root, cached), run with the
# rendered emptyDirs as tmpfs, and each emptyDir taken away in turn.
readonly-test: build
	hack/cluster.sh images
	$(GO) test -count=1 -v -run '^TestReadOnlyRoot$$' ./e2e

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

# The pinned tools: each built from source once per version into
# $(TOOLS_CACHE) (a second clone reuses it), linked from bin/tools.
tools: $(TOOLS)/kustomize $(TOOLS)/helm $(TOOLS)/kube-score

$(TOOLS)/kustomize: $(KUSTOMIZE)
	@mkdir -p $(TOOLS) && ln -sfn $< $@
$(TOOLS)/helm: $(HELM)
	@mkdir -p $(TOOLS) && ln -sfn $< $@
$(TOOLS)/kube-score: $(KUBE_SCORE)
	@mkdir -p $(TOOLS) && ln -sfn $< $@

# go-install MODULE@VERSION [FLAGS]: into a temporary directory beside the
# target, then renamed into place, so an interrupted build never looks done.
define go-install
	@echo '>>> building $(notdir $@) from source into $(@D) (once per machine)' >&2
	@rm -rf $@.tmp && mkdir -p $@.tmp
	GOBIN=$@.tmp $(GO) install $(2) $(1)
	@mv $@.tmp/$(notdir $@) $@ && rmdir $@.tmp
endef

$(KUSTOMIZE):
	$(call go-install,sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION))
$(KUBE_SCORE):
	$(call go-install,github.com/zegl/kube-score/cmd/kube-score@$(KUBE_SCORE_VERSION))
$(HELM):
	$(call go-install,helm.sh/helm/v3/cmd/helm@$(HELM_VERSION),-ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION)")

# The cached path of a pinned tool (the e2e tests ask): make -s tool-path-helm
tool-path-%:
	@echo $(filter %/$*,$(WPFN_TOOL_PATHS))

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
