#!/usr/bin/env bash
# Runs the benchmarks of the README's performance section, saves each run as JSON in
# weft-bench/results/NAME.json, then rewrites the README's tables from every saved run
# (the text between <!-- bench:NAME --> and <!-- /bench:NAME -->). Commit the JSON with the README.
#
# usage: weft-bench/readme-tables.sh [--small] [--repeat N] [--install-anchors] [NAME...]
#   NAME...  the benchmarks to run again (default: all); the others keep their saved runs
#   --small  small sizes: checks the pipeline in minutes, not a measurement
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/weft-bench/results"
options=()
names=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --small | --install-anchors) options+=("$1"); shift ;;
        --repeat) options+=("$1" "$2"); shift 2 ;;
        -*) echo "readme-tables.sh: unknown option $1" >&2; exit 2 ;;
        *) names+=("$1"); shift ;;
    esac
done
if [[ ${#names[@]} -eq 0 ]]; then
    names=(switch spawn sleepers queue lock echo fetch pool cluster handoff channel)
fi

mkdir -p "$RESULTS"
for name in "${names[@]}"; do
    echo "== $name" >&2
    start=$SECONDS
    "$ROOT/weft" bench "$name" --json "${options[@]}" > "$RESULTS/$name.json.part"
    mv "$RESULTS/$name.json.part" "$RESULTS/$name.json"
    echo "== $name: $((SECONDS - start)) s" >&2
done
"$ROOT/weft" bench report --readme "$ROOT/README.md" "$RESULTS"/*.json
