#!/usr/bin/env bash
# Runs one fuzz target for a bounded time, as the suite does (tests/run) and as a developer may:
#   api/fuzz/run.sh TARGET SECONDS
# Installs cargo-fuzz (pinned) when it is missing, seeds the corpus from the target's seeds and
# the kept regression inputs, and builds without a sanitizer (duban has no `unsafe`; libFuzzer
# still finds panics, overflowing stacks, hangs over 10 s and memory over 2 GB). A finding is
# written to artifacts/TARGET/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?a fuzz target: request or import_text}"
seconds="${2:?how many seconds}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz 0.13.2 (cargo install)"
  cargo install cargo-fuzz --locked --version 0.13.2 --quiet
fi

mkdir -p "corpus/$target"
case "$target" in
  request) cp seeds/request/* ../../tests/fixtures/introspection-query.graphql "corpus/$target/" ;;
  import_text) cp ../data/panshan-2014-103.txt ../src/import/parse/fixtures/*.txt ../src/import/parse/fixtures/fuzz/* "corpus/$target/" ;;
esac

# Stable accepts cargo-fuzz's -Z flags with RUSTC_BOOTSTRAP (see README.md).
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
