#!/usr/bin/env bash
# The main job, end to end: installs what it needs, builds, generates the sample history,
# loads it into a local Prometheus, writes the October 2026 reports into demo-reports/, and
# stops the server again.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_OUTPUT:-demo-reports}
work=${DEMO_WORK:-.demo}
scripts/install-deps.sh
swift build --product chargeback
swift build --product generate-history
bin=$(swift build --show-bin-path)
mkdir -p "$work"
if [ ! -s "$work/history/history.om" ]; then
  echo "demo: generating 40 days of sample history" >&2
  "$bin/generate-history" --out "$work/history"
fi
eval "$(scripts/sample-prometheus.sh start --history "$work/history/history.om" --data "$work/tsdb")"
trap 'scripts/sample-prometheus.sh stop "$PROM_PID"' EXIT
echo "demo: Prometheus with the sample history at $PROM_URL (pid $PROM_PID)" >&2
"$bin/chargeback" report --config Samples/chargeback.yaml --period 2026-10 \
  --prometheus-url "$PROM_URL" --output "$out"
echo "demo: the reports are in $(cd "$out" && pwd)"
