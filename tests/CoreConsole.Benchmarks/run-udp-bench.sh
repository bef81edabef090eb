#!/usr/bin/env bash
# UDP load benchmark of the BSDP responder on loopback, side by side with the echo ceiling and dnsmasq.
#   usage: sudo tests/CoreConsole.Benchmarks/run-udp-bench.sh [SECONDS=10] [WINDOW=32] [IMAGES=20]
# Every server listens on 127.0.0.1:16767; tools/bsdp_load (bound to 127.0.0.1:993, hence root) sends the
# committed INFORM[LIST] (ciaddr 127.0.0.1, BSDP reply port 993) and counts replies. Needs gcc, dotnet and,
# for the dnsmasq row, dnsmasq (apt-get install -y dnsmasq); a missing server is reported, not faked.
set -euo pipefail

SECONDS_PER_RUN=${1:-10}
WINDOW=${2:-32}
IMAGES=${3:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TOOLS=${TOOLS:-/work/shared/tools}
WORK=$(mktemp -d /tmp/bsdp-udp-bench.XXXXXX)
LIST_HEX="$HERE/requests/inform-list-127.0.0.1-port993.hex"
PORT=16767
REPLY_PORT=993
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || { echo "run as root: bsdp_load binds reply port $REPLY_PORT (< 1024)" >&2; exit 2; }

echo "== building tools and the benchmark host" >&2
gcc -O2 -o "$WORK/bsdp_load" "$TOOLS/bsdp_load.c"
gcc -O2 -o "$WORK/udp_echo" "$TOOLS/udp_echo.c"
dotnet build -c Release "$ROOT/tests/CoreConsole.Benchmarks" -v q -nologo >&2
BENCH="$ROOT/tests/CoreConsole.Benchmarks/bin/Release/net10.0/CoreConsole.Benchmarks"

# Waits until something listens on UDP 127.0.0.1:$PORT (or the server died).
wait_listening() {
  for _ in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    ss -Hlun "sport = :$PORT" | grep -q . && return 0
    sleep 0.1
  done
  return 1
}

# run NAME: the server must already be started as $SERVER_PID. Prints one table row.
declare -a ROWS
run() {
  local name=$1 out
  if ! wait_listening; then ROWS+=("$(printf '| %-34s | %12s | %s |' "$name" "n/a" "did not start (see $WORK)")"); SERVER_PID=""; return; fi
  "$WORK/bsdp_load" "$LIST_HEX" 127.0.0.1 $PORT $REPLY_PORT 1 "$WINDOW" >/dev/null   # warm-up (JIT, caches)
  out=$("$WORK/bsdp_load" "$LIST_HEX" 127.0.0.1 $PORT $REPLY_PORT "$SECONDS_PER_RUN" "$WINDOW")
  echo "$name: $out" >&2
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  local rate=${out#*rate=}; rate=${rate%%/s*}
  local lost=${out##*lost_timeouts=}
  ROWS+=("$(printf '| %-34s | %12s | %s |' "$name" "$rate" "lost_timeouts=$lost")")
}

echo "== udp_echo (ceiling: no parsing)" >&2
"$WORK/udp_echo" >"$WORK/echo.log" 2>&1 &
SERVER_PID=$!
run "udp_echo (ceiling)"

for LOOPS in 1 2; do
  echo "== CoreConsole BsdpServer, $IMAGES images, $LOOPS receive loop(s)" >&2
  "$BENCH" serve-bsdp --listen 127.0.0.1:$PORT --images "$IMAGES" --loops "$LOOPS" >"$WORK/responder-$LOOPS.log" 2>&1 &
  SERVER_PID=$!
  run "CoreConsole BsdpServer, $LOOPS loop(s)"
  cat "$WORK/responder-$LOOPS.log" >&2
done

echo "== dnsmasq, static BSDP LIST" >&2
if command -v dnsmasq >/dev/null; then
  # The first option-43 instance the responder sends for this client (type, priority, default image and the
  # first images of the list), as a static answer: dnsmasq refuses options over 255 bytes ("dhcp-option too
  # long"), so it cannot send the RFC 3396 continuation instances the responder adds for the rest of the list.
  OPT43=$("$BENCH" list-option43 --images "$IMAGES" 2>/dev/null | head -1 | sed 's/../&:/g; s/:$//')
  cat >"$WORK/dnsmasq.conf" <<CONF
port=0
interface=lo
bind-interfaces
dhcp-alternate-port=$PORT,$REPLY_PORT
dhcp-range=127.0.0.0,static,255.0.0.0
dhcp-vendorclass=set:bsdp,AAPLBSDPC
dhcp-option-force=tag:bsdp,60,AAPLBSDPC
dhcp-option-force=tag:bsdp,43,$OPT43
dhcp-leasefile=$WORK/dnsmasq.leases
no-ping
quiet-dhcp
no-resolv
no-hosts
CONF
  dnsmasq --no-daemon --conf-file="$WORK/dnsmasq.conf" >"$WORK/dnsmasq.log" 2>&1 &
  SERVER_PID=$!
  run "dnsmasq (static BSDP LIST)"
else
  ROWS+=("$(printf '| %-34s | %12s | %s |' "dnsmasq (static BSDP LIST)" "n/a" "dnsmasq not installed")")
fi

echo
echo "INFORM[LIST] replies/s on loopback, window $WINDOW, ${SECONDS_PER_RUN}s per server, $(nproc) cores, loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-34s | %12s | %s |\n' "Server" "replies/s" "notes"
printf '|%s|%s|%s|\n' "------------------------------------" "-------------:" "-------"
printf '%s\n' "${ROWS[@]}"
