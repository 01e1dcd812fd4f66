#!/usr/bin/env bash
# Proof that secrets stay secret: runs IntegrationTests.SecretsSweepTests alone. Every subcommand
# of the built binary runs with --verbose, succeeding and failing, with a bearer token, a
# basic-auth password and a TLS client key configured; stdout, stderr and every file written
# (reports, workbooks, mails, manifests) are searched for each secret and its base64 form.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build --disable-swift-testing --filter "IntegrationTests.SecretsSweepTests"
