#!/usr/bin/env bash
# A throwaway Prometheus holding a backfilled OpenMetrics history, for the demo and the tests.
#
#   scripts/sample-prometheus.sh start --history FILE --data DIR
#       Backfills DIR from FILE with promtool unless DIR already holds a TSDB block (blocks this
#       script backfilled from a different FILE are rebuilt), starts prometheus on 127.0.0.1 on a
#       free port in the background (log: DIR/prometheus.log), waits until it is ready and prints
#       exactly two lines on stdout:
#           PROM_URL=http://127.0.0.1:PORT
#           PROM_PID=PID
#   scripts/sample-prometheus.sh stop PID
#       Stops that prometheus: TERM, up to 20 s of grace, then KILL.
#
# Everything else goes to stderr. Environment overrides: PROMETHEUS, PROMTOOL (binaries),
# READY_TIMEOUT (seconds, default 120), BACKFILL_MAX_BLOCK_DURATION (default 40000h),
# PROMETHEUS_FLAGS (extra flags for the server, e.g. --web.enable-admin-api).
set -euo pipefail
# shellcheck source=lib/local-server.sh
source "$(dirname "$0")/lib/local-server.sh"

PROMETHEUS="${PROMETHEUS:-prometheus}"
PROMTOOL="${PROMTOOL:-promtool}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
# promtool rounds this down to 2h x 3^k (at most 39366h, about 4.5 years) and then reads the whole
# input once per block; a huge value gives one block per 4.5 years, so usually a single pass.
BACKFILL_MAX_BLOCK_DURATION="${BACKFILL_MAX_BLOCK_DURATION:-40000h}"

log() { printf 'sample-prometheus: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() {
    sed -n '3,12s/^# \{0,1\}//p' "$0" >&2
    exit 64
}

# True when DIR holds at least one TSDB block (a ULID folder with meta.json).
has_block() {
    local meta
    for meta in "$1"/*/meta.json; do
        [[ -f "$meta" ]] && return 0
    done
    return 1
}


# Removes the blocks of a data folder this script backfilled, when the history has changed since.
# Folders without our marker (backfill.source) are never touched.
drop_stale_blocks() {
    local history="$1" data="$2" marker="$2/backfill.source" block
    [[ -f "$history" && -f "$marker" ]] || return 0
    [[ "$(<"$marker")" != "$(fingerprint "$history")" ]] || return 0
    log "$history is not the history $data was backfilled from; rebuilding its blocks"
    for block in "$data"/*/; do
        block="${block%/}"
        [[ "${block##*/}" =~ ^[0-9A-HJKMNP-TV-Z]{26}$ && -f "$block/meta.json" ]] && rm -rf "$block"
    done
    rm -rf "$data/wal" "$data/chunks_head" "$marker"
}

# Backfills the history into a scratch folder, then moves the finished blocks into DIR, so a
# failed run leaves no partial blocks behind. Records which history it was in DIR/backfill.source.
backfill() {
    local history="$1" data="$2" scratch="$2/backfill.tmp" block started
    rm -rf "$scratch"
    mkdir -p "$scratch"
    log "backfilling $history into $data (max block duration $BACKFILL_MAX_BLOCK_DURATION)"
    started=$SECONDS
    if ! "$PROMTOOL" tsdb create-blocks-from openmetrics --quiet \
        --max-block-duration="$BACKFILL_MAX_BLOCK_DURATION" "$history" "$scratch" >&2; then
        rm -rf "$scratch"
        die "promtool could not backfill $history"
    fi
    for block in "$scratch"/*/; do
        [[ -f "$block/meta.json" ]] && mv "$block" "$data/"
    done
    rm -rf "$scratch"
    has_block "$data" || die "promtool wrote no block from $history"
    fingerprint "$history" >"$data/backfill.source"
    log "backfill done in $((SECONDS - started)) s"
}




start() {
    local history="" data=""
    while (($# > 0)); do
        case "$1" in
            --history) history="${2:-}"; shift 2 || usage ;;
            --data) data="${2:-}"; shift 2 || usage ;;
            *) usage ;;
        esac
    done
    [[ -n "$history" && -n "$data" ]] || usage
    command -v "$PROMETHEUS" >/dev/null || die "prometheus not found (set PROMETHEUS)"
    command -v "$PROMTOOL" >/dev/null || die "promtool not found (set PROMTOOL)"
    command -v curl >/dev/null || die "curl not found"
    mkdir -p "$data"
    data="$(cd "$data" && pwd)"
    local pidfile="$data/prometheus.pid" previous
    if [[ -f "$pidfile" ]]; then
        previous="$(<"$pidfile")"
        if [[ "$previous" =~ ^[0-9]+$ ]] && is_named "$previous" prometheus; then
            die "prometheus $previous is already serving $data; stop it first"
        fi
    fi

    drop_stale_blocks "$history" "$data"
    if has_block "$data"; then
        log "$data already holds TSDB blocks; not backfilling"
    else
        [[ -f "$history" ]] || die "no history file: $history"
        backfill "$history" "$data"
    fi

    local config="$data/prometheus.yml"
    cat >"$config" <<'EOF'
# Written by scripts/sample-prometheus.sh: no scrape targets, only the backfilled history.
global:
  evaluation_interval: 1m
scrape_configs: []
EOF

    local lockfile=()
    # Debian's build only locks the data folder when asked; upstream builds lock it by default.
    if "$PROMETHEUS" --help 2>&1 | grep -q -- '--storage.tsdb.use-lockfile'; then
        lockfile=(--storage.tsdb.use-lockfile)
    fi

    local attempt port pid url status started=$SECONDS
    for attempt in 1 2 3; do
        port="$(free_port 19090)" || die "no free port found"
        url="http://127.0.0.1:$port"
        log "starting prometheus on $url (attempt $attempt), log: $data/prometheus.log"
        "$PROMETHEUS" \
            --config.file="$config" \
            --storage.tsdb.path="$data" \
            --storage.tsdb.retention.time=100y \
            --web.listen-address="127.0.0.1:$port" \
            ${lockfile[@]+"${lockfile[@]}"} \
            ${PROMETHEUS_FLAGS:-} \
            </dev/null >>"$data/prometheus.log" 2>&1 &
        pid=$!
        echo "$pid" >"$pidfile"
        status=0
        wait_http "$url/-/ready" "$pid" || status=$?
        if ((status == 0)); then
            log "ready after $((SECONDS - started)) s"
            printf 'PROM_URL=%s\nPROM_PID=%s\n' "$url" "$pid"
            return 0
        fi
        if ((status == 2)) && tail -n 20 "$data/prometheus.log" | grep -q 'address already in use'; then
            continue
        fi
        break
    done
    kill "$pid" 2>/dev/null || true
    log "prometheus did not become ready; last lines of $data/prometheus.log:"
    tail -n 30 "$data/prometheus.log" >&2 || true
    exit 1
}

stop() {
    local pid="${1:-}" i
    [[ "$pid" =~ ^[0-9]+$ ]] || usage
    if ! kill -0 "$pid" 2>/dev/null; then
        log "process $pid is not running"
        return 0
    fi
    is_named "$pid" prometheus || die "process $pid is not prometheus; not stopping it"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 80; i++)); do
        kill -0 "$pid" 2>/dev/null || { log "stopped $pid"; return 0; }
        sleep 0.25
    done
    log "process $pid ignored TERM for 20 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) usage ;;
esac
