#!/usr/bin/env bash
# Benchmarks, each reported against a baseline measured in the same run:
#   build   - no-op incremental `dotnet build` of the sample web app, with vs without FlyIo.Sdk;
#             `-t:FlyValidate` vs an empty target in the same project.
#   toml    - TOML parser throughput and allocations (tests/FlyIo.Sdk.Benchmarks toml-bench).
#   fuzz    - 100,000 mutated TOML inputs; reports crashes and hangs (toml-fuzz).
# Usage: build/bench.sh [build|toml|fuzz|all] [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${1:-all}"
runs="${2:-7}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

ms_now() { date +%s%N | cut -c1-13; }
# median_ms DIR ARGS...: runs `dotnet ARGS` $runs times in DIR, prints the median wall time in ms.
median_ms() {
  local dir="$1"; shift; local times=()
  for _ in $(seq "$runs"); do
    local start; start=$(ms_now)
    (cd "$dir" && dotnet "$@" -nodeReuse:false -tl:off -v:quiet >/dev/null)
    times+=($(( $(ms_now) - start )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

bench_build() {
  local packages="$root/artifacts/packages" work="${TMPDIR:-/tmp}/flyio-sdk-bench"
  rm -rf "$work"; mkdir -p "$work"
  export NUGET_PACKAGES="$work/nuget-packages"
  dotnet pack "$root/FlyIo.Sdk.sln" -c Release -o "$packages" -nodeReuse:false -tl:off -v:quiet
  local version; version=$(ls "$packages"/FlyIo.Sdk.*.nupkg | sed -E 's/.*FlyIo\.Sdk\.(.*)\.nupkg/\1/' | sort -V | tail -n 1)
  for variant in with without; do
    mkdir -p "$work/$variant"; cp -r "$root/tests/samples/WebApp/." "$work/$variant/"
    printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /><add key="local" value="%s" /></packageSources></configuration>\n' "$packages" > "$work/$variant/NuGet.config"
    echo '<Project />' > "$work/$variant/Directory.Build.props"
  done
  sed -i "s#<Sdk Name=\"FlyIo.Sdk\" />#<Sdk Name=\"FlyIo.Sdk\" Version=\"$version\" />#" "$work/with/WebApp.csproj"
  sed -i '/FlyIo.Sdk/d' "$work/without/WebApp.csproj"
  # An empty target in the same project: the baseline for FlyValidate's own cost.
  sed -i 's#</Project>#  <Target Name="BenchEmpty" />\n</Project>#' "$work/with/WebApp.csproj"
  for variant in with without; do (cd "$work/$variant" && dotnet build -nodeReuse:false -tl:off -v:quiet >/dev/null); done

  local with without validate empty
  with=$(median_ms "$work/with" build --no-restore)
  without=$(median_ms "$work/without" build --no-restore)
  validate=$(median_ms "$work/with" msbuild -t:FlyValidate)
  empty=$(median_ms "$work/with" msbuild -t:BenchEmpty)
  echo "no-op incremental build (median of $runs): without SDK ${without} ms, with SDK ${with} ms, ratio $(ratio "$with" "$without")"
  echo "msbuild -t:FlyValidate vs an empty target (median of $runs): ${validate} ms vs ${empty} ms, ratio $(ratio "$validate" "$empty"), difference $((validate - empty)) ms"
}

bench_dotnet() { dotnet run -c Release --project "$root/tests/FlyIo.Sdk.Benchmarks" -- "$@"; }

case "$suite" in
  build) bench_build ;;
  toml) bench_dotnet toml-bench ;;
  fuzz) bench_dotnet toml-fuzz --count 100000 --seed 1 ;;
  all) bench_build; bench_dotnet toml-bench; bench_dotnet toml-fuzz --count 100000 --seed 1 ;;
  *) echo "usage: build/bench.sh [build|toml|fuzz|all] [runs]" >&2; exit 2 ;;
esac
