#!/usr/bin/env bash
# Installs what the build and tests need beyond the .NET SDK. Idempotent; safe to run on every test run.
# Today the SDK needs nothing else: the TOML reader, the validator and the packaging are plain .NET.
set -euo pipefail
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK is required (https://dot.net); install it, then run this again." >&2
  exit 1
fi
