#!/usr/bin/env bash
# The main job, end to end: installs what it needs, builds, generates sample history over the
# last complete month before today and the month before it, with the generator's incidents (a
# counter reset, a replaced pod, a series starting mid-month, scrape gaps, an outage across the
# month end) in the reported month, loads it into a local Prometheus, writes that month's reports
# (--period last-month) into demo-reports/, and stops the server again.
#
# Build output goes to .demo/build.log; on a failed build its last lines are shown.
# DEMO_OUTPUT and DEMO_WORK move the reports and the work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_OUTPUT:-demo-reports}
work=${DEMO_WORK:-.demo}
mkdir -p "$work"
scripts/install-deps.sh --runtime

build_log="$work/build.log"
echo "demo: building chargeback and generate-history (log: $build_log)" >&2
started=$SECONDS
if ! { swift build --product chargeback && swift build --product generate-history; } >"$build_log" 2>&1; then
  echo "demo: the build failed; the last lines of $build_log:" >&2
  tail -n 30 "$build_log" >&2
  exit 1
fi
echo "demo: built in $((SECONDS - started)) s" >&2
bin=$(swift build --show-bin-path)

# The last complete month before today (UTC), the whole month before it (for "What changed")
# with 2 days before that, and up to 4 days after it (never past today), so that
# --period last-month works on any date.
month=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
start=$(date -u -d "$month-01 -1 month -2 days" +%Y-%m-%d)
today=$(date -u +%Y-%m-%d)
end=$(date -u -d "$month-01 +1 month +4 days" +%Y-%m-%d)
if [[ "$end" > "$today" ]]; then end=$today; fi
days=$(( ($(date -u -d "$end" +%s) - $(date -u -d "$start" +%s)) / 86400 ))

history="$work/history-$month-from-$start-incidents-$month"
if [ ! -s "$history/history.om" ]; then
  echo "demo: generating $days days of sample history from $start (incidents in $month)" >&2
  "$bin/generate-history" --out "$history" --start "${start}T00:00:00Z" --days "$days" --incident-month "$month"
fi
prom_log="$work/prometheus-start.log"
echo "demo: loading it into a local Prometheus (log: $prom_log)" >&2
if ! prom=$(scripts/sample-prometheus.sh start --history "$history/history.om" --data "$work/tsdb-$month-from-$start-incidents-$month" 2>"$prom_log"); then
  echo "demo: Prometheus did not start; $prom_log says:" >&2
  tail -n 30 "$prom_log" >&2
  exit 1
fi
eval "$prom"
trap 'scripts/sample-prometheus.sh stop "$PROM_PID" 2>/dev/null' EXIT
echo "demo: Prometheus with the sample history at $PROM_URL (pid $PROM_PID)" >&2
"$bin/chargeback" report --config Samples/chargeback.yaml --period last-month \
  --prometheus-url "$PROM_URL" --output "$out" --format markdown,csv,xlsx,focus
echo "demo: the reports are in $(cd "$out" && pwd)"
