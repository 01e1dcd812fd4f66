# Helpers shared by scripts/sample-prometheus.sh and scripts/sample-victoriametrics.sh, which
# start throwaway servers on 127.0.0.1 for the demo and the tests. Source it; it defines functions only.

# Identifies a history file cheaply: its size and the checksums of its first and last MiB.
fingerprint() {
    local size head tail
    size="$(wc -c <"$1" | tr -d ' ')"
    head="$(head -c 1048576 "$1" | cksum | cut -d ' ' -f 1)"
    tail="$(tail -c 1048576 "$1" | cksum | cut -d ' ' -f 1)"
    echo "$size $head $tail"
}

# Prints a TCP port on 127.0.0.1 that is free right now; BASE is where the fallback scan starts.
free_port() {
    local base="$1" port
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' \
            2>/dev/null && return 0
    fi
    for ((port = base + RANDOM % 2000; port < base + 10000; port++)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# True when PID is a live process whose name starts with NAME (checked where /proc exists).
is_named() {
    local pid="$1" name="$2"
    kill -0 "$pid" 2>/dev/null || return 1
    [[ ! -r "/proc/$pid/comm" ]] || [[ "$(cat "/proc/$pid/comm")" == "$name"* ]]
}

# Waits until URL answers with success (READY_TIMEOUT seconds); returns 2 early if PID exits.
wait_http() {
    local url="$1" pid="$2" deadline=$((SECONDS + READY_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 2
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.25
    done
    return 1
}

# OpenMetrics on stdin to Prometheus text with millisecond timestamps on stdout, for
# VictoriaMetrics' /api/v1/import/prometheus; the number of samples written goes to the file named
# by $1. A sample line is `name{labels} value [timestamp]`: the part after the last `}` (or after
# the name) has two fields when a timestamp is present. Comment lines and `# EOF` are dropped.
to_prometheus_text() {
    awk -v countfile="$1" '
        /^#/ || NF == 0 { next }
        {
            brace = 0
            for (i = length($0); i > 0; i--) if (substr($0, i, 1) == "}") { brace = i; break }
            if (brace == 0) brace = index($0, " ")
            n = split(substr($0, brace + 1), fields, " ")
            if (n == 2) {
                head = substr($0, 1, length($0) - length(fields[2]))
                printf "%s%.0f\n", head, fields[2] * 1000
            } else {
                print
            }
            samples++
        }
        END { print samples + 0 > countfile }
    '
}
