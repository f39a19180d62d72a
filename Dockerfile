# syntax=docker/dockerfile:1
# Build: docker build -t partnerbot .
# Run:   docker run --env-file .env -p 8080:8080 partnerbot
# Or, with Redis: docker compose -f deploy/docker-compose.yml up -d --build

# --- build: a static binary ---------------------------------------------
# BUILDPLATFORM/TARGET*: cross-compile natively for docker buildx --platform.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
RUN CGO_ENABLED=0 GOOS="${TARGETOS:-linux}" GOARCH="${TARGETARCH:-}" \
    go build -trimpath -ldflags="-s -w" -o /out/partnerbot ./cmd/partnerbot

# --- runtime: no shell, no package manager, user 65532 ------------------
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/partnerbot /partnerbot
# Numeric, so that Kubernetes can verify runAsNonRoot.
USER 65532:65532
ENV HTTP_ADDR=:8080
EXPOSE 8080
# The image has no curl: the binary checks its own /healthz (exit 0 or 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/partnerbot", "healthcheck"]
ENTRYPOINT ["/partnerbot"]
