# Samplepost in a container. NOT built or tested on the development
# machines (they have no Docker); see README "Deployment".
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/samplepost

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/samplepost samplepost \
    && mkdir -p /var/lib/samplepost && chown samplepost /var/lib/samplepost
COPY --from=build /src/target/release/samplepost /usr/local/bin/samplepost
USER samplepost
ENV DATA_DIR=/var/lib/samplepost BIND=0.0.0.0:8080
VOLUME /var/lib/samplepost
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/samplepost"]
CMD ["serve"]
