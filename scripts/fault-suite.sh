#!/usr/bin/env bash
# Proof under faults: runs IntegrationTests.FaultInjectionTests alone. The built binary runs
# against a real Prometheus behind a fault-injecting proxy (HTTP 500 and 429, with and without
# recovery, a stall past the timeout, a truncated body, JSON of the wrong shape, a partial
# response), against a Prometheus killed mid-run, and against a closed port. Each fault must exit
# as docs/exit-codes.md says, name its cause on stderr, and leave the output folder byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build --disable-swift-testing --filter "IntegrationTests.FaultInjectionTests"
