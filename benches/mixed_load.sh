#!/usr/bin/env bash
# Mixed load benchmark (issue #14): seeds the benchmark data set, starts the
# release binary on a free loopback port, warms up, and drives one mixed wrk
# run with benches/mixed_load.lua (70 % board pages, 20 % route pages, 10 %
# sign-in + order submit), then the yardstick page for as long with as many
# connections. Reports requests/s, p50/p99 and errors (overall and per kind),
# the 5xx answers, and the "database is locked" lines of the app's log.
#
#   benches/mixed_load.sh [sqlite|postgres] [--reviews N] [--duration S]
#                         [--connections C] [--threads T]
#
# Environment: REVIEWS (100000), ROUTES (200), COMPANIES (2000), DURATION
# (60 s), CONNECTIONS (32), THREADS (2), WARMUP (5 s), YARDSTICK_SECONDS
# (DURATION), PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres; the
# run drops and creates the database `samplepost_mixed` there), WORK
# (target/mixed-load/BACKEND: database, logs and wrk output are kept there).
set -euo pipefail

backend=${BACKEND:-sqlite}
reviews=${REVIEWS:-100000}
routes=${ROUTES:-200}
companies=${COMPANIES:-2000}
duration=${DURATION:-60}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
warmup=${WARMUP:-5}
pg_admin_url=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
while [ $# -gt 0 ]; do
    case "$1" in
        sqlite | postgres) backend=$1 ;;
        --reviews) reviews=$2; shift ;;
        --duration) duration=$2; shift ;;
        --connections) connections=$2; shift ;;
        --threads) threads=$2; shift ;;
        *) echo "usage: $0 [sqlite|postgres] [--reviews N] [--duration S] [--connections C] [--threads T]" >&2; exit 2 ;;
    esac
    shift
done
yardstick_seconds=${YARDSTICK_SECONDS:-$duration}

cd "$(dirname "$0")/.."
root=$(pwd)
work=${WORK:-$root/target/mixed-load/$backend}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

echo "== building (release)"
cargo build --release --bin samplepost
yardstick_bin=$(cargo bench --bench yardstick --no-run --message-format=json 2>/dev/null |
    jq -r 'select(.executable != null and .target.name == "yardstick") | .executable')
bin=$root/target/release/samplepost

