# syntax=docker/dockerfile:1
# Build: dependencies in a cached layer of their own (cargo-chef), then the service.
FROM rust:1.95-bookworm AS chef
RUN cargo install cargo-chef --version 0.1.78 --locked
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
COPY --from=planner /src/recipe.json recipe.json
# Rebuilt only when Cargo.toml or Cargo.lock change, not on every source change.
RUN cargo chef cook --release --locked --recipe-path recipe.json
COPY Cargo.toml Cargo.lock ./
COPY migration ./migration
COPY src ./src
COPY benches ./benches
COPY openapi ./openapi
RUN cargo build --release --locked --bin budget-monitor

# Runtime stage: a small Debian with the binary only, run as a non-root user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --create-home budget \
 && install -d -o budget -g budget -m 0700 /app/data
COPY --from=build /src/target/release/budget-monitor /usr/local/bin/budget-monitor
USER budget
WORKDIR /app
ENV BM_BIND=0.0.0.0:8080 BM_DATA_DIR=/app/data BM_LOG_FORMAT=json
# The SQLite database, the generated signing secret and a generated admin password live here.
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fs http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["budget-monitor"]
CMD ["serve"]
