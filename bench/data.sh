#!/usr/bin/env bash
# Makes (once) and caches the benchmark data: ROOMS rooms over two years, generated with the project's generator
# (seed 1, ending 2026-11-01, 1,000 agents, 50 departments, 300 tags) and imported with its importer into a SQLite
# store. Prints the store's path.
# Usage: bench/data.sh ROOMS   (needs a Release build of the service)
set -euo pipefail
rooms=${1:?rooms}
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/.cache"
service="$here/../src/AnalyticsService/bin/Release/net10.0/AnalyticsService.dll"
shape=(--agents 1000 --departments 50 --tags 300)
export_dir="$cache/export-$rooms-v2"   # v2: the shape above, sources and tags
store="$cache/analytics-$rooms-v2.db"
mkdir -p "$cache"
if [ ! -f "$store.done" ]; then
  if [ ! -f "$export_dir/done" ]; then
    rm -rf "$export_dir"
    dotnet "$service" generate --rooms "$rooms" --days 730 --seed 1 --end 2026-11-01 "${shape[@]}" --out "$export_dir" > "$export_dir.tokens"
    touch "$export_dir/done"
  fi
  rm -f "$store" "$store-wal" "$store-shm"
  start=$(date +%s.%N)
  dotnet "$service" import "$export_dir" "--ConnectionStrings:Analytics=Data Source=$store" > "$cache/import-$rooms.txt"
  end=$(date +%s.%N)
  echo "$rooms $(echo "$end - $start" | bc)" > "$cache/import-$rooms.seconds"
  touch "$store.done"
fi
echo "$store"
