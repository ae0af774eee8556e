#!/usr/bin/env bash
# Benchmarks, each reported against a baseline measured in the same run:
#   build   - no-op incremental `dotnet build` of the sample web app, with vs without FlyIo.Sdk;
#             `-t:FlyValidate` vs an empty target in the same project.
#   toml    - TOML parser throughput and allocations (tests/FlyIo.Sdk.Benchmarks toml-bench), against Tomlyn's own
#             parser and model and the project's former own reader, built from the commit its recorded baseline
#             names and measured in the same run (when the clone has that commit; else the recorded figures).
#   fuzz    - 1,000,000 mutated TOML inputs through each of the parser, the fly.toml validator and the editor;
#             reports crashes, hangs and memory retained after each run (toml-fuzz --target).
#   scan    - FlyCheckDependencies' lexical C# scan over 10,000 files vs reading their text (deps-scan).
#   deploy  - deploys of 1, 4, 16 and 64 machines with each strategy (rolling, immediate, canary, bluegreen) against
#             the local Machines API (20 ms added per call, 30 ms to start, 500 ms smoke window), each against the
#             strategy's floor: its own waits plus the calls no safe deploy can skip, at the call time measured in
#             the same run (tests/Shared/DeployFloor.cs); API calls per machine (all, and those naming
#             a machine) beside flyctl's count for the same deploy, derived from its source (FlyctlCallCount.cs);
#             calls and time per endpoint for 16 rolled machines; a first deploy with a volume per machine vs
#             without; failed health check to finished rollback.
# Usage: build/bench.sh [build|toml|fuzz|scan|deploy|all] [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${1:-all}"
runs="${2:-7}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

ms_now() { date +%s%N | cut -c1-13; }
time_ms() { # time_ms DIR ARGS...: one `dotnet ARGS` run in DIR, prints its wall time in ms
  local dir="$1"; shift; local start; start=$(ms_now)
  (cd "$dir" && dotnet "$@" -nodeReuse:false -tl:off -v:quiet >/dev/null)
  echo $(( $(ms_now) - start ))
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# paired A_DIR A_ARGS -- B_DIR B_ARGS: runs A and B alternately $runs times, so that whatever else the machine is
# doing falls on both sides alike; prints "medianA medianB".
paired() {
  local a_dir="$1"; shift; local a_args=(); while [ "$1" != "--" ]; do a_args+=("$1"); shift; done; shift
  local b_dir="$1"; shift; local b_args=("$@") a=() b=()
  for _ in $(seq "$runs"); do
    a+=("$(time_ms "$a_dir" "${a_args[@]}")"); b+=("$(time_ms "$b_dir" "${b_args[@]}")")
  done
  echo "$(median "${a[@]}") $(median "${b[@]}")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

bench_build() {
  local packages="$root/artifacts/packages" work="${TMPDIR:-/tmp}/flyio-sdk-bench"
  rm -rf "$work"; mkdir -p "$work"
  export NUGET_PACKAGES="$work/nuget-packages"
  dotnet pack "$root/nuget/FlyIo.Sdk.csproj" -c Release -o "$packages" -nodeReuse:false -tl:off -v:quiet
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
  read -r with without < <(paired "$work/with" build --no-restore -- "$work/without" build --no-restore)
  read -r validate empty < <(paired "$work/with" msbuild -t:FlyValidate -- "$work/with" msbuild -t:BenchEmpty)
  echo "no-op incremental build (median of $runs, alternating): without SDK ${without} ms, with SDK ${with} ms, ratio $(ratio "$with" "$without")"
  echo "msbuild -t:FlyValidate vs an empty target (median of $runs, alternating): ${validate} ms vs ${empty} ms, ratio $(ratio "$validate" "$empty"), difference $((validate - empty)) ms"
  (cd "$work/with" && dotnet msbuild -t:FlyValidate -nodeReuse:false -tl:off -v:quiet -clp:PerformanceSummary | grep -E '^ +[0-9]+ ms +FlyValidate +1 calls' | head -n 1 | sed 's/^ */FlyValidate task time: /')
}

bench_dotnet() { dotnet run -c Release --project "$root/tests/FlyIo.Sdk.Benchmarks" -- "$@"; }

# The project's own TOML reader from before Tomlyn, built from the commit Baselines/toml-own-reader.txt names;
# prints the folder of its FlyIo.Toml.dll, or nothing when this clone lacks that commit.
former_toml_reader() {
  local commit dir="${TMPDIR:-/tmp}/flyio-sdk-former-toml-reader"
  commit=$(grep -oE 'commit [0-9a-f]{7,40}' "$root/tests/FlyIo.Sdk.Benchmarks/Baselines/toml-own-reader.txt" | head -n 1 | cut -d' ' -f2)
  git -C "$root" cat-file -e "$commit^{commit}" 2>/dev/null || { echo "former reader: commit $commit is not in this clone; using its recorded figures" >&2; return 0; }
  rm -rf "$dir"; mkdir -p "$dir"
  git -C "$root" archive "$commit" | tar -x -C "$dir"
  dotnet build "$dir/src/FlyIo.Toml" -c Release -nodeReuse:false -tl:off -v:quiet >/dev/null
  echo "$dir/src/FlyIo.Toml/bin/Release/net8.0"
}
bench_toml() { local former; former=$(former_toml_reader); bench_dotnet toml-bench ${former:+--former "$former"}; }

case "$suite" in
  build) bench_build ;;
  toml) bench_toml ;;
  fuzz) for target in parser validator editor; do bench_dotnet toml-fuzz --target "$target" --count 1000000 --seed 1; done ;;
  scan) bench_dotnet deps-scan 10000 ;;
  deploy) bench_dotnet deploy ;;
  all) bench_build; bench_toml; bench_dotnet toml-fuzz --count 100000 --seed 1; bench_dotnet deps-scan 10000; bench_dotnet deploy ;;
  *) echo "usage: build/bench.sh [build|toml|fuzz|scan|deploy|all] [runs]" >&2; exit 2 ;;
esac
