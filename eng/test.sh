#!/usr/bin/env bash
# Runs the whole test suite and ends with one plain line: "N passed, N failed, N skipped".
# Exits non-zero when a test fails, the build fails, or no test ran at all.
# With arguments, they go to a plain `dotnet test` instead (e.g. --project tests/OtpGate.OneMsg.Tests).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then
  exec dotnet test "$@"
fi

results="${OTPGATE_TEST_RESULTS:-$PWD/artifacts/test-results}"
rm -rf "$results"
mkdir -p "$results"
status=0

if ! dotnet build OtpGate.slnx --nologo -v quiet; then
  echo "The build failed; see the errors above." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# One project at a time, each with its own results file (parallel runs can overwrite each other's files).
run_tests() { # run_tests <project> <results file name>
  dotnet test --project "$1" --no-build --results-directory "$results" --report-xunit-trx \
    --report-xunit-trx-filename "$2" --no-progress "${@:3}" || status=1
}

for project in $(find tests -name '*.Tests.csproj' | sort); do
  run_tests "$project" "$(basename "$project" .csproj).trx"
done

# The storage-backed suites (engine, server, and the Twilio libraries against a running server) again, on PostgreSQL (OTPGATE_TEST_POSTGRES names a server; without it
# the tests start a throwaway cluster when PostgreSQL is installed, and are skipped otherwise, or fail when CI is set).
if [ "${OTPGATE_SKIP_POSTGRES:-}" != "1" ]; then
  for project in tests/OtpGate.Verification.Tests tests/OtpGate.Server.Tests tests/OtpGate.TwilioVerify.Tests; do
    echo "== $project on PostgreSQL"
    OTPGATE_TEST_STORAGE=postgres run_tests "$project" "$(basename "$project").postgres.trx" \
      -- --filter-not-trait "Storage=sqlite-only" --filter-not-trait "Storage=postgres-only"
  done
fi

passed=0 failed=0 skipped=0 files=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  [ -n "$counters" ] || continue
  files=$((files + 1))
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$files" -eq 0 ]; then
  echo "No test results were written; see the output above." >&2
  failed=$((failed + 1))
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
