#!/usr/bin/env bash
# The cardinality curve (issue 31): `Benchmarks/run.sh --cardinality` runs this after its build.
#
#   Benchmarks/cardinality.sh --bin DIR --results DIR [--users "60 300 900 2900"] [--days 13]
#                             [--backends "vm prom"] [--start 2026-10-01T00:00:00Z]
#
# For each N in --users (default ≈1k, 5k, 15k and 50k series: about 17 series per user over the
# history) it generates a per-user world (`generate-history --users N`, 60 s scrapes, from
# --start (2026-10-01; 2026-10-02 with --days 2 still holds the day report's read range) for
# --days days) in 2-hour parts, each imported as it is finished and then deleted (the 50k world is
# about 70 GB of text: it never exists whole), into VictoriaMetrics' storage and Prometheus' TSDB
# (`promtool tsdb create-blocks-from openmetrics`), cached in
# BENCH_WORK/cardinality/users-N-days-D[-from-START]/{vm,prom}; serves it from VictoriaMetrics
# (default limits) and Prometheus (default flags), and times, under /usr/bin/time -v:
#   day    `chargeback report --period 2026-10-03 --group-by user_id`, all formats, --verbose,
#          run as cron runs it: `--as-of` five minutes after the period's end
#   week   the same for 2026-W41 (Monday 5 October to 11 October; needs --days ≥ 13)
#   curl   every raw sample of the counters the report reads (the tokens' `_sum` and the requests'
#          `_count{gen_ai_token_type="input"}`) in its read range (26 h before the period to the
#          as-of time), as instant queries of 6 h range selectors, 4 at a time, bodies to /dev/null
# Then it prints wall, CPU, peak RSS, requests and points per run, and each figure's growth
# exponent from the smallest world to each larger one (log figure ratio / log series ratio) and
# from 5k to the largest. Results: RESULTS/cardinality.jsonl and RESULTS/cardinality.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

bin="" results="" users="60 300 900 2900" days=13 backends="vm prom" start_at=2026-10-01T00:00:00Z
while (($# > 0)); do
    case "$1" in
        --bin) bin="$2"; shift ;;
        --results) results="$2"; shift ;;
        --users) users="$2"; shift ;;
        --days) days="$2"; shift ;;
        --backends) backends="$2"; shift ;;
        --start) start_at="$2"; shift ;;
        *) sed -n '2,23s/^# \{0,1\}//p' "$0" >&2; exit 64 ;;
    esac
    shift
