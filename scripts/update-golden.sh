#!/usr/bin/env bash
# Regenerates Tests/Fixtures/golden/ from the current build; review `git diff` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests
SCALEPLAN_UPDATE_GOLDEN=1 swift test -c release --skip-build --filter GoldenOutputTests
git --no-pager diff --stat Tests/Fixtures/golden
