#!/usr/bin/env bash
# The main job on a built-in default: a local rehearsal of a whole deploy of the sample web app (EF Core + Npgsql).
#  1. Packs FlyIo.Sdk and validates a copy of a sample with three deliberate fly.toml mistakes, to show the
#     located FLYnnnn diagnostics (this step is meant to fail, and the script goes on).
#  2. Starts the local stand-ins for Fly (a registry with basic auth, the .NET base images, a PostgreSQL with an
#     empty database, and the local Machines API running machines for real, which reach that database as
#     db.flycast:5432), then runs `dotnet publish -t:FlyDeploy` on tests/samples/release/EfWebApp: validate, check
#     dependencies, generate the Dockerfile, set the release command (EF Core migrations), build and push the image
#     with buildah, set the DATABASE_URL secret, run the migrations on a release machine, create the machines, wait
#     for their health checks. It ends by adding a row through the local edge proxy, reading it back, and printing
#     the app's URL.
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
# the build context (so the restore inside the image finds it too) and other packages from nuget.org.
prepare() {
  mkdir -p "$1"; cp -r "$2/." "$1/"; rm -rf "$1/bin" "$1/obj"; mkdir -p "$1/.git" "$1/feed"; cp "$package" "$1/feed/"
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /><add key="vendored" value="feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>\n' > "$1/NuGet.config"
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
"$root/build/postgres.sh" start >/dev/null
# An empty database every run, so the release command has migrations to apply. Machines reach it as Fly apps reach
# a Fly Postgres app: by a private name (db.flycast:5432), here relayed to the loopback-only PostgreSQL.
database_url=$("$root/build/postgres.sh" fresh flyio_demo | tail -n 1)
pg_port=$(echo "$database_url" | sed -E 's#.*@127\.0\.0\.1:([0-9]+)/.*#\1#')
# One secret for the rehearsal, as on Fly: the API token, whose bare form is also the registry password.
token=$("$root/build/registry.sh" password)
export FLYIO_MACHINES_API_STATE="$work/machines-api" FLYIO_MACHINES_API_PORT="${FLYIO_MACHINES_API_PORT:-4281}"
api=$(FLYIO_MACHINES_API_TOKEN="$token" "$root/build/machines-api.sh" start --runtime process \
  --host-service "db.flycast:5432=127.0.0.1:$pg_port" | tail -n 1)
trap '"$root/build/machines-api.sh" stop >/dev/null 2>&1 || true' EXIT
echo "    registry $registry, Machines API $api, PostgreSQL 127.0.0.1:$pg_port (db.flycast:5432 from machines)"

prepare "$work/EfWebApp" "$root/tests/samples/release/EfWebApp"
# The one line a user adds (its version comes from global.json's msbuild-sdks). The sample keeps a hand-written
# Dockerfile (the kind `fly launch` writes) for other tests; here the SDK writes its own.
sed -i 's#^<Project Sdk="Microsoft.NET.Sdk.Web">#&\n  <Sdk Name="FlyIo.Sdk" />#' "$work/EfWebApp/EfWebApp.csproj"
rm "$work/EfWebApp/Dockerfile"
echo "==> dotnet publish -t:FlyDeploy (sample EF Core web app)"
# The sample's FlySecret item reads DATABASE_URL from the environment: the secret never sits in a file.
(cd "$work/EfWebApp" && FLY_API_TOKEN="$token" DATABASE_URL="${database_url/127.0.0.1:$pg_port/db.flycast:5432}" \
  dotnet publish -t:FlyDeploy -nodeReuse:false -tl:off -v:minimal \
  -p:FlyApiUrl="$api" -p:FlyRegistry="$registry" -p:FlyBaseImageRegistry="$registry" -p:FlyImageBuilder=buildah)

app=$(sed -n 's/^app = "\(.*\)"/\1/p' "$work/EfWebApp/fly.toml")
# The header comes from standard input (-H @-), so the token is never on curl's command line.
proxy=$(printf 'Authorization: Bearer %s\n' "$token" | curl -sf -X POST -H @- "$api/__admin/proxy/$app" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
for _ in $(seq 60); do
  if curl -sf "$proxy/healthz" >/dev/null; then break; fi
  sleep 1
done
created=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"title":"ship it with dotnet publish"}' "$proxy/todos")
echo "==> POST $proxy/todos -> $created"
echo "==> GET  $proxy/todos -> $(curl -sf "$proxy/todos")"
echo "==> $app answers through the local edge proxy at $proxy"
echo "==> Done. The local Machines API keeps running until this script exits; rerun to deploy again."