done
[[ -x "$bin/chargeback" && -x "$bin/generate-history" && -n "$results" ]] || { sed -n '2,23s/^# \{0,1\}//p' "$0" >&2; exit 64; }
WORK="${BENCH_WORK:-$repo/.bench-work}/cardinality"
CONFIG="${CONFIG:-Samples/chargeback.yaml}"
# The counters the report reads (Samples/chargeback.yaml: `metrics.tokens` and `metrics.requests`,
# the latter's `input` series only), as curl reads them: quotes escaped for its config file.
COUNTERS=(agentgateway_gen_ai_client_token_usage_sum 'agentgateway_gen_ai_client_token_usage_count{gen_ai_token_type=\"input\"}')
mkdir -p "$WORK" "$results"
jsonl="$results/cardinality.jsonl"
: >"$jsonl"
log() { printf 'cardinality: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# shellcheck source=../scripts/lib/local-server.sh
source scripts/lib/local-server.sh
READY_TIMEOUT="${READY_TIMEOUT:-120}"

SERVER_PID=""
stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
trap stop_server EXIT

# Starts BACKEND (vm or prom) on the storage in DIR; sets URL. VictoriaMetrics with its default
# limits (-search.maxSeries, -search.maxUniqueTimeseries, …): only retention and the rollup cache set.
start_server() {
    local backend="$1" dir="$2" port
    port="$(free_port 18428)" || die "no free port"
    URL="http://127.0.0.1:$port"
    if [[ "$backend" == vm ]]; then
        victoria-metrics -storageDataPath="$dir/vm" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
            -search.disableCache -selfScrapeInterval=0 </dev/null >>"$dir/vm.log" 2>&1 &
        SERVER_PID=$!
        wait_http "$URL/health" "$SERVER_PID" || die "victoria-metrics did not start (see $dir/vm.log)"
    else
        printf 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n' >"$dir/prometheus.yml"
        prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prom" \
            --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
            </dev/null >>"$dir/prom.log" 2>&1 &
        SERVER_PID=$!
        wait_http "$URL/-/ready" "$SERVER_PID" || die "prometheus did not start (see $dir/prom.log)"
    fi
}

# Generates the world of N users into DIR for every backend: 2-hour parts (at most two waiting),
# each imported into every backend's storage as soon as it is complete, then deleted.
generate_world() {  # n dir
    local n="$1" dir="$2" generator part backend samples=0
    rm -rf "$dir" "$dir.generate.log"
    mkdir -p "$dir/history/parts"
    if [[ " $backends " == *" vm "* ]]; then start_server vm "$dir"; fi
    "$bin/generate-history" --out "$dir/history" --users "$n" --start "$start_at" --days "$days" \
        --part-hours 2 --max-pending 2 2>"$dir.generate.log" &
    generator=$!
    while :; do
        part="$(find "$dir/history/parts" -name '*.om' | sort | head -1)"
        if [[ -z "$part" ]]; then
            kill -0 "$generator" 2>/dev/null || break
            sleep 0.5
            continue
        fi
        for backend in $backends; do
            if [[ "$backend" == vm ]]; then
                to_prometheus_text "$dir/part.count" <"$part" | gzip -1 |
                    curl -fsS --max-time 3600 -X POST -H 'Content-Encoding: gzip' -T - "$URL/api/v1/import/prometheus" \
                    || die "the import of $part into VictoriaMetrics failed"
                samples=$((samples + $(<"$dir/part.count")))
            else
                promtool tsdb create-blocks-from openmetrics --quiet --max-block-duration=2h "$part" "$dir/prom" >&2 \
                    || die "promtool could not import $part"
            fi
        done
        rm -f "$part"
    done
    wait "$generator" || die "generate-history failed (see $dir.generate.log)"
    if [[ " $backends " == *" vm "* ]]; then
        local deadline=$((SECONDS + 600)) stored=0
        while ((stored < samples)); do
            ((SECONDS < deadline)) || die "VictoriaMetrics stored $stored of $samples samples"
            curl -fsS --max-time 60 "$URL/internal/force_flush" >/dev/null || true
            sleep 1
            stored="$(curl -fsS --max-time 5 "$URL/metrics" | awk '/^vm_rows\{.*type="storage\// { t += $NF } END { printf "%.0f", t }')"
        done
        stop_server
    fi
    echo "$backends" >"$dir/backends"
}

record() {  # users series backend run time-file requests points bytes
    local wall cpu rss
    read -r wall cpu rss < <(python3 Benchmarks/lib/bench.py time-v "$5")
    printf '{"users": %s, "series": %s, "backend": "%s", "run": "%s", "wall": %s, "cpu": %s, "rss": %s, "requests": %s, "points": %s, "bytes": %s}\n' \
        "$1" "$2" "$3" "$4" "$wall" "$cpu" "$rss" "${6:-0}" "${7:-0}" "${8:-0}" >>"$jsonl"
    log "$1 users ($2 series) $3 $4: wall $wall s, CPU $cpu s, peak RSS $rss MB, ${6:-0} requests, ${7:-0} points"
}

# The report's tokens against the generator's truth over [START, END) (Unix seconds): in all and
# per user (the by-user_id CSV against truth-users.csv, whole UTC days).
exactness() {  # reports history start end
    python3 - "$@" <<'PY'
import csv, glob, json, sys
from datetime import datetime, timezone
reports, history, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
day = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")
days = {day(t) for t in range(start, end, 86400)}
inside = lambda hour: start <= datetime.fromisoformat(hour.replace("Z", "+00:00")).timestamp() < end
truth = sum(int(r["tokens"]) for r in csv.DictReader(open(f"{history}/truth.csv")) if inside(r["hour_start"]))
measured = json.load(open(f"{reports}/manifest.json"))["totals"]["tokens"]
users = {}
for r in csv.DictReader(open(f"{history}/truth-users.csv")):
    if r["day"] in days:
        users[r["user_id"]] = users.get(r["user_id"], 0) + int(r["tokens"])
got = {r["value"]: int(r["tokens"]) for r in csv.DictReader(open(glob.glob(f"{reports}/*-by-user_id.csv")[0]))}
off = [u for u in set(users) | set(got) if users.get(u, 0) != got.get(u, 0)]
print(f"{reports}: tokens {measured:,} against the truth's {truth:,} ({measured - truth:+,}); "
      f"{len(users) - len(off):,} of {len(users):,} users exact"
      + (f", the others off by at most {max(abs(users.get(u, 0) - got.get(u, 0)) for u in off):,}" if off else ""))
PY
}

# Every raw sample of the counters in [FROM, TO] (Unix seconds) as 6 h range selectors, 4 at a time.
curl_raw() {  # out from to
    local out="$1" from="$2" to="$3" cfg="$1.cfg" t
    : >"$cfg"
    local counter
    for counter in "${COUNTERS[@]}"; do
        for ((t = to; t > from; t -= 21600)); do
            local range=$((t - from < 21600 ? t - from : 21600))
            [[ -s "$cfg" ]] && echo next >>"$cfg"
            printf 'url = "%s/api/v1/query"\ndata-urlencode = "query=%s[%ss]"\ndata = "time=%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{size_download}\\n"\n' \
                "$URL" "$counter" "$range" "$t" >>"$cfg"
        done
    done
    /usr/bin/time -v -o "$out.time" curl -sS --parallel --parallel-max 4 -K "$cfg" >"$out.stdout" 2>"$out.stderr" \
        || die "curl failed (see $out.stderr)"
}

for n in $users; do
    dir="$WORK/users-$n-days-$days"
    [[ "$start_at" == 2026-10-01T00:00:00Z ]] || dir="$dir-from-${start_at%%T*}"
    if [[ ! -s "$dir/backends" || "$(<"$dir/backends")" != "$backends" ]]; then
        log "generating $n users over $days days into $backends"
        generate_world "$n" "$dir"
    fi
    series="$(sed -n 's/.* \([0-9]*\) series,.*/\1/p' "$dir.generate.log")"
    for backend in $backends; do
        start_server "$backend" "$dir"
        runs=("day 2026-10-03 1790985600 1791072000")
        ((days >= 13)) && runs+=("week 2026-W41 1791158400 1791763200")
        for entry in "${runs[@]}"; do
            read -r name period start end <<<"$entry"
            out="$results/$n-$backend-$name"
            # Cron's time: a report run months later would see every per-user series stop at the
            # world's end (the --days 2 world ends with the day) and read each one's last hour raw.
            as_of="$(date -u -d "@$((end + 300))" +%Y-%m-%dT%H:%M:%SZ)"
            /usr/bin/time -v -o "$out.time" "$bin/chargeback" report --config "$CONFIG" --period "$period" \
                --prometheus-url "$URL" --output "$out-reports" --format markdown,csv,xlsx,focus --group-by user_id \
                --no-compare --as-of "$as_of" --verbose >"$out.stdout" 2>"$out.stderr" \
                || die "report failed (see $out.stderr)"
            fetched="$(python3 Benchmarks/lib/bench.py fetched "$out.stderr")"
            read -r requests points bytes < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d.get("requests",0), d.get("points",0), d.get("bytes",0))' "$fetched")
            record "$n" "$series" "$backend" "$name" "$out.time" "$requests" "$points" "$bytes"
            exactness "$out-reports" "$dir/history" "$start" "$end" | tee -a "$results/exactness.txt" >&2
            curl_raw "$out-curl" $((start - 93600)) $((end + 300))
            read -r requests bytes < <(awk '{n++; b += $2} END {printf "%d %.0f\n", n, b}' "$out-curl.stdout")
            record "$n" "$series" "$backend" "$name-curl" "$out-curl.time" "$requests" 0 "$bytes"
        done
        stop_server
    done
