#!/usr/bin/env bash
# The performance benchmark (not a test: CI never runs it). See Benchmarks/README.md.
#
#   Benchmarks/run.sh [--small] [--large] [--xlsx] [--trend] [--pairs N] [--store] [--cardinality] [--no-build]
#
# With no selection it runs the first three: the sample month (scripts/demo.sh's history, October
# 2026), the large month (generate-history's scale mode, ≥ 2,000 token series at 30 s, cached
# under the work folder), and the million-row workbook (chargeback-xlsx-bench: the data of
# LargeWorkbookTests, whole process timed; it prints the write's own seconds too). For each month it starts Prometheus on
# 127.0.0.1 (a free port; stopped by PID at exit) and measures, one after another:
#   capture     one `chargeback report` through a recording proxy, to learn its exact HTTP
#               requests (also warms Prometheus' caches); not timed
#   chargeback  `chargeback report --format markdown,csv,xlsx,focus --verbose` (release build)
#   curl        the captured requests, replayed by one curl with the same concurrency, bodies
#               to /dev/null
#   python      Benchmarks/python/chargeback_py.py (requests + pandas + XlsxWriter, in a venv)
# each under /usr/bin/time -v (wall, user+sys CPU, peak RSS), and checks that Python's total
# tokens and cost equal chargeback's. --trend times reports with the comparison and the trend on
# the large month (see "Comparison and trend" in the README); --pairs N adds N alternated pairs of
# the month alone and with --trend 6 after them (default 0). --store times `chargeback collect` of
# the whole large history into a new SQLite store (and its size), then `report --trend 12 --source
# store` from that store alone (see "The usage store" in the README). --cardinality runs
# Benchmarks/cardinality.sh (per-user worlds; CARDINALITY_OPTIONS passes its options). Results: BENCH_WORK/results/<time>/ (results.jsonl,
# results.md, every log and report), and the table on stdout.
#
# Environment: BENCH_WORK (default .bench-work in the repo), LARGE_OPTIONS (generate-history
# scale options), MONTH (2026-10), CONFIG (Samples/chargeback.yaml), XLSX_ROWS (1000000).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
# shellcheck source=../scripts/lib/local-server.sh
source scripts/lib/local-server.sh

WORK="${BENCH_WORK:-$repo/.bench-work}"
MONTH="${MONTH:-2026-10}"
CONFIG="${CONFIG:-Samples/chargeback.yaml}"
XLSX_ROWS="${XLSX_ROWS:-1000000}"
READY_TIMEOUT="${READY_TIMEOUT:-300}"
read -r -a LARGE_OPTIONS <<<"${LARGE_OPTIONS:---gateways 20 --replicas 10 --scrape-interval 30 --start 2026-09-29T12:00:00Z --days 34}"
SCRATCH=.build-release

run_small=0 run_large=0 run_xlsx=0 run_trend=0 run_store=0 run_cardinality=0 build=1 pairs=0
while (($# > 0)); do
    case "$1" in
        --small) run_small=1 ;;
        --large) run_large=1 ;;
        --xlsx) run_xlsx=1 ;;
        --trend) run_trend=1 ;;
        --pairs) pairs="${2:?--pairs needs a count}"; shift ;;
        --store) run_store=1 ;;
        --cardinality) run_cardinality=1 ;;
        --no-build) build=0 ;;
        *) sed -n '2,20s/^# \{0,1\}//p' "$0" >&2; exit 64 ;;
    esac
    shift
done
((run_small + run_large + run_xlsx + run_trend + run_store + run_cardinality > 0)) || { run_small=1; run_large=1; run_xlsx=1; }

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
mkdir -p "$WORK"
results="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
jsonl="$results/results.jsonl"
: >"$jsonl"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo '+dirty')"
log "results in $results (commit $commit)"

# --- builds -------------------------------------------------------------------------------------
if ((build)); then
    log "building chargeback and generate-history (release, --scratch-path $SCRATCH)"
    swift build -c release --scratch-path "$SCRATCH" --product chargeback >&2
    swift build -c release --scratch-path "$SCRATCH" --product generate-history >&2
fi
bin="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)"
[[ -x "$bin/chargeback" && -x "$bin/generate-history" ]] || die "no release build in $bin (run without --no-build)"

# --- the Python baseline's venv ------------------------------------------------------------------
venv="$WORK/venv"
if ((run_small + run_large > 0)) && [[ ! -f "$venv/.installed" ]]; then
    log "creating $venv (requests, pandas, XlsxWriter, PyYAML from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check requests pandas XlsxWriter PyYAML >&2
    "$venv/bin/pip" freeze >"$venv/.installed"
