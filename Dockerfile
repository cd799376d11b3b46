# Build stage: compile the release binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY migration ./migration
COPY src ./src
COPY benches ./benches
COPY openapi ./openapi
RUN cargo build --release --bin budget-monitor

# Runtime stage: a small Debian with the binary only, run as a non-root user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --create-home budget
COPY --from=build /src/target/release/budget-monitor /usr/local/bin/budget-monitor
USER budget
WORKDIR /app
ENV BM_BIND=0.0.0.0:8080 BM_DATA_DIR=/app/data BM_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fs http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["budget-monitor"]
CMD ["serve"]
