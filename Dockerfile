# A small runtime image for the CronJob in Samples/cron/. Build: docker build -t chargeback .
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libxlsxwriter-dev libsqlite3-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product chargeback --static-swift-stdlib

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libxlsxwriter4 libsqlite3-0 ca-certificates tzdata && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/.build/release/chargeback /usr/local/bin/chargeback
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/chargeback"]
