#!/usr/bin/env bash
# Runs the whole test suite and ends with one plain line: "N passed, N failed, N skipped".
# Exits non-zero when a test fails, the build fails, or no test ran at all.
# Extra arguments go to `dotnet test` (e.g. --project tests/OtpGate.OneMsg.Tests).
set -uo pipefail
cd "$(dirname "$0")/.."

results="${OTPGATE_TEST_RESULTS:-$PWD/artifacts/test-results}"
rm -rf "$results"
mkdir -p "$results"

dotnet test --results-directory "$results" --report-xunit-trx --no-progress "$@"
status=$?

# The storage-backed suites (engine and server) again, on PostgreSQL (OTPGATE_TEST_POSTGRES names a server; without it the tests
# start a throwaway cluster when PostgreSQL is installed, and are skipped otherwise, or fail when CI is set).
if [ "$#" -eq 0 ] && [ "${OTPGATE_SKIP_POSTGRES:-}" != "1" ]; then
  for project in tests/OtpGate.Verification.Tests tests/OtpGate.Server.Tests; do
    echo "== $project on PostgreSQL"
    OTPGATE_TEST_STORAGE=postgres dotnet test --project "$project" --no-build --results-directory "$results/postgres" \
      --report-xunit-trx --no-progress -- --filter-not-trait "Storage=sqlite-only" --filter-not-trait "Storage=postgres-only" || status=1
  done
fi

passed=0 failed=0 skipped=0 files=0
shopt -s nullglob
for trx in "$results"/*.trx "$results"/**/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  [ -n "$counters" ] || continue
  files=$((files + 1))
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$files" -eq 0 ]; then
  echo "No test results were written (build failure?); see the output above." >&2
  failed=$((failed + 1))
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
