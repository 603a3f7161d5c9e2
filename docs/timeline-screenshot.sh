#!/usr/bin/env bash
# Takes the README's picture of an HTML timeline (Recorder.writeTimeline, or the .html beside a
# WEFT_TRACE file) with headless Chromium, the network blocked.
#   docs/timeline-screenshot.sh TIMELINE.html [OUT.png]     (OUT defaults to docs/images/timeline.png)
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 TIMELINE.html [OUT.png]" >&2
    exit 2
fi
html=$(realpath -- "$1")
if [[ ! -f $html ]]; then
    echo "$0: no such timeline: $1" >&2
    exit 2
fi
root=$(cd -- "$(dirname -- "$0")/.." && pwd)
out=$(realpath -m -- "${2:-$root/docs/images/timeline.png}")
chromium=$(command -v chromium || true)
if [[ -z $chromium ]]; then
    echo "$0: chromium is missing: apt-get install chromium" >&2
    exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf -- "$profile"' EXIT
mkdir -p -- "$(dirname -- "$out")"
timeout 120 "$chromium" --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$profile" \
    --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server=127.0.0.1:9 \
    --window-size=1400,900 --screenshot="$out" "file://$html" 2>"$profile/chromium.log" \
    || { cat "$profile/chromium.log" >&2; exit 1; }
echo "wrote $out"
