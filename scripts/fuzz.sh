#!/usr/bin/env bash
# Fuzzes the parsers of untrusted text with libFuzzer (not run in CI: it takes tens of minutes).
#
#   scripts/fuzz.sh [TARGET|all] [RUNS]    # default: all targets, 1000000 inputs each
#   scripts/fuzz.sh minimize [TARGET|all]  # merge what the last runs found into Tests/Fuzz/Corpus
#
# Targets: config, pricing, teams (the three YAML files), period (--timezone with --period or
# --from/--to), query-response (the Prometheus JSON decoder) and invoice-focus, invoice-anthropic,
# invoice-openai (the invoice reader, from FOCUS CSV, Anthropic and OpenAI cost JSON seeds). Each run starts from the committed
# corpus, writes new inputs and crash reproducers under .build-fuzz/findings/TARGET/, and prints
# the inputs run, the crashes (and hangs: -timeout) and the time taken.
set -euo pipefail
export SWIFT_BACKTRACE=enable=no   # the Swift backtracer and ASan trip over each other
export ASAN_OPTIONS=detect_leaks=0  # Foundation keeps a compiled regex it never frees
cd "$(dirname "$0")/.."

all=(config pricing teams period query-response invoice-focus invoice-anthropic invoice-openai)
scratch=.build-fuzz
findings=$scratch/findings
mode=run
if [ "${1:-}" = minimize ]; then mode=minimize; shift; fi
which=${1:-all}
runs=${2:-1000000}
if [ "$which" = all ]; then targets=("${all[@]}"); else targets=("$which"); fi
for target in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $target "* ]] || { echo "unknown target '$target'; use one of: ${all[*]} or all" >&2; exit 64; }
done

# Coverage and AddressSanitizer for every Swift module (ChargebackCore, Yams, Foundation is not rebuilt).
echo "building chargeback-fuzz (release, -sanitize=fuzzer,address) in $scratch" >&2
CHARGEBACK_FUZZ=1 swift build -c release --scratch-path "$scratch" --product chargeback-fuzz \
  -Xswiftc -sanitize=fuzzer,address >&2
bin=$scratch/release/chargeback-fuzz

max_len() { case $1 in period) echo 96 ;; *) echo 4096 ;; esac; }

if [ "$mode" = minimize ]; then
  # The committed corpus keeps its named seeds (valid-*, invalid-*, crash-*) and gets, under their
  # SHA-1 names, the fewest other inputs that cover what the seeds and the findings cover.
  for target in "${targets[@]}"; do
    corpus=Tests/Fuzz/Corpus/$target
    merged=$(mktemp -d)
    named=$(mktemp -d)
    cp "$corpus"/valid-* "$corpus"/invalid-* "$named"/
    cp "$corpus"/crash-* "$named"/ 2>/dev/null || true
    # Edges only (no hit counts) and a set cover: the smallest corpus that reaches every edge.
    "$bin" "$target" -set_cover_merge=1 -use_counters=0 -max_len="$(max_len "$target")" -timeout=10 "$merged" "$named" \
      "$corpus" "$findings/$target/corpus" 2>/dev/null
    find "$corpus" -maxdepth 1 -type f ! -name 'valid-*' ! -name 'invalid-*' ! -name 'crash-*' -delete
    for file in "$named"/*; do rm -f "$merged/$(sha1sum "$file" | cut -c1-40)"; done
    cp "$merged"/* "$corpus"/ 2>/dev/null || true
    echo "$target: $(ls "$corpus" | wc -l) files, $(cat "$corpus"/* | wc -c) bytes"
    rm -rf "$merged" "$named"
  done
  exit 0
fi

failed=0
printf '%-16s %12s %10s %8s %8s %9s\n' target inputs exec/s crashes hangs seconds
for target in "${targets[@]}"; do
  work=$findings/$target
  mkdir -p "$work/corpus" "$work/artifacts"
  log=$work/fuzz.log
  marker=$work/.started
  touch "$marker"
  start=$(date +%s)
  # Multiple corpus folders: new inputs go to the first; the committed seeds are only read.
  "$bin" "$target" -runs="$runs" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
    -dict="Tests/Fuzz/Dictionaries/$target.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
    "$work/corpus" "Tests/Fuzz/Corpus/$target" >"$log" 2>&1 || true
  seconds=$(( $(date +%s) - start ))
  inputs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  crashes=$(find "$work/artifacts" -name 'crash-*' -newer "$marker" -o -name 'oom-*' -newer "$marker" | wc -l)
  hangs=$(find "$work/artifacts" -name 'timeout-*' -newer "$marker" | wc -l)
  # A crash stops libFuzzer before it prints its final stats; the log still says how far it got.
  if [ -z "$inputs" ]; then
    inputs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
    speed=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2 || true)
  fi
  printf '%-16s %12s %10s %8s %8s %9s\n' "$target" "${inputs:-?}" "${speed:-?}" "$crashes" "$hangs" "$seconds"
  if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    failed=1
    echo "  reproducers in $work/artifacts/ (replay: $bin $target FILE); log: $log" >&2
  fi
done
exit "$failed"
