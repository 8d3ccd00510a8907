# syntax=docker/dockerfile:1
#
# duban container image.
#
#   docker build -t duban .
#   docker run --rm -p 127.0.0.1:8000:8000 -v duban-data:/data duban
#
# Build: BuildKit cache mounts keep the crates.io registry and target/ between
# builds, so a source-only change recompiles just the workspace crates. The
# binary embeds its assets (GraphiQL files, the sample plan), so it is the
# only thing copied into the runtime image.

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

# ---------------------------------------------------------------- builder ---
FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS builder
WORKDIR /src

# The whole workspace: cargo needs every member's manifest and sources to
# resolve the workspace, and api/assets + api/data are pulled in by
# include_bytes!/include_str!. .dockerignore keeps target/ and .git out.
COPY . .

# target/ lives in a cache mount, which is not part of the image layer: copy
# the binary out in the same RUN.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p duban \
 && install -D -m 0755 target/release/duban /out/duban

# ---------------------------------------------------------------- runtime ---
FROM debian:${DEBIAN_RELEASE}-slim AS runtime

# ca-certificates: TLS to PostgreSQL or other hosts; curl: the HEALTHCHECK;
# fonts-wqy-microhei: Chinese glyphs for the unit names of the bulletin's chart.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

# Unprivileged user; /data is its home and the working directory, where the
# embedded-default SQLite database (and its generated JWT secret) are kept;
# /data/files holds evidence files when no S3 bucket is set (a volume in compose).
RUN groupadd --system --gid 10001 duban \
 && useradd --system --uid 10001 --gid duban --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin duban \
 && mkdir -p /data/files \
 && chown -R duban:duban /data

COPY --from=builder /out/duban /usr/local/bin/duban

USER duban:duban
WORKDIR /data

ENV DUBAN_BIND=0.0.0.0:8000
EXPOSE 8000

# /healthz answers as soon as the process serves HTTP; the port matches
# DUBAN_BIND above (change both together).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/readyz"]

# duban handles SIGTERM itself (graceful shutdown); exec form makes it PID 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["duban"]
CMD ["serve"]
