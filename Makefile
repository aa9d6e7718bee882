# Image the manager is built into by docker-build and deployed from by deploy
# and build-installer.
IMG ?= numberport:latest

# Kubernetes release of the local control plane (kube-apiserver, etcd and
# kubectl), built from Go modules by hack/control-plane-build.sh.
K8S_VERSION ?= 1.37.2

# Container tool for docker-build and docker-push; podman works too.
CONTAINER_TOOL ?= docker

# Packages and extra flags for go test, to run one suite:
#   make test TEST_PKGS=./internal/controller/... TEST_FLAGS='-ginkgo.focus=Scheduled'
TEST_PKGS ?= ./...
TEST_FLAGS ?=

# Extra flags for hack/runlocal, for example --grace-period=30s.
RUNLOCAL_FLAGS ?=

# Extra flags for the manager started by `make run`.
RUN_ARGS ?= --provider=simulator

# Recipes use bash features, and a failure anywhere in a pipeline fails it.
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec

LOCALBIN ?= $(CURDIR)/bin
HOST_OS ?= $(shell go env GOOS)
HOST_ARCH ?= $(shell go env GOARCH)

# The layout envtest expects in KUBEBUILDER_ASSETS; the build script uses the
# same one.
ASSETS_DIR ?= $(LOCALBIN)/k8s/$(K8S_VERSION)-$(HOST_OS)-$(HOST_ARCH)

# The kubectl built with the control plane, so that every machine renders and
# applies with the same version. Install and deploy use $KUBECONFIG as usual.
KUBECTL ?= $(ASSETS_DIR)/kubectl

# kustomize's newest release needs a newer Go than this project's, and
# `kubectl kustomize` embeds kustomize anyway.
KUSTOMIZE ?= $(KUBECTL) kustomize

# Developer tools are pinned in their own module so that the operator's go.mod
# does not carry their dependencies.
GO_TOOL = go tool -modfile=$(CURDIR)/hack/tools/go.mod
CONTROLLER_GEN ?= $(GO_TOOL) controller-gen
GOLANGCI_LINT ?= $(GO_TOOL) golangci-lint

# Helm is pinned in its own module, like the tools above, so that the
# operator's go.mod does not carry its dependencies; the first run compiles
# it from Go modules (a minute or two).
HELM ?= go tool -modfile=$(CURDIR)/hack/helm/go.mod helm

