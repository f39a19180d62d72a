# syntax=docker/dockerfile:1
# Build: docker build -t partnerbot .
# Run:   docker run --env-file .env -p 8080:8080 partnerbot

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/partnerbot ./cmd/partnerbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/partnerbot /partnerbot
USER nonroot:nonroot
ENV HTTP_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/partnerbot"]
