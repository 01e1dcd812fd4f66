#!/usr/bin/env bash
# The cardinality curve (issue 31): `Benchmarks/run.sh --cardinality` runs this after its build.
#
#   Benchmarks/cardinality.sh --bin DIR --results DIR [--users "60 300 900 2900"] [--days 13]
#                             [--backends "vm prom"] [--start 2026-10-01T00:00:00Z]
#
# For each N in --users (default ≈1k, 5k, 15k and 50k series: about 17 series per user over the
# history) it generates a per-user world (`generate-history --users N`, 60 s scrapes, from
# --start (2026-10-01; 2026-10-02 with --days 2 still holds the day report's read range) for
# --days days, cached in BENCH_WORK/cardinality/users-N-days-D[-from-START]), serves it from
# VictoriaMetrics (default flags) and Prometheus (default flags), and times, under /usr/bin/time -v:
#   day    `chargeback report --period 2026-10-03 --group-by user_id`, all formats, --verbose
#   week   the same for 2026-W41 (Monday 5 October to 11 October; needs --days ≥ 13)
#   curl   every raw sample the report's read range holds (the period ± 26 h), as instant
#          queries of 6 h range selectors, 4 at a time, bodies to /dev/null
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
        *) sed -n '2,19s/^# \{0,1\}//p' "$0" >&2; exit 64 ;;
    esac
    shift
done
[[ -x "$bin/chargeback" && -x "$bin/generate-history" && -n "$results" ]] || { sed -n '2,19s/^# \{0,1\}//p' "$0" >&2; exit 64; }
WORK="${BENCH_WORK:-$repo/.bench-work}/cardinality"
CONFIG="${CONFIG:-Samples/chargeback.yaml}"
METRIC=agentgateway_gen_ai_client_token_usage_sum
mkdir -p "$WORK" "$results"
jsonl="$results/cardinality.jsonl"
: >"$jsonl"
log() { printf 'cardinality: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

SERVER_PID="" SERVER_SCRIPT=""
stop_server() {
    [[ -n "$SERVER_PID" ]] && "$SERVER_SCRIPT" stop "$SERVER_PID" >/dev/null 2>&1 || true
    SERVER_PID=""
}
trap stop_server EXIT

# Starts BACKEND (vm or prom) on the history of DIR; sets URL.
start_server() {
    local backend="$1" dir="$2" out
    if [[ "$backend" == vm ]]; then
        SERVER_SCRIPT=scripts/sample-victoriametrics.sh
        out="$("$SERVER_SCRIPT" start --history "$dir/history/history.om" --data "$dir/vm")"
        URL="$(sed -n 's/^VM_URL=//p' <<<"$out")" SERVER_PID="$(sed -n 's/^VM_PID=//p' <<<"$out")"
    else
        SERVER_SCRIPT=scripts/sample-prometheus.sh
        out="$("$SERVER_SCRIPT" start --history "$dir/history/history.om" --data "$dir/prom")"
        URL="$(sed -n 's/^PROM_URL=//p' <<<"$out")" SERVER_PID="$(sed -n 's/^PROM_PID=//p' <<<"$out")"
    fi
    [[ -n "$URL" && -n "$SERVER_PID" ]] || die "$backend did not start"
}

record() {  # users series backend run time-file requests points bytes
    local wall cpu rss
    read -r wall cpu rss < <(python3 Benchmarks/lib/bench.py time-v "$5")
    printf '{"users": %s, "series": %s, "backend": "%s", "run": "%s", "wall": %s, "cpu": %s, "rss": %s, "requests": %s, "points": %s, "bytes": %s}\n' \
        "$1" "$2" "$3" "$4" "$wall" "$cpu" "$rss" "${6:-0}" "${7:-0}" "${8:-0}" >>"$jsonl"
    log "$1 users ($2 series) $3 $4: wall $wall s, CPU $cpu s, peak RSS $rss MB, ${6:-0} requests, ${7:-0} points"
}

# Every raw sample of [FROM, TO] (Unix seconds) as 6 h range selectors, 4 at a time.
curl_raw() {  # out from to
    local out="$1" from="$2" to="$3" cfg="$1.cfg" t
    : >"$cfg"
    for ((t = to; t > from; t -= 21600)); do
        local range=$((t - from < 21600 ? t - from : 21600))
        [[ -s "$cfg" ]] && echo next >>"$cfg"
        printf 'url = "%s/api/v1/query"\ndata-urlencode = "query=%s[%ss]"\ndata = "time=%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{size_download}\\n"\n' \
            "$URL" "$METRIC" "$range" "$t" >>"$cfg"
    done
    /usr/bin/time -v -o "$out.time" curl -sS --parallel --parallel-max 4 -K "$cfg" >"$out.stdout" 2>"$out.stderr" \
        || die "curl failed (see $out.stderr)"
}

for n in $users; do
    dir="$WORK/users-$n-days-$days"
    [[ "$start_at" == 2026-10-01T00:00:00Z ]] || dir="$dir-from-${start_at%%T*}"
    if [[ ! -s "$dir/history/truth-users.csv" ]]; then
        log "generating $n users over $days days"
        rm -rf "$dir"
        "$bin/generate-history" --out "$dir/history" --users "$n" --start "$start_at" --days "$days" \
            2>"$dir.generate.log" || die "generate-history failed (see $dir.generate.log)"
    fi
    series="$(sed -n 's/.* \([0-9]*\) series,.*/\1/p' "$dir.generate.log")"
    for backend in $backends; do
        start_server "$backend" "$dir"
        runs=("day 2026-10-03 1790985600 1791072000")
        ((days >= 13)) && runs+=("week 2026-W41 1791158400 1791763200")
        for entry in "${runs[@]}"; do
            read -r name period start end <<<"$entry"
            out="$results/$n-$backend-$name"
            /usr/bin/time -v -o "$out.time" "$bin/chargeback" report --config "$CONFIG" --period "$period" \
                --prometheus-url "$URL" --output "$out-reports" --format markdown,csv,xlsx,focus --group-by user_id \
                --no-compare --as-of 2026-12-01T00:00:00Z --verbose >"$out.stdout" 2>"$out.stderr" \
                || die "report failed (see $out.stderr)"
            fetched="$(python3 Benchmarks/lib/bench.py fetched "$out.stderr")"
            read -r requests points bytes < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d.get("requests",0), d.get("points",0), d.get("bytes",0))' "$fetched")
            record "$n" "$series" "$backend" "$name" "$out.time" "$requests" "$points" "$bytes"
            curl_raw "$out-curl" $((start - 93600)) $((end + 93600))
            read -r requests bytes < <(awk '{n++; b += $2} END {print n, b}' "$out-curl.stdout")
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