fi

# --- Prometheus ---------------------------------------------------------------------------------
PROM_PID="" PROM_URL=""
stop_prometheus() {
    [[ -n "$PROM_PID" ]] || return 0
    if is_named "$PROM_PID" prometheus; then
        kill -TERM "$PROM_PID" 2>/dev/null || true
        for _ in $(seq 1 80); do kill -0 "$PROM_PID" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$PROM_PID" 2>/dev/null || true
    fi
    PROM_PID=""
}
PROXY_PID=""
cleanup() {
    [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null || true
    stop_prometheus
}
trap cleanup EXIT

# Serves DATA (TSDB blocks) on 127.0.0.1:free port. No compaction (max block 18h = the parts').
start_prometheus() {
    local data="$1" port config="$1/bench-prometheus.yml"
    printf 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n' >"$config"
    port="$(free_port 19190)"
    PROM_URL="http://127.0.0.1:$port"
    prometheus --config.file="$config" --storage.tsdb.path="$data" --storage.tsdb.retention.time=100y \
        --storage.tsdb.max-block-duration=18h --web.listen-address="127.0.0.1:$port" \
        </dev/null >>"$data/bench-prometheus.log" 2>&1 &
    PROM_PID=$!
    wait_http "$PROM_URL/-/ready" "$PROM_PID" || { tail -20 "$data/bench-prometheus.log" >&2; die "prometheus did not start"; }
    log "prometheus $PROM_PID on $PROM_URL serving $data"
}

# Runs a command under /usr/bin/time -v; stdout → OUT.stdout, stderr → OUT.stderr, figures → OUT.time.
timed() {
    local out="$1"
    shift
    /usr/bin/time -v -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr"
}

record() {  # dataset run time-file notes
    local wall cpu rss
    read -r wall cpu rss < <(python3 Benchmarks/lib/bench.py time-v "$3")
    printf '{"dataset": "%s", "run": "%s", "wall": %s, "cpu": %s, "rss": %s, "notes": "%s"}\n' \
        "$1" "$2" "$wall" "$cpu" "$rss" "$4" >>"$jsonl"
    log "$1 $2: wall ${wall} s, CPU ${cpu} s, peak RSS ${rss} MB ${4:+($4)}"
}

concurrency() {  # chargeback's prometheus.concurrency (default 4)
    local value
    value="$(sed -n 's/^[[:space:]]*concurrency:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$CONFIG" | head -1)"
    echo "${value:-4}"
}

bench_month() {  # NAME TSDB TRUTH_CSV
    local name="$1" data="$2" truth="$3" dir="$results/$1"
    mkdir -p "$dir"
    start_prometheus "$data"

    # 1. Capture: the exact HTTP requests of one report run (and a warm-up).
    local port_file="$dir/proxy.port"
    rm -f "$port_file" "$dir/requests.jsonl"
    python3 Benchmarks/lib/bench.py proxy --upstream "$PROM_URL" --port-file "$port_file" --log "$dir/requests.jsonl" &
    PROXY_PID=$!
    for _ in $(seq 1 50); do [[ -s "$port_file" ]] && break; sleep 0.1; done
    log "$name: capture run through the recording proxy"
    "$bin/chargeback" report --config "$CONFIG" --period "$MONTH" --prometheus-url "http://127.0.0.1:$(cat "$port_file")" \
        --output "$dir/capture" --quiet || die "capture run failed"
    kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
    local captured manifest_queries
    captured=$(wc -l <"$dir/requests.jsonl")
    manifest_queries=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["queries"]))' "$dir/capture/manifest.json")
    log "$name: captured $captured HTTP requests; the manifest lists $manifest_queries queries"

    # 2. chargeback, all formats, --verbose for its fetch figures.
    log "$name: chargeback report"
    timed "$dir/chargeback" "$bin/chargeback" report --config "$CONFIG" --period "$MONTH" --prometheus-url "$PROM_URL" \
        --output "$dir/reports" --format markdown,csv,xlsx,focus --verbose || die "chargeback report failed (see $dir/chargeback.stderr)"
    local fetched
    fetched="$(python3 Benchmarks/lib/bench.py fetched "$dir/chargeback.stderr")"
    echo "$fetched" >"$dir/fetched.json"
    record "$name" chargeback "$dir/chargeback.time" \
        "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(", ".join(f"{k} {d[k]}" for k in ("queries","requests","series","points","bytes","server_wait_s") if k in d))' "$fetched")"

    # 3. curl: the same requests, same concurrency, bodies discarded.
    local width
    width="$(concurrency)"
    python3 Benchmarks/lib/bench.py curl-config --log "$dir/requests.jsonl" --url "$PROM_URL" >"$dir/curl.cfg"
    log "$name: curl, $captured requests, --parallel-max $width"
    timed "$dir/curl" curl -sS --parallel --parallel-immediate --parallel-max "$width" -K "$dir/curl.cfg" || die "curl failed"
    local curl_notes
    curl_notes="$(awk '$1 != 200 {bad++} {bytes += $2} END {printf "%d requests, %.0f bytes, %d not 200", NR, bytes, bad}' "$dir/curl.stdout")"
    record "$name" curl "$dir/curl.time" "$curl_notes"

    # 4. Python.
    log "$name: python baseline"
    timed "$dir/python" "$venv/bin/python" Benchmarks/python/chargeback_py.py --url "$PROM_URL" --config "$CONFIG" \
        --month "$MONTH" --out "$dir/python.xlsx" || die "python failed (see $dir/python.stderr)"
    record "$name" python "$dir/python.time" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%(requests)s requests, %(samples)s points, %(bytes)s bytes" % d)' "$dir/python.stdout")"
    stop_prometheus

    # 5. Do the totals agree (with each other, and with the generator's truth)?
    python3 - "$dir/reports/manifest.json" "$dir/python.stdout" "$truth" "$MONTH" "$name" <<'PY' | tee "$dir/totals.txt" >&2
