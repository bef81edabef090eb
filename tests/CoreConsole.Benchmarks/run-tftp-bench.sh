#!/usr/bin/env bash
# TFTP throughput: one 10 MB file at blksize 1468 from our server (coreconsole-agent bsdp serve) and from tftpd-hpa,
# fetched over loopback by the same client (curl). Prints MB/s per run and the median of each server.
# Usage: tests/CoreConsole.Benchmarks/run-tftp-bench.sh [runs]   (default 7; needs curl and in.tftpd: apt-get install -y curl tftpd-hpa)
set -euo pipefail

RUNS=${1:-7}
SIZE_MB=10
BLKSIZE=1468
REPO=$(cd "$(dirname "$0")/../.." && pwd)

command -v curl >/dev/null || { echo "curl is required (apt-get install -y curl)" >&2; exit 1; }
command -v in.tftpd >/dev/null || { echo "tftpd-hpa is required (apt-get install -y tftpd-hpa)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tftp-bench.XXXXXX)
chmod 755 "$WORK"   # tftpd-hpa drops to its own user; it must be able to read the file
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/bench.bin"
chmod 644 "$WORK/bench.bin"
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "building coreconsole-agent (Release)…" >&2
dotnet build "$REPO/src/CoreConsole.Agent" -c Release -v quiet -nologo >/dev/null
AGENT="$REPO/src/CoreConsole.Agent/bin/Release/net10.0/coreconsole-agent"

OURS=$(free_port); HPA=$(free_port); BSDP=$(free_port)
"$AGENT" bsdp serve --nbi-root "$WORK" --server-ip 127.0.0.1 --listen "127.0.0.1:$BSDP" --tftp-listen "127.0.0.1:$OURS" --max-blksize $BLKSIZE > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
in.tftpd -L -s "$WORK" -a "127.0.0.1:$HPA" -B $BLKSIZE &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q "TFTP listening" "$WORK/ours.log" 2>/dev/null && break; sleep 0.1; done
grep -q "TFTP listening" "$WORK/ours.log" || { cat "$WORK/ours.log" >&2; exit 1; }

fetch() { # port → MB/s, after checking the bytes
  local out="$WORK/got.$1"
  local t
  t=$(curl -s --tftp-blksize $BLKSIZE -o "$out" -w '%{time_total}' "tftp://127.0.0.1:$1/bench.bin")
  cmp -s "$out" "$WORK/bench.bin" || { echo "transfer from port $1 was corrupt" >&2; exit 1; }
  rm -f "$out"
  python3 -c "print(f'{$SIZE_MB * 1.048576 / $t:.1f}')"
}

fetch "$OURS" >/dev/null; fetch "$HPA" >/dev/null   # warm-up (JIT, page cache)
ours=(); hpa=()
for i in $(seq 1 "$RUNS"); do
  a=$(fetch "$OURS"); b=$(fetch "$HPA")
  ours+=("$a"); hpa+=("$b")
  printf 'run %d: CoreConsole %6s MB/s   tftpd-hpa %6s MB/s\n' "$i" "$a" "$b"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
echo "median over $RUNS runs, $SIZE_MB MB (10^6 bytes per MB) at blksize $BLKSIZE, curl $(curl --version | head -1 | cut -d' ' -f2) on loopback:"
echo "  CoreConsole TftpServer: $(median "${ours[@]}") MB/s"
echo "  tftpd-hpa $(in.tftpd -V 2>&1 | head -1 | awk '{print $2}' | tr -d ','): $(median "${hpa[@]}") MB/s"
