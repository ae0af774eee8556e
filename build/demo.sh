#!/usr/bin/env bash
# The main job on a built-in default: a local rehearsal of a whole deploy of the sample web app.
#  1. Packs FlyIo.Sdk and validates a copy of the sample with three deliberate fly.toml mistakes, to show the
#     located FLYnnnn diagnostics (this step is meant to fail, and the script goes on).
#  2. Starts the local stand-ins for Fly (a registry with basic auth, the .NET base images, and the local Machines
#     API running machines for real), then runs `dotnet publish -t:FlyDeploy` on the sample: validate, check
#     dependencies, generate the Dockerfile, set the release command, build and push the image with buildah,
#     deploy, verify. It ends by requesting the app through the local edge proxy and printing its URL.
# Needs Linux and root for step 2 (network namespaces, buildah --isolation chroot). Pass a project folder to
# validate your own project instead: build/demo.sh PROJECT_DIR
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
package=$(ls "$packages"/FlyIo.Sdk.*.nupkg | sort -V | tail -n 1)
version=$(basename "$package" | sed -E 's/FlyIo\.Sdk\.(.*)\.nupkg/\1/')
echo "    FlyIo.Sdk $version"

# prepare DEST SOURCE: a copy of SOURCE as a repository of its own, restoring FlyIo.Sdk from a vendored feed in
# the build context (so the restore inside the image finds it too).
prepare() {
  mkdir -p "$1"; cp -r "$2/." "$1/"; rm -rf "$1/bin" "$1/obj"; mkdir -p "$1/.git" "$1/feed"; cp "$package" "$1/feed/"
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /><add key="vendored" value="feed" /></packageSources></configuration>\n' > "$1/NuGet.config"
  printf '{ "msbuild-sdks": { "FlyIo.Sdk": "%s" } }\n' "$version" > "$1/global.json"
  echo '<Project />' > "$1/Directory.Build.props"
}

if [ $# -gt 0 ]; then
  echo "==> Validating $1"
  cd "$1" && exec dotnet build -t:FlyValidate -nodeReuse:false
fi

prepare "$work/Broken" "$root/tests/samples/WebApp"
sed -i -e 's/strategy = "rolling"/strategy = "sideways"/' \
       -e 's/wait_timeout = "5m"/wait_timeout = 600/' \
       -e 's/  force_https = true/  force_https = true\n  interal_port = 8080/' "$work/Broken/fly.toml"
echo "==> Step 1: dotnet build -t:FlyValidate on a copy with three mistakes in fly.toml (meant to fail)"
if (cd "$work/Broken" && dotnet build -t:FlyValidate -nodeReuse:false -tl:off -v:minimal -clp:NoSummary); then
  echo "unexpected: the broken fly.toml validated" >&2; exit 1
fi

if [ "$(uname)" != Linux ] || [ "$(id -u)" != 0 ]; then
  echo "==> Step 2 (the local deploy) needs Linux and root: network namespaces and buildah --isolation chroot." >&2
  exit 1
fi

echo "==> Step 2: local stand-ins for Fly"
registry=$("$root/build/registry.sh" start | tail -n 1)
"$root/build/images/base-images.sh"
# One secret for the rehearsal, as on Fly: the API token, whose bare form is also the registry password.
token=$("$root/build/registry.sh" password)
export FLYIO_MACHINES_API_STATE="$work/machines-api" FLYIO_MACHINES_API_PORT="${FLYIO_MACHINES_API_PORT:-4281}"
api=$(FLYIO_MACHINES_API_TOKEN="$token" "$root/build/machines-api.sh" start --runtime process | tail -n 1)
trap '"$root/build/machines-api.sh" stop >/dev/null 2>&1 || true' EXIT
echo "    registry $registry, Machines API $api"

prepare "$work/WebApp" "$root/tests/samples/WebApp"
echo "==> dotnet publish -t:FlyDeploy (sample web app)"
(cd "$work/WebApp" && FLY_API_TOKEN="$token" dotnet publish -t:FlyDeploy -nodeReuse:false -tl:off -v:minimal \
  -p:FlyApiUrl="$api" -p:FlyRegistry="$registry" -p:FlyBaseImageRegistry="$registry" -p:FlyImageBuilder=buildah)

app=$(sed -n 's/^app = "\(.*\)"/\1/p' "$work/WebApp/fly.toml")
proxy=$(curl -sf -X POST -H "Authorization: Bearer $token" "$api/__admin/proxy/$app" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
for _ in $(seq 60); do
  if body=$(curl -sf "$proxy/"); then break; fi
  sleep 1
done
echo "==> $app answers through the local edge proxy at $proxy: $body"
echo "==> Done. The local Machines API keeps running until this script exits; rerun to deploy again."
