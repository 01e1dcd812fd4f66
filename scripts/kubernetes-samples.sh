#!/usr/bin/env bash
# Generates Samples/kubernetes/ from Samples/chargeback.yaml with the chargeback commands:
#
#   scripts/kubernetes-samples.sh           write the generated files
#   scripts/kubernetes-samples.sh --check   exit 1, with a diff, when a committed file differs
#                                           from what the commands generate now
#
# Builds chargeback first (swift build). KubernetesSamplesTests checks the same in `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
case "${1:-}" in
    --check) check=true ;;
    "") ;;
    *) sed -n '2,8s/^# \{0,1\}//p' "$0" >&2; exit 64 ;;
esac
swift build --product chargeback >&2
bin="$(swift build --show-bin-path)/chargeback"
config=Samples/chargeback.yaml
out=Samples/kubernetes
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/prometheus"
"$bin" rules --config "$config" >"$scratch/prometheusrule.yaml"
"$bin" rules --config "$config" --plain >"$scratch/prometheus/agentgateway-cost.rules.yaml"
"$bin" dashboard --config "$config" >"$scratch/grafana-dashboard.json"
status=0
for file in prometheusrule.yaml prometheus/agentgateway-cost.rules.yaml grafana-dashboard.json; do
    if $check; then
        if ! diff -u "$out/$file" "$scratch/$file"; then
            echo "kubernetes-samples: $out/$file differs from what the commands generate; run $0" >&2
            status=1
        fi
    else
        mkdir -p "$(dirname "$out/$file")"
        cp "$scratch/$file" "$out/$file"
        echo "wrote $out/$file" >&2
    fi
done
exit "$status"