import csv, json, sys
from decimal import Decimal
manifest, py, truth, month, name = sys.argv[1:]
totals = json.load(open(manifest))["totals"]
python = json.load(open(py))
true_tokens = sum(int(r["tokens"]) for r in csv.DictReader(open(truth)) if r["hour_start"].startswith(month))
cb_tokens, py_tokens = totals["tokens"], python["tokens"]
cb_cost, py_cost = Decimal(totals["exact_cost_usd"]), Decimal(python["cost_usd"])
print(f"{name}: total tokens chargeback {cb_tokens:,}, python {py_tokens:,}, difference {py_tokens - cb_tokens:+,}; "
      f"generator truth {true_tokens:,} (chargeback {100 * (cb_tokens - true_tokens) / true_tokens:+.4f} %)")
print(f"{name}: total cost chargeback {cb_cost} USD, python {py_cost} USD, difference {py_cost - cb_cost:+} USD")
for team in totals["teams"]:
    other = python["teams"].get(team["team"], {})
    print(f"{name}:   team {team['team']}: chargeback {team['cost_usd']} USD, python {other.get('cost_usd', 0):.2f} USD")
PY
}

# --- the months ---------------------------------------------------------------------------------
if ((run_small)); then
    small="$WORK/small"
    if [[ ! -s "$small/history/history.om" ]]; then
        log "generating the sample history (as scripts/demo.sh does)"
        "$bin/generate-history" --out "$small/history"
    fi
    if ! compgen -G "$small/tsdb/*/meta.json" >/dev/null; then
        mkdir -p "$small/tsdb"
        promtool tsdb create-blocks-from openmetrics --quiet --max-block-duration=40000h \
            "$small/history/history.om" "$small/tsdb" >&2
    fi
    bench_month small "$small/tsdb" "$small/history/truth.csv"
fi

if ((run_large)); then
    eval "$(Benchmarks/make-history.sh --work "$WORK" --bin "$bin/generate-history" "${LARGE_OPTIONS[@]}")"
    cp "$HISTORY_DIR/build.json" "$results/large-history-build.json"
    log "large history: $(tr -d '\n' <"$HISTORY_DIR/build.json")"
    bench_month large "$HISTORY_DIR/tsdb" "$HISTORY_DIR/truth.csv"
fi

