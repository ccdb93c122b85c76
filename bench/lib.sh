# What bench/run and bench/restricted share: installing the load tools, starting the service and waiting for it, latency
# runs, and the wrk scripts that make a new range on every request. Sourced, not run.
# shellcheck shell=bash

# start_service STORE LOG [NAME=VALUE ...]: the Release build (or the service SERVICE names) on STORE on REST_PORT and
# GRPC_PORT, with these settings, logging warnings and the report totals' loads to LOG; sets pid. await_service then
# waits for it.
start_service() {
  local store=$1 log=$2; shift 2
  env "$@" Kestrel__Endpoints__Rest__Url="http://127.0.0.1:$REST_PORT" Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$GRPC_PORT" \
    ConnectionStrings__Analytics="Data Source=$store" Logging__LogLevel__Default=Warning \
    Logging__LogLevel__AnalyticsService.Reports.ReportTotals=Information \
    dotnet "${SERVICE:-src/AnalyticsService/bin/Release/net10.0/AnalyticsService.dll}" >"$log" 2>&1 &
  pid=$!
}

# await_service LOG: up to 10 minutes until the service answers (a store made by an older release is migrated first:
# migration 8 counts every stored room), then up to 10 more until its report totals are in memory (days and hours; a
# few minutes at ten million rooms): measured before, the reports would be read from the tables meanwhile, and the
# load would share the two cores with the measurements.
await_service() {
  for _ in $(seq 3000); do curl -sf "http://127.0.0.1:$REST_PORT/ping" >/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  for _ in $(seq 3000); do grep -q "Report totals loaded" "$1" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
}

need() { command -v "$1" >/dev/null || { apt-get update -qq >/dev/null; apt-get install -y -qq "$2" >/dev/null; }; }

# Latency: one connection, one request at a time; wrk reports the percentiles.
latency() { wrk -t1 -c1 -d"$DURATION"s --timeout 60s --latency "$@" | awk '/^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print p50, p99}'; }
to_ms() { local v=$1; case $v in *us) echo "scale=3; ${v%us}/1000" | bc;; *ms) echo "${v%ms}";; *s) echo "scale=3; ${v%s}*1000" | bc;; esac; }

# The same query with a new start each time (a millisecond apart), as a dashboard refreshing its range to "now" asks it.
fresh_script() { # fresh_script FILE START-DAY END [REPORT]: starts at START-DAY 09:mm:ss.fff, one millisecond later each request
  cat > "$1" <<LUA
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", string.format("/api/v1/livechat/analytics/dashboards/${4:-conversations-by-status}?start=$2T09:%02d:%02d.%03dZ&end=$3",
    math.floor(n / 60000) % 60, math.floor(n / 1000) % 60, n % 1000))
end
LUA
}
# Ranges a millisecond apart mostly take in the same rooms, so a kept answer (kept by the rooms, not the milliseconds)
# serves them as it serves a dashboard's refreshes. The answer's own work is measured with ranges that each take in
# other rooms: both edges move through 09:00-10:00 by prime steps (7.919 s and 6.997 s), so that the pairs of rooms at
# the edges (some 500 x 500 in an hour at ten million rooms) outnumber the answers kept (10,000).
other_script() { # other_script FILE START-DAY END-DAY [REPORT]
  # Each wrk thread has its own Lua state: thread k of the two takes every other n, so that no range is asked twice.
  cat > "$1" <<LUA
local threads = 0
setup = function(thread) thread:set("n", threads); threads = threads + 1 end
local function at(day, ms) return string.format("%sT09:%02d:%02d.%03dZ", day, math.floor(ms / 60000), math.floor(ms / 1000) % 60, ms % 1000) end
request = function()
  n = n + 2
  return wrk.format("GET", "/api/v1/livechat/analytics/dashboards/${4:-conversations-by-status}?start=" .. at("$2", (n * 7919) % 3600000)
    .. "&end=" .. at("$3", (n * 6997) % 3600000))
end
LUA
}
