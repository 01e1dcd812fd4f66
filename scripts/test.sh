#!/usr/bin/env bash
# The test command of the README: installs what the tests need, builds, runs every test
# (unit, CLI, and integration tests against a real Prometheus and a real VictoriaMetrics, both
# loaded with the same generated history), then the date-sensitive tests again with the clock
# 400 days ahead (libfaketime), and ends with one summary line of test cases:
# "tests: N passed, N failed, N skipped".
#
#   scripts/test.sh                      the whole suite, then the date-sensitive tests at +400d
#   scripts/test.sh --faketime +400d     the whole suite once, with chargeback's and the tests'
#                                        clock moved (Prometheus and VictoriaMetrics keep theirs)
set -euo pipefail
cd "$(dirname "$0")/.."
shift_clock=""
if [ "${1:-}" = "--faketime" ]; then
  shift_clock="${2:?--faketime needs an offset such as +400d}"
fi
scripts/install-deps.sh
# Style first: the repo's .swift-format (4-space indent, 120 columns); any finding fails the run.
swift format lint --strict --recursive Sources Tests
swift build --build-tests

# The tests that select data by time or read the clock: they run again a year ahead on every
# run, so a test that depends on today's date fails the day it is written.
date_sensitive=(
  ChargebackCoreTests
  IntegrationTests.CommandLineTests
  IntegrationTests.SecretsSweepTests
  IntegrationTests.AsOfTests
  IntegrationTests.StarterFilesOnlineTests
  IntegrationTests.NativeHistogramTests
  IntegrationTests.CommandLineFaultTests
  IntegrationTests.RulesCommandLineTests
  IntegrationTests.TLSTests
)

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
# A library preloaded before libfaketime so that timers still fire under it
# (scripts/lib/faketime-timers.c); its path.
timer_shim() {
  local shim=.build/faketime-timers.so
  if [ ! "$shim" -nt scripts/lib/faketime-timers.c ]; then
    mkdir -p .build
    "${CC:-$(command -v cc || command -v clang)}" -shared -fPIC -O2 -o "$shim" scripts/lib/faketime-timers.c
  fi
  echo "$PWD/$shim"
}
# run NAME OFFSET [swift test arguments]: runs XCTest (with the clock moved by OFFSET, e.g. +400d,
# unless it is empty), its output also in $logs/NAME.
run() {
  local name=$1 offset=$2
  shift 2
  local command=(swift test --skip-build --disable-swift-testing "$@")
  if [ -n "$offset" ]; then
    echo "== $name: the clock of chargeback and the tests at $offset (libfaketime)" >&2
    # The calendar moves; the monotonic clocks stay, and timers fire (faketime appends libfaketime
    # to LD_PRELOAD, after the shim).
    command=(env LD_PRELOAD="$(timer_shim)" DONT_FAKE_MONOTONIC=1 faketime -f "$offset" "${command[@]}")
  fi
  "${command[@]}" 2>&1 | tee "$logs/$name" || status=1
}
if [ -n "$shift_clock" ]; then
  run all "$shift_clock"
else
  run all ""
  filters=()
  for name in "${date_sensitive[@]}"; do filters+=(--filter "^$name[./]"); done
  run clock "+400d" "${filters[@]}"
fi

# Test cases, counted from XCTest's per-case lines ("Test Case 'A.b' passed (0.1 seconds)"); a
# run without XCTest's summary fails (it crashed or never started).
# cases OUTCOME FILE...: how many test cases of the logs ended with OUTCOME (a regex).
cases() {
  local outcome=$1
  shift
  cat "$@" | grep -cE "^Test Case '[^']+' $outcome \(" || true
}
for log in "$logs"/*; do
  if ! grep -qE "Executed [0-9]+ tests?, with " "$log"; then
    echo "$(basename "$log"): no test summary found" >&2
    status=1
  fi
done
passed=$(cases passed "$logs"/*)
failed=$(cases failed "$logs"/*)
skipped=$(cases skipped "$logs"/*)
if [ "$failed" -gt 0 ]; then status=1; fi
if [ -z "$shift_clock" ]; then
  clock_cases=$(cases "(passed|failed|skipped)" "$logs/clock")
  echo "(of these, $clock_cases test cases ran a second time with the clock at +400d)"
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
