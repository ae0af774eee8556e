#!/usr/bin/env bash
# The main job on a built-in default: pack FlyIo.Sdk, then validate the sample web app's fly.toml with it, the way
# a user's project would (`dotnet build -t:FlyValidate`). It then validates a copy with three deliberate mistakes
# to show the located FLYnnnn diagnostics. Pass a project folder to validate your own project instead.
# Usage: build/demo.sh [PROJECT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/build/install-prerequisites.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

packages="$root/artifacts/packages"
work="${TMPDIR:-/tmp}/flyio-sdk-demo"
rm -rf "$work"; mkdir -p "$work"
# A private package folder: the demo never writes to the machine's global NuGet cache.
export NUGET_PACKAGES="$work/nuget-packages"

echo "==> Packing FlyIo.Sdk"
dotnet pack "$root/nuget/FlyIo.Sdk.csproj" -c Release -o "$packages" -nodeReuse:false -tl:off -v:quiet
version=$(ls "$packages"/FlyIo.Sdk.*.nupkg | sed -E 's/.*FlyIo\.Sdk\.(.*)\.nupkg/\1/' | sort -V | tail -n 1)
echo "    FlyIo.Sdk $version"

prepare() { # prepare DEST SOURCE: a copy of SOURCE that resolves FlyIo.Sdk from the local package folder
  mkdir -p "$1"; cp -r "$2/." "$1/"; rm -rf "$1/bin" "$1/obj"
  cat > "$1/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$packages" /></packageSources></configuration>
XML
  printf '{ "msbuild-sdks": { "FlyIo.Sdk": "%s" } }\n' "$version" > "$1/global.json"
  echo '<Project />' > "$1/Directory.Build.props"
}

if [ $# -gt 0 ]; then
  echo "==> Validating $1"
  cd "$1" && exec dotnet build -t:FlyValidate -nodeReuse:false
fi

prepare "$work/WebApp" "$root/tests/samples/WebApp"
echo "==> dotnet build -t:FlyValidate (sample web app)"
(cd "$work/WebApp" && dotnet build -t:FlyValidate -nodeReuse:false -tl:off -v:minimal -clp:NoSummary)

prepare "$work/Broken" "$root/tests/samples/WebApp"
sed -i -e 's/strategy = "rolling"/strategy = "sideways"/' \
       -e 's/wait_timeout = "5m"/wait_timeout = 600/' \
       -e 's/  force_https = true/  force_https = true\n  interal_port = 8080/' "$work/Broken/fly.toml"
echo "==> dotnet build -t:FlyValidate (the same app with three mistakes in fly.toml; this one is meant to fail)"
if (cd "$work/Broken" && dotnet build -t:FlyValidate -nodeReuse:false -tl:off -v:minimal -clp:NoSummary); then
  echo "unexpected: the broken fly.toml validated" >&2; exit 1
fi
echo "==> Done: the sample validated cleanly, and each mistake above was reported at its line and column."
