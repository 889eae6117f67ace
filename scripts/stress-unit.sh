#!/usr/bin/env bash
# Runs the unit suite N times in a row (default 10) while two busy loops load the machine, and
# stops at the first failing run. A suite that can fail under load is a defect
# (docs/DESIGN.md#tests); this is how to find out.
#
#   scripts/stress-unit.sh [runs] [vitest args...]
#
# Each run's output goes to .stress/run-<n>.log (git-ignored); a failure prints the run and the
# tests that failed.
set -u
cd "$(dirname "$0")/.."

runs="${1:-10}"
shift $(( $# > 0 ? 1 : 0 ))
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/stress-unit.sh [runs] [vitest args...] (runs: a positive integer, got '$runs')" >&2
  exit 2
fi

logs=.stress
mkdir -p "$logs"

loads=()
stop_loads() {
  for pid in "${loads[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${loads[@]}"; do wait "$pid" 2>/dev/null; done
  loads=()
}
trap stop_loads EXIT
trap 'exit 130' INT TERM

for _ in 1 2; do
  node -e 'for(;;){}' &
  loads+=("$!")
done
echo "busy loops: ${loads[*]}"

started=$SECONDS
passed=0
for (( run = 1; run <= runs; run++ )); do
  log="$logs/run-$run.log"
  run_started=$SECONDS
  # Without colour codes, so the log reads (and greps) as plain text.
  NO_COLOR=1 FORCE_COLOR=0 npx vitest run "$@" 2>&1 | sed -E 's/\x1b\[[0-9;]*m//g' >"$log"
  status=${PIPESTATUS[0]}
  took=$(( SECONDS - run_started ))
  if (( status != 0 )); then
    echo "run $run/$runs FAILED after ${took} s (exit $status, log: $log)"
    # The summary lists each failed test as ` FAIL  <project> <file> > <suite> > <test>`.
    grep -E '^ *(FAIL|×) ' "$log" | sort -u
    grep -qE 'Unhandled (Error|Rejection)' "$log" && echo "and unhandled errors: see $log"
    echo "$passed/$runs runs passed in $(( (SECONDS - started) / 60 )) min"
    exit 1
  fi
  passed=$(( passed + 1 ))
  echo "run $run/$runs passed in ${took} s ($(grep -E '^ +Tests ' "$log" | sed -E 's/^ +//'))"
done
echo "$passed/$runs runs passed in $(( (SECONDS - started) / 60 )) min"
