#!/usr/bin/env bash
# Builds (once) a large Prometheus TSDB from generate-history's scale mode, for the benchmark.
#
#   Benchmarks/make-history.sh --work DIR --bin GENERATE_HISTORY [generate-history options…]
#
# The TSDB is cached in DIR/histories/KEY/, KEY being a hash of the generator's sources, the
# options and the promtool version: a rerun with the same key prints the folder and does nothing
# else. Otherwise the generator writes the OpenMetrics history in 18 h parts (epoch-aligned, the
# block size of promtool's --max-block-duration=18h, so each part becomes exactly one block) into a
# scratch folder (on /dev/shm when it has room: 2,000 series give ~1.6 GB of text per part), while
# this script imports each finished part with `promtool tsdb create-blocks-from openmetrics` and
# deletes it; a finished part waits (unrenamed) while the previous one is still there, so at most two parts
# exist at once. Prints on stdout exactly one line, HISTORY_DIR=DIR/histories/KEY, which holds
#   tsdb/        the blocks (serve them with --storage.tsdb.max-block-duration=18h, or Prometheus
#                compacts them in the background)
#   truth.csv    exact tokens per UTC hour, gateway, model and token type
#   faults.json  resets, gaps, pods
#   build.json   generation and backfill times, samples, text bytes, TSDB bytes
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
PROMTOOL="${PROMTOOL:-promtool}"
PART_HOURS=18

work="" bin=""
args=()
while (($# > 0)); do
    case "$1" in
        --work) work="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
[[ -n "$work" && -x "$bin" ]] || { echo "usage: $0 --work DIR --bin GENERATE_HISTORY [options]" >&2; exit 64; }
log() { printf 'make-history: %s\n' "$*" >&2; }

key="$( { (cd "$repo" && find Sources/generate-history -type f -name '*.swift' | LC_ALL=C sort | xargs sha256sum)
          printf '%s\n' "${args[@]}" "part-hours=$PART_HOURS"; "$PROMTOOL" --version 2>&1 | head -1; } \
        | sha256sum | cut -c1-16)"
dir="$work/histories/$key"
if [[ -f "$dir/build.json" ]]; then
    log "cached: $dir (${args[*]})"
    echo "HISTORY_DIR=$dir"
    exit 0
fi
rm -rf "$dir"
mkdir -p "$dir/tsdb"
printf '%s\n' "${args[@]}" >"$dir/options.txt"

# Scratch for the text parts: RAM when /dev/shm has 8 GB free, else the work folder.
if [[ -d /dev/shm ]] && (( $(df -Pk /dev/shm | awk 'NR==2 {print $4}') > 8 * 1024 * 1024 )); then
    scratch="/dev/shm/chargeback-bench-$key"
else
    scratch="$dir/scratch"
fi
rm -rf "$scratch"
mkdir -p "$scratch"
gen_pid=""
cleanup() {
    [[ -n "$gen_pid" ]] && kill "$gen_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

log "generating into $scratch and backfilling into $dir/tsdb: ${args[*]}"
started=$(date +%s.%N)
/usr/bin/time -f '%e %U %S %M' -o "$dir/generator.time" \
    "$bin" --out "$scratch" --part-hours "$PART_HOURS" --max-pending 1 "${args[@]}" 2>"$dir/generator.log" &
gen_pid=$!

promtool_cpu=0 promtool_wall=0 parts=0 text_bytes=0 peak_scratch=0
import_part() {
    local part="$1" blocks="$dir/tsdb/import.tmp" t0 t1 usage
    rm -rf "$blocks"
    mkdir -p "$blocks"
    text_bytes=$((text_bytes + $(stat -c %s "$part")))
    usage=$(du -sk "$scratch" | cut -f1)
    if ((usage > peak_scratch)); then peak_scratch=$usage; fi
    /usr/bin/time -f '%e %U %S' -o "$dir/promtool.time" \
        "$PROMTOOL" tsdb create-blocks-from openmetrics --quiet --max-block-duration="${PART_HOURS}h" \
        "$part" "$blocks" >>"$dir/promtool.log" 2>&1 || { log "promtool failed on $part"; tail "$dir/promtool.log" >&2; exit 1; }
    read -r t0 t1 t2 <"$dir/promtool.time"
    promtool_wall=$(awk "BEGIN {printf \"%.2f\", $promtool_wall + $t0}")
    promtool_cpu=$(awk "BEGIN {printf \"%.2f\", $promtool_cpu + $t1 + $t2}")
    mv "$blocks"/*/ "$dir/tsdb/"
    rmdir "$blocks"
    rm -f "$part"
    parts=$((parts + 1))
    log "imported $(basename "$part") ($parts parts, $(du -sh "$dir/tsdb" | cut -f1) TSDB)"
}

while :; do
    next="$( (find "$scratch/parts" -maxdepth 1 -name 'history-*.om' 2>/dev/null || true) | LC_ALL=C sort | head -1)"
    if [[ -n "$next" ]]; then
        import_part "$next"
    elif kill -0 "$gen_pid" 2>/dev/null; then
        sleep 0.3
    else
        break
    fi
done
status=0
wait "$gen_pid" || status=$?
gen_pid=""
((status == 0)) || { log "generate-history failed ($status)"; cat "$dir/generator.log" >&2; exit 1; }
# A part finished between the last look and the generator's exit.
for next in $(find "$scratch/parts" -maxdepth 1 -name 'history-*.om' | LC_ALL=C sort); do import_part "$next"; done
cp "$scratch/truth.csv" "$scratch/faults.json" "$dir/"
elapsed=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $started}")
read -r g_wall g_user g_sys g_rss <"$dir/generator.time"
summary="$(tail -1 "$dir/generator.log")"
samples="$(sed -n 's/.* \([0-9]*\) samples.*/\1/p' <<<"$summary")"
series="$(sed -n 's/.*(\([0-9]*\) token counters).*/\1/p' <<<"$summary")"
tsdb_bytes=$(du -sb "$dir/tsdb" | cut -f1)
cat >"$dir/build.json" <<JSON
{
  "options": "$(echo "${args[*]}")",
  "token_series": ${series:-0},
  "samples": ${samples:-0},
  "text_bytes": $text_bytes,
  "parts": $parts,
  "peak_scratch_bytes": $((peak_scratch * 1024)),
  "scratch": "$scratch",
  "total_wall_s": $elapsed,
  "generator_wall_s": $g_wall,
  "generator_cpu_s": $(awk "BEGIN {printf \"%.2f\", $g_user + $g_sys}"),
  "generator_peak_rss_kb": $g_rss,
  "promtool_wall_s": $promtool_wall,
  "promtool_cpu_s": $promtool_cpu,
  "tsdb_bytes": $tsdb_bytes
}
JSON
log "done in ${elapsed} s: $summary; TSDB $(du -sh "$dir/tsdb" | cut -f1)"
echo "HISTORY_DIR=$dir"