# A throwaway overlay that sets the manager image, so that rendering with an
# image never edits files under config/.
IMAGE_OVERLAY = bin/image-overlay

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN { FS = ":.*##"; printf "Usage:\n  make \033[36m<target>\033[0m\n" } \
		/^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } \
		/^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: ## Generate the CRDs and the manager's ClusterRole from kubebuilder markers.
	$(CONTROLLER_GEN) crd rbac:roleName=manager-role paths="./..." \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac
	cp config/crd/bases/*.yaml charts/numberport/crds/

.PHONY: generate
generate: ## Generate the DeepCopy methods of the API types.
	$(CONTROLLER_GEN) object paths="./..."

.PHONY: fmt
fmt: ## Run go fmt.
	go fmt ./...

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: lint
lint: ## Run golangci-lint.
	$(GOLANGCI_LINT) run

.PHONY: lint-fix
lint-fix: ## Run golangci-lint and apply the fixes it can make.
	$(GOLANGCI_LINT) run --fix

.PHONY: test
test: manifests generate fmt vet control-plane build ## Run the unit, envtest integration and e2e tests.
	KUBEBUILDER_ASSETS="$(ASSETS_DIR)" NUMBERPORT_MANAGER="$(LOCALBIN)/manager" \
		go test $(TEST_PKGS) -timeout 40m $(TEST_FLAGS)

# Extra flags for the benchmark harness, such as -quick or -phases probe.
BENCH_FLAGS ?=

.PHONY: bench
bench: control-plane build ## Measure the manager at scale on a local control plane (minutes; -quick with BENCH_FLAGS).
	KUBEBUILDER_ASSETS="$(ASSETS_DIR)" go run ./test/bench -manager $(LOCALBIN)/manager \
		-out $(LOCALBIN)/bench.json $(BENCH_FLAGS)

##@ Build

.PHONY: build
build: manifests generate fmt vet ## Build the manager and the kubectl plugin into bin/.
	go build -o $(LOCALBIN)/manager ./cmd
	go build -o $(LOCALBIN)/kubectl-numberport ./cmd/kubectl-numberport

.PHONY: run
run: manifests generate fmt vet ## Run the manager against the cluster of $KUBECONFIG.
	go run ./cmd $(RUN_ARGS)

.PHONY: run-local
run-local: control-plane manifests build ## Run a local control plane, the samples and the manager.
	go build -o $(LOCALBIN)/runlocal ./hack/runlocal
	$(LOCALBIN)/runlocal --assets="$(ASSETS_DIR)" --manager="$(LOCALBIN)/manager" $(RUNLOCAL_FLAGS)

.PHONY: control-plane
control-plane: ## Build kube-apiserver, etcd and kubectl from Go modules (once).
	K8S_VERSION=$(K8S_VERSION) hack/control-plane-build.sh

.PHONY: docker-build
docker-build: ## Build the manager image IMG.
	$(CONTAINER_TOOL) build -t $(IMG) .

.PHONY: docker-push
docker-push: ## Push the manager image IMG.
	$(CONTAINER_TOOL) push $(IMG)

.PHONY: build-installer
build-installer: manifests generate control-plane ## Write dist/install.yaml, one file installing everything, for image IMG.
	$(write-image-overlay)
	mkdir -p dist
	$(KUSTOMIZE) $(IMAGE_OVERLAY) > dist/install.yaml
	@echo "wrote dist/install.yaml with image $(IMG)"

.PHONY: helm-template
helm-template: ## Lint charts/numberport and render it with its CRDs into dist/chart.yaml.
	$(HELM) lint --strict charts/numberport
	mkdir -p dist
	$(HELM) template numberport charts/numberport --namespace numberport-system \
		--include-crds > dist/chart.yaml
	@echo "wrote dist/chart.yaml"

##@ Deployment

ignore-not-found ?= false

.PHONY: install
install: manifests control-plane ## Install the CRDs into the cluster of $KUBECONFIG.
	$(KUSTOMIZE) config/crd | $(KUBECTL) apply -f -

.PHONY: uninstall
uninstall: manifests control-plane ## Remove the CRDs; ignore-not-found=true tolerates absent ones.
	$(KUSTOMIZE) config/crd | $(KUBECTL) delete --ignore-not-found=$(ignore-not-found) -f -

.PHONY: deploy
deploy: manifests control-plane ## Deploy the manager with image IMG to the cluster of $KUBECONFIG.
	$(write-image-overlay)
	$(KUSTOMIZE) $(IMAGE_OVERLAY) | $(KUBECTL) apply -f -

# Delete the PortRequests and PhoneNumbers first, while the manager still runs:
# once it is gone, nothing removes their finalizers and the CRDs cannot go.
.PHONY: undeploy
undeploy: control-plane ## Remove what deploy created; ignore-not-found=true tolerates absent objects.
	$(KUSTOMIZE) config/default | $(KUBECTL) delete --ignore-not-found=$(ignore-not-found) -f -

##@ Cleanup

.PHONY: clean
clean: ## Remove build output; keeps the control plane in bin/k8s, which is slow to build.
	rm -rf $(LOCALBIN)/manager $(LOCALBIN)/kubectl-numberport $(LOCALBIN)/runlocal \
		$(LOCALBIN)/local $(IMAGE_OVERLAY) dist cover.out

# write-image-overlay writes $(IMAGE_OVERLAY), a kustomization of
# config/default whose manager image is $(IMG). A reference may carry a
# registry port (host:5000/name:tag) and a digest (name@sha256:...), so the tag
# is only looked for after the last slash.
define write-image-overlay
@rm -rf $(IMAGE_OVERLAY) && mkdir -p $(IMAGE_OVERLAY)
@img='$(IMG)'; name="$${img%%@*}"; tag=; digest=; \
	if [[ "$$img" == *@* ]]; then digest="$${img#*@}"; fi; \
	last="$${name##*/}"; \
	if [[ "$$last" == *:* ]]; then tag="$${last##*:}"; name="$${name%:*}"; fi; \
	{ \
		echo 'apiVersion: kustomize.config.k8s.io/v1beta1'; \
		echo 'kind: Kustomization'; \
		echo 'resources:'; \
		echo '- ../../config/default'; \
		echo 'images:'; \
		echo '- name: controller'; \
		echo "  newName: $$name"; \
		if [[ -n "$$tag" ]]; then echo "  newTag: \"$$tag\""; fi; \
		if [[ -n "$$digest" ]]; then echo "  digest: $$digest"; fi; \
	} > $(IMAGE_OVERLAY)/kustomization.yaml
endef
