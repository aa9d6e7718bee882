# syntax=docker/dockerfile:1
# The manager image: a static binary on distroless, running as a non-root
# user, so that it satisfies the "restricted" Pod Security Standard.
FROM golang:1.26 AS builder
ARG TARGETOS
ARG TARGETARCH

WORKDIR /workspace

# Modules first: their layer then survives changes to the source.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download

COPY api/ api/
COPY cmd/ cmd/
COPY internal/ internal/

# TARGETOS and TARGETARCH come from buildx; a plain build leaves them empty
# and gets a binary for the machine it runs on.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w" -o /manager ./cmd

FROM gcr.io/distroless/static:nonroot
WORKDIR /
COPY --from=builder /manager /manager
# The numeric user of distroless's nonroot account: Kubernetes can only check
# runAsNonRoot against a numeric user.
USER 65532:65532

ENTRYPOINT ["/manager"]