rm -rf "$work"
mkdir -p "$work/data"
case "$backend" in
    sqlite)
        database_url=$work/data/bench.sqlite3
        sql() { sqlite3 "$database_url" "$1"; }
        ;;
    postgres)
        psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS samplepost_mixed" \
            -c "CREATE DATABASE samplepost_mixed"
        database_url=${pg_admin_url%/*}/samplepost_mixed
        sql() { psql -qAt "$database_url" -c "$1"; }
        ;;
    *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac

app_pid=
yardstick_pid=
stop() {
    # Only the two servers this script started, by their ids. The app stops
    # gracefully on SIGTERM; the yardstick's actix server would stop on it
    # but leave its process waiting, and it keeps nothing worth a clean end.
    if [ -n "$app_pid" ]; then
        kill "$app_pid" 2>/dev/null || true
        wait "$app_pid" 2>/dev/null || true
    fi
    if [ -n "$yardstick_pid" ]; then
        kill -KILL "$yardstick_pid" 2>/dev/null || true
        wait "$yardstick_pid" 2>/dev/null || true
        rm -f "${TMPDIR:-/tmp}/yardstick-$yardstick_pid.sqlite3"
    fi
    app_pid= yardstick_pid=
}
trap stop EXIT

echo "== seeding $backend: $reviews reviews, $routes routes, $companies companies"
seed_started=$(date +%s)
DATABASE_URL=$database_url "$bin" --data-dir "$work/data" gen-bench-data \
    --routes "$routes" --companies "$companies" --reviews "$reviews" --seed 14 \
    >"$work/seed.txt" 2>&1 || { cat "$work/seed.txt" >&2; exit 1; }
seed_seconds=$(($(date +%s) - seed_started))
tail -1 "$work/seed.txt"

# Route pages ask for codes that exist: every active route.
sql "SELECT code FROM routes WHERE status = 'active' ORDER BY code" >"$work/routes.txt"
echo "$(wc -l <"$work/routes.txt") route codes"

# Waits for "… serving on http://ADDR" in a log file and prints the address.
address_in() {
    for _ in $(seq 1 600); do
        local address
        address=$(grep -o 'serving on http://[0-9.:]*' "$1" | head -1 | cut -d' ' -f3)
        if [ -n "$address" ]; then
            echo "$address"
            return 0
        fi
        sleep 0.1
    done
    echo "no 'serving on' in $1" >&2
    return 1
}

echo "== starting the app and the yardstick"
metrics_token=mixed-load-metrics-token
# X-Forwarded-For from loopback is believed: each sign-in comes from its own
# address, as sellers from many offices would (the sign-in limit is per address).
DATABASE_URL=$database_url TRUSTED_PROXIES=127.0.0.1 METRICS_TOKEN=$metrics_token \
    RUST_LOG=info,actix_server=warn "$bin" --data-dir "$work/data" --bind 127.0.0.1:0 \
    >"$work/app.log" 2>&1 &
app_pid=$!
app=$(address_in "$work/app.log")
"$yardstick_bin" >"$work/yardstick.log" 2>&1 &
yardstick_pid=$!
yardstick=$(address_in "$work/yardstick.log")
echo "app $app, yardstick $yardstick"

export MIXED_ROUTES_FILE=$work/routes.txt MIXED_THREADS=$threads MIXED_CONNECTIONS=$connections
export MIXED_PASSWORD=Bench-Seller-Password-42
script=$root/benches/mixed_load.lua
echo "== warming up ${warmup}s"
wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$script" "$app" >"$work/warmup.txt" 2>&1

echo "== mixed load: wrk -t$threads -c$connections -d${duration}s"
wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency -s "$script" "$app" \
    >"$work/mixed.txt" 2>&1
cat "$work/mixed.txt"

echo "== yardstick: wrk -t$threads -c$connections -d${yardstick_seconds}s"
wrk -t"$threads" -c"$connections" -d"${yardstick_seconds}s" --timeout 10s --latency "$yardstick" \
    >"$work/yardstick.txt" 2>&1

curl -fsS -H "Authorization: Bearer $metrics_token" "$app/metrics" >"$work/metrics.txt"
orders=$(sql "SELECT COUNT(*) FROM orders WHERE reference LIKE 'MIXED-%'")
stop

# wrk's summary: requests/s, a percentile, errors (socket errors + non-2xx/3xx).
rate() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
pct() { awk -v p="$2%" '$1 == p { print $2 }' "$1"; }
errors() {
    awk '/Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
         /Non-2xx or 3xx responses:/ { n += $5 }
         END { print n + 0 }' "$1"
}
locked=$(grep -ci "database is locked" "$work/app.log" || true)
failed=$(grep -c "request failed" "$work/app.log" || true)
server_5xx=$(awk '/^samplepost_http_requests_total\{.*status="5xx"/ { n += $2 } END { print n + 0 }' \
    "$work/metrics.txt")
mixed_rate=$(rate "$work/mixed.txt")
yardstick_rate=$(rate "$work/yardstick.txt")
ratio=$(awk -v a="$mixed_rate" -v b="$yardstick_rate" 'BEGIN { if (b > 0) printf "%.2f", a / b }')

echo
echo "== $backend, $reviews reviews, ${duration}s, $connections connections, $threads threads"
echo "seeded in ${seed_seconds}s; orders submitted during warm-up and run: $orders"
echo "mixed:     $mixed_rate req/s, p50 $(pct "$work/mixed.txt" 50), p99 $(pct "$work/mixed.txt" 99), errors $(errors "$work/mixed.txt")"
echo "yardstick: $yardstick_rate req/s, p50 $(pct "$work/yardstick.txt" 50), p99 $(pct "$work/yardstick.txt" 99), errors $(errors "$work/yardstick.txt"); mixed / yardstick = ${ratio}×"
echo "5xx answers (metrics, whole run): $server_5xx; 'request failed' log lines: $failed; 'database is locked' log lines: $locked"
echo "files: $work"
if [ "$locked" -gt 0 ] || [ "$server_5xx" -gt 0 ]; then
    grep -i "database is locked\|request failed" "$work/app.log" | head -5
    exit 1
fi
