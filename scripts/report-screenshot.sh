#!/usr/bin/env bash
# Regenerates docs/report.png, the README's picture: the HTML report of the chat-assistant
# scenario rendered by headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product scaleplan
bin="$(swift build -c release --show-bin-path)/scaleplan"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" evaluate scenarios/chat-assistant.yaml --html "$work/report.html" --format json -o "$work/plan.json"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1100,2350 --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
mv "$work/report.png" docs/report.png
echo "wrote docs/report.png"