done

python3 - "$jsonl" <<'PY' | tee "$results/cardinality.md"
import json, math, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print("| series | backend | run | wall s | CPU s | peak RSS MB | requests | points | bytes | wall / curl |")
print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
by = {(r["series"], r["backend"], r["run"]): r for r in rows}
for r in rows:
    curl = by.get((r["series"], r["backend"], r["run"] + "-curl"))
    ratio = f'{r["wall"] / curl["wall"]:.2f}' if curl and curl["wall"] > 0 else ""
    print(f'| {r["series"]:,} | {r["backend"]} | {r["run"]} | {r["wall"]:.2f} | {r["cpu"]:.2f} | {r["rss"]:.0f} '
          f'| {r["requests"]} | {r["points"]:,} | {r["bytes"]:,} | {ratio} |')
print()
print("Growth exponents (log figure ratio / log series ratio), smallest world to each larger one:")
for key in sorted({(r["backend"], r["run"]) for r in rows}):
    series = sorted([r for r in rows if (r["backend"], r["run"]) == key], key=lambda r: r["series"])
    if len(series) < 2:
        continue
    first = series[0]
    for r in series[1:]:
        if r["series"] <= first["series"]:
            continue
        scale = math.log(r["series"] / first["series"])
        exps = {f: math.log(max(r[f], 1e-9) / max(first[f], 1e-9)) / scale for f in ("wall", "cpu", "rss", "points")}
        print(f'- {key[0]} {key[1]}: {first["series"]:,} → {r["series"]:,} series: '
              + ", ".join(f"{f} {e:.2f}" for f, e in exps.items()))
PY
