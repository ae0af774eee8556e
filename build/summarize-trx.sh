#!/usr/bin/env bash
# Adds up the counters of every .trx file below a folder and prints "N passed, N failed, N skipped".
# Exits non-zero when a test failed or when no test ran at all.
set -euo pipefail
dir="${1:?usage: summarize-trx.sh RESULTS_DIR}"
passed=0; failed=0; skipped=0
shopt -s globstar nullglob
for trx in "$dir"/**/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
