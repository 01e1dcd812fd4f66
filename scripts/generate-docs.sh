#!/usr/bin/env bash
# Generates the man page (docs/chargeback.1) and shell completion scripts (docs/completions/)
# from the command definitions, with swift-argument-parser's generate-manual plugin.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/completions
swift package --allow-writing-to-package-directory generate-manual --configuration debug \
  --date 2026-11-22 --authors "chargeback maintainers" --output-directory docs
bin=$(swift build --show-bin-path)
for shell in bash zsh fish; do
  "$bin/chargeback" --generate-completion-script "$shell" > "docs/completions/chargeback.$shell"
done
echo "wrote docs/chargeback.1 and docs/completions/" >&2
