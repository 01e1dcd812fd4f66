#!/usr/bin/env bash
# The test command of the README: installs what the tests need, builds, runs every test
# (unit, CLI, and integration tests against a real Prometheus and a real VictoriaMetrics, both
# loaded with the same generated history), and ends with one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Style first: the repo's .swift-format (4-space indent, 120 columns); any finding fails the run.
swift format lint --strict --recursive Sources Tests
swift build --build-tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --disable-swift-testing 2>&1 | tee "$log" || status=$?
# XCTest's last summary: "Executed 38 tests, with 0 failures" or "…, with 2 tests skipped and 0 failures".
summary=$(grep -E "Executed [0-9]+ tests?, with " "$log" | tail -n 1 || true)
if [ -z "$summary" ]; then
  echo "no test summary found" >&2
  exit 1
fi
executed=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
skipped=0
if echo "$summary" | grep -qE "[0-9]+ tests? skipped"; then
  skipped=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? skipped.*/\1/')
fi
echo "tests: $((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
exit "$status"
