# Build:  docker build -t peerdesk .
#         docker build -t peerdesk --build-arg FEATURES=pg-tls .   (TLS to PostgreSQL)
# Run:    docker run -p 8080:8080 -v peerdesk-data:/data -e PEERDESK_DOMAIN=support.example.com peerdesk
#
# SQLite, libpq and aws-lc are compiled from source by their crates. The image already
# has the C compiler they need. aws-lc-sys uses its cc-based builder on Linux x86_64 and
# aarch64, so cmake is not needed. With FEATURES=pg-tls, libpq links the system OpenSSL;
# libssl-dev and pkg-config are already in rust:1-bookworm.

FROM rust:1-bookworm AS build
ARG FEATURES=""
WORKDIR /build
# Download dependencies in their own layer, so that source changes do not refetch them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs \
    && cargo fetch --locked \
    && rm -rf src
COPY . .
RUN cargo build --release --locked ${FEATURES:+--features "$FEATURES"} \
    && cp target/release/peerdesk /usr/local/bin/peerdesk

FROM debian:bookworm-slim
ARG FEATURES=""
# ca-certificates: rustls checks remote servers against the system roots.
# libssl3 is only needed when libpq was built with OpenSSL (pg-tls).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
       $(case "$FEATURES" in (*pg-tls*) echo libssl3 ;; esac) \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin peerdesk \
    && mkdir -p /data \
    && chown peerdesk:peerdesk /data
COPY --from=build /usr/local/bin/peerdesk /usr/local/bin/peerdesk

ENV PEERDESK_DATABASE_URL=sqlite:///data/peerdesk.db PEERDESK_BIND=0.0.0.0:8080
VOLUME /data
WORKDIR /data
USER peerdesk
EXPOSE 8080
# `peerdesk serve` shuts down on SIGINT (Ctrl-C); let `docker stop` send that.
STOPSIGNAL SIGINT
ENTRYPOINT ["peerdesk"]
CMD ["serve"]
