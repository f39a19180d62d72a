#!/usr/bin/env bash
# Reproduces the figures of docs/reliability.md that CI does not run in
# full: the 20-seed fan-out with a replica crash (10,000 pairs each) and
# every fuzz target for FUZZTIME (default 30s). Needs redis-server for the
# fan-out (it falls back to miniredis without one, and says so).
#
#   scripts/reliability.sh            # fan-out, then fuzzing
#   FUZZTIME=60s scripts/reliability.sh fuzz
#   scripts/reliability.sh fanout
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
fuzztime=${FUZZTIME:-30s}

if [ "$what" = all ] || [ "$what" = fanout ]; then
  PARTNERBOT_RELIABILITY_FULL=1 go test -count=1 -timeout 30m -v \
    -run '^TestFanOutSurvivesAReplicaCrash$' ./internal/checkin/ | grep -E 'reliability_test|^(ok|FAIL|---)'
fi

if [ "$what" = all ] || [ "$what" = fuzz ]; then
  for target in \
    FuzzParseCommand:./internal/bot FuzzParseMention:./internal/bot \
    FuzzViewState:./internal/slackui FuzzMetadata:./internal/slackui FuzzParseWishRef:./internal/slackui FuzzParseCharterRef:./internal/slackui \
    FuzzRoadmapState:./internal/slackui FuzzRoadmapValues:./internal/slackui \
    FuzzParsePairID:./internal/partnership FuzzSuppress:./internal/partnership FuzzParseJob:./internal/checkin FuzzFromIndex:./internal/store FuzzParsedNext:./internal/schedule FuzzParse:./internal/schedule; do
    name=${target%%:*} pkg=${target#*:}
    echo "== go test -run='^\$' -fuzz='^$name\$' -fuzztime=$fuzztime $pkg"
    go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" "$pkg" 2>&1 | tail -3
  done
fi