# --- the comparison and the trend on the large month ----------------------------------------------
# The month alone, with September, with six months before; and ISO week 44 alone and with the four
# weeks before (all inside the large history, so every period is measured from samples).
if ((run_trend)); then
    eval "$(Benchmarks/make-history.sh --work "$WORK" --bin "$bin/generate-history" "${LARGE_OPTIONS[@]}")"
    dir="$results/trend"
    mkdir -p "$dir"
    start_prometheus "$HISTORY_DIR/tsdb"
    "$bin/chargeback" report --config "$CONFIG" --period "$MONTH" --no-compare --prometheus-url "$PROM_URL" \
        --output "$dir/warm-up" --quiet || die "warm-up run failed"
    trend_run() {  # NAME chargeback-report-options…
        local name="$1"
        shift
        timed "$dir/$name" "$bin/chargeback" report --config "$CONFIG" --prometheus-url "$PROM_URL" \
            --output "$dir/$name-reports" --format markdown,csv,xlsx --verbose "$@" \
            || die "chargeback $* failed (see $dir/$name.stderr)"
        record trend "$name" "$dir/$name.time" "$*; queries $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["queries"]))' "$dir/$name-reports/manifest.json")"
    }
    trend_run month --period "$MONTH" --no-compare
    trend_run month-compare --period "$MONTH"
    trend_run month-trend-6 --period "$MONTH" --trend 6
    trend_run week --period 2026-W44 --no-compare
    trend_run week-trend-4 --period 2026-W44 --trend 4
    for pair in $(seq 1 "$pairs"); do
        trend_run "month-$pair" --period "$MONTH" --no-compare
        trend_run "month-trend-6-$pair" --period "$MONTH" --trend 6
    done
    stop_prometheus
fi

# --- the usage store on the large history -----------------------------------------------------------
# One collect of every hour the large history holds (as a first cron run on a new store does), then
# October with --trend 12 from the store alone (no Prometheus reachable).
if ((run_store)); then
    eval "$(Benchmarks/make-history.sh --work "$WORK" --bin "$bin/generate-history" "${LARGE_OPTIONS[@]}")"
    dir="$results/store"
    mkdir -p "$dir"
    samples="$repo/$(dirname "$CONFIG")"
    sed -e "s|^pricing: pricing.yaml|pricing: $samples/pricing.yaml|" -e "s|^teams: teams.yaml|teams: $samples/teams.yaml|" \
        "$CONFIG" >"$dir/chargeback.yaml"
    printf '\nstore:\n  url: sqlite://%s/usage.sqlite\n' "$dir" >>"$dir/chargeback.yaml"
    end="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"])' "$HISTORY_DIR/faults.json")"
    start_prometheus "$HISTORY_DIR/tsdb"
    timed "$dir/collect" "$bin/chargeback" collect --config "$dir/chargeback.yaml" --prometheus-url "$PROM_URL" \
        --as-of "$end" || die "collect failed (see $dir/collect.stderr)"
    stop_prometheus
    record store collect "$dir/collect.time" "$(tr -d '\n' <"$dir/collect.stdout"); $(stat -c %s "$dir/usage.sqlite") bytes"
    "$bin/chargeback" store status --config "$dir/chargeback.yaml" --offline >"$dir/status.txt"
    timed "$dir/trend-12" "$bin/chargeback" report --config "$dir/chargeback.yaml" --period "$MONTH" --trend 12 \
        --source store --prometheus-url "http://127.0.0.1:$(free_port 19290)" --format markdown,csv,xlsx \
        --output "$dir/trend-12-reports" --as-of "$end" --quiet || die "report --trend 12 failed (see $dir/trend-12.stderr)"
    record store "report --trend 12 --source store" "$dir/trend-12.time" ""
fi

# --- the cardinality curve (issue 31) -----------------------------------------------------------
if ((run_cardinality)); then
    read -r -a cardinality_options <<<"${CARDINALITY_OPTIONS:-}"
    Benchmarks/cardinality.sh --bin "$bin" --results "$results/cardinality" "${cardinality_options[@]}"
fi

# --- a million line items -----------------------------------------------------------------------
if ((run_xlsx)); then
    if ((build)); then
        swift build -c release --scratch-path "$SCRATCH" --product chargeback-xlsx-bench >&2
    fi
    [[ -x "$bin/chargeback-xlsx-bench" ]] || die "no $bin/chargeback-xlsx-bench (run without --no-build)"
    log "writing a workbook of $XLSX_ROWS line items (LargeWorkbookTests' data, release build)"
    timed "$results/xlsx" "$bin/chargeback-xlsx-bench" --rows "$XLSX_ROWS" --config "$CONFIG" \
        || die "chargeback-xlsx-bench failed (see $results/xlsx.stderr)"
    record xlsx "1M line items" "$results/xlsx.time" "$(cat "$results/xlsx.stdout")"
fi

{
    echo "chargeback commit $commit, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    python3 Benchmarks/lib/bench.py table "$jsonl"
    echo
    cat "$results"/*/totals.txt 2>/dev/null || true
} | tee "$results/results.md"
