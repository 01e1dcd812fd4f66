#!/usr/bin/env bash
# The test command of the README: installs what the tests need, builds, runs every test
# (unit, CLI, and integration tests against a real Prometheus and a real VictoriaMetrics, both
# loaded with the same generated history).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test
