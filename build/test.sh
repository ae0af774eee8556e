#!/usr/bin/env bash
# Runs every test: builds the solution, packs FlyIo.Sdk once, runs all NUnit suites (which build real projects
# against that package), and ends with one "N passed, N failed, N skipped" line.
# Usage: build/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Toml]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/build/install-prerequisites.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
artifacts="$root/artifacts"
results="$artifacts/test-results"
packages="$artifacts/packages"
rm -rf "$results" "$packages"
mkdir -p "$results" "$packages"

dotnet build FlyIo.Sdk.sln -c Release -nodeReuse:false -tl:off -v:minimal
dotnet pack FlyIo.Sdk.sln -c Release --no-build -o "$packages" -nodeReuse:false -tl:off -v:minimal
export FLYIO_SDK_PACKAGE_DIR="$packages"

# Services the tests use, started once for the whole run (the suites run in parallel and must not stop them under
# each other). They need Linux and root; elsewhere the tests that need them skip with the reason.
if [ "$(uname)" = Linux ] && [ "$(id -u)" = 0 ]; then
  "$root/build/postgres.sh" start >/dev/null
  "$root/build/registry.sh" start >/dev/null
  trap '"$root/build/postgres.sh" stop >/dev/null 2>&1 || true; "$root/build/registry.sh" stop >/dev/null 2>&1 || true' EXIT
  # The local stand-ins for mcr.microsoft.com/dotnet/*: built once per machine (cached), before the suites that
  # use them run side by side.
  "$root/build/images/base-images.sh"
  # Stand-ins for the Docker Hub images standalone Python and Node apps start FROM (debian, node), same cache.
  "$root/build/images/script-images.sh"
fi

set +e
dotnet test FlyIo.Sdk.sln -c Release --no-build --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
test_exit=$?
set -e

"$root/build/summarize-trx.sh" "$results"
summary_exit=$?
if [ "$test_exit" -ne 0 ] && [ "$summary_exit" -eq 0 ]; then
  echo "dotnet test exited with $test_exit" >&2
  exit "$test_exit"
fi
exit "$summary_exit"
