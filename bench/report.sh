#!/usr/bin/env bash
# Times `sluice report render` on the report fixtures with the release binary:
# a typical report, and a huge one (3,000 drift rows, 2,000 tests, 1,000 validation errors)
# rendered whole, to GitHub's 65,536-character budget (every step-down tried), and as all
# five files. Needs hyperfine (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice >/dev/null
bin=.build/release/sluice
fixtures=Tests/Fixtures/reports
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine --warmup 2 --runs 10 --export-markdown "$out/results.md" \
  -n "markdown, typical" "$bin report render --report $fixtures/pass.json --out $out/pass.md" \
  -n "markdown, huge" "$bin report render --report $fixtures/huge.json --out $out/huge.md" \
  -n "markdown, huge, 65,536 budget" "$bin report render --report $fixtures/huge.json --budget 65536 --out $out/huge-gh.md" \
  -n "all five files, huge" "$bin report render --report $fixtures/huge.json --format all --out $out/all"
cat "$out/results.md"
