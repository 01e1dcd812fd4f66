#!/usr/bin/env bash
# A throwaway VictoriaMetrics (single node) holding an imported OpenMetrics history, for the tests.
# The twin of scripts/sample-prometheus.sh, so the same history can be served by both backends.
#
#   scripts/sample-victoriametrics.sh start --history FILE --data DIR
#       Starts victoria-metrics on 127.0.0.1 on a free port in the background with DIR as its
#       storage (log: DIR/victoria-metrics.log), imports FILE through /api/v1/import/prometheus
#       unless DIR already holds that history, waits until every sample is stored and searchable,
#       and prints exactly two lines on stdout:
#           VM_URL=http://127.0.0.1:PORT
#           VM_PID=PID
#   scripts/sample-victoriametrics.sh stop PID
#       Stops that victoria-metrics: TERM, up to 20 s of grace, then KILL.
#
# The import converts OpenMetrics to the Prometheus text format VictoriaMetrics reads: timestamps in
# seconds (with a fraction) become integer milliseconds, comment lines and `# EOF` are dropped. The
# server runs with -retentionPeriod=100y (old and future history is kept), -search.disableCache (no
# rollup cache built while importing) and no -dedup.minScrapeInterval (every raw sample is kept).
#
# Everything else goes to stderr. Environment overrides: VICTORIA_METRICS (binary),
# READY_TIMEOUT (seconds, default 120), VM_FLAGS (more flags, e.g. -search.maxSeries=500).
set -euo pipefail
# shellcheck source=lib/local-server.sh
source "$(dirname "$0")/lib/local-server.sh"

VICTORIA_METRICS="${VICTORIA_METRICS:-victoria-metrics}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"

log() { printf 'sample-victoriametrics: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() {
    sed -n '4,13s/^# \{0,1\}//p' "$0" >&2
    exit 64
}





# Reads one counter of the server's own /metrics (summed over its label sets).
metric_sum() {
    curl -fsS --max-time 5 "$1/metrics" | awk -v name="$2" -v want="$3" '
        index($0, name) == 1 && index($0, want) > 0 { total += $NF }
        END { printf "%.0f\n", total }
    '
}

# Imports the history and waits until the server has stored and can search every sample.
# Returns non-zero (the caller stops the server) when any step fails.
import_history() {
    local url="$1" history="$2" data="$3" countfile="$3/import.count" expected stored deadline started=$SECONDS
    log "importing $history through $url/api/v1/import/prometheus"
    to_prometheus_text "$countfile" <"$history" | gzip -1 |
        curl -fsS --max-time 3600 -X POST -H 'Content-Encoding: gzip' -T - "$url/api/v1/import/prometheus" >&2 ||
        { log "error: the import of $history failed"; return 1; }
    expected="$(<"$countfile")"
    curl -fsS --max-time 60 "$url/internal/force_flush" >/dev/null || { log "error: force_flush failed"; return 1; }
    deadline=$((SECONDS + READY_TIMEOUT))
    while :; do
        stored="$(metric_sum "$url" 'vm_rows{' 'type="storage/')"
        ((stored >= expected)) && break
        if ((SECONDS >= deadline)); then
            log "error: only $stored of $expected samples stored after $READY_TIMEOUT s"
            return 1
        fi
        sleep 0.5
        curl -fsS --max-time 60 "$url/internal/force_flush" >/dev/null || true
    done
    fingerprint "$history" >"$data/import.source"
    log "imported $expected samples in $((SECONDS - started)) s"
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
    command -v "$VICTORIA_METRICS" >/dev/null || die "victoria-metrics not found (set VICTORIA_METRICS)"
    command -v curl >/dev/null || die "curl not found"
    [[ -f "$history" ]] || die "no history file: $history"
    mkdir -p "$data"
    data="$(cd "$data" && pwd)"
    local pidfile="$data/victoria-metrics.pid" previous
    if [[ -f "$pidfile" ]]; then
        previous="$(<"$pidfile")"
        if [[ "$previous" =~ ^[0-9]+$ ]] && is_named "$previous" victoria; then
            die "victoria-metrics $previous is already serving $data; stop it first"
        fi
    fi
    local loaded=0
    if [[ -f "$data/import.source" && "$(<"$data/import.source")" == "$(fingerprint "$history")" ]]; then
        loaded=1
    else
        # A different or half-finished import: start from an empty storage.
        rm -rf "$data/storage" "$data/import.source"
    fi

    local attempt port pid url status started=$SECONDS
    for attempt in 1 2 3; do
        port="$(free_port 18428)" || die "no free port found"
        url="http://127.0.0.1:$port"
        log "starting victoria-metrics on $url (attempt $attempt), log: $data/victoria-metrics.log"
        "$VICTORIA_METRICS" \
            -storageDataPath="$data/storage" \
            -httpListenAddr="127.0.0.1:$port" \
            -retentionPeriod=100y \
            -search.disableCache \
            -selfScrapeInterval=0 \
            ${VM_FLAGS:-} \
            </dev/null >>"$data/victoria-metrics.log" 2>&1 &
        pid=$!
        echo "$pid" >"$pidfile"
        status=0
        wait_http "$url/health" "$pid" || status=$?
        if ((status == 0)); then
            log "ready after $((SECONDS - started)) s"
            if ((loaded == 0)); then
                import_history "$url" "$history" "$data" || { kill "$pid" 2>/dev/null; exit 1; }
            else
                log "$data already holds $history; not importing"
            fi
            printf 'VM_URL=%s\nVM_PID=%s\n' "$url" "$pid"
            return 0
        fi
        if ((status == 2)) && tail -n 20 "$data/victoria-metrics.log" | grep -q 'address already in use'; then
            continue
        fi
        break
    done
    kill "$pid" 2>/dev/null || true
    log "victoria-metrics did not become ready; last lines of $data/victoria-metrics.log:"
    tail -n 30 "$data/victoria-metrics.log" >&2 || true
    exit 1
}

stop() {
    local pid="${1:-}" i
    [[ "$pid" =~ ^[0-9]+$ ]] || usage
    if ! kill -0 "$pid" 2>/dev/null; then
        log "process $pid is not running"
        return 0
    fi
    is_named "$pid" victoria || die "process $pid is not victoria-metrics; not stopping it"
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
