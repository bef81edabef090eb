#!/usr/bin/env bash
# CoreConsole demo: the console on its embedded SQLite database in a temporary data directory, a NetBoot share built
# from the real NBImageInfo.plist fixtures, three real coreconsole-agent processes and a fleet simulator spread over
# two loopback subnets (127.0.1.0/24, 127.0.2.0/24). Prints where to look; Ctrl-C stops everything it started.
#
#   scripts/demo.sh                 # console on http://127.0.0.1:5180, 2 agents + 40 simulated
#   DEMO_PORT=5280 DEMO_SIMULATED=100 DEMO_KEEP=1 scripts/demo.sh
#
# Needs: .NET 10 SDK, python3 (builds the share), Linux (the whole 127.0.0.0/8 answers on lo; on macOS alias
# 127.0.1.10-.200, 127.0.2.10-.200 to lo0 first).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${DEMO_PORT:-5180}"
SIMULATED="${DEMO_SIMULATED:-40}"
CORE="http://127.0.0.1:${PORT}"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/coreconsole-demo.XXXXXX")"
ADMIN_EMAIL="admin@demo.local"
ADMIN_PASSWORD="Demo-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 10)!1"
# The enrolment token exists only in this run's throw-away database; Setup:EnrollmentToken creates it (audited).
TOKEN="demo-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
PIDS=()

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
cleanup() {
  trap - INT TERM EXIT
  say "Stopping ${#PIDS[@]} process(es) the demo started"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "${DEMO_KEEP:-}" ]]; then say "Kept the data directory ${DATA}"; else rm -rf "$DATA"; fi
}
trap cleanup INT TERM EXIT

command -v dotnet >/dev/null || { echo "demo: the .NET 10 SDK (dotnet) is needed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "demo: python3 is needed to build the NetBoot share" >&2; exit 1; }

say "Building (Release)"
dotnet build "$ROOT/CoreConsole.sln" -c Release -v quiet -nologo >"$DATA/build.log" 2>&1 || { tail -30 "$DATA/build.log"; exit 1; }
WEB_DLL="$ROOT/src/CoreConsole.Web/bin/Release/net10.0/CoreConsole.Web.dll"
AGENT_DLL="$ROOT/src/CoreConsole.Agent/bin/Release/net10.0/coreconsole-agent.dll"
SIM_DLL="$ROOT/tests/CoreConsole.FleetSimulator/bin/Release/net10.0/coreconsole-fleetsim.dll"
for dll in "$WEB_DLL" "$AGENT_DLL" "$SIM_DLL"; do
  [[ -f "$dll" ]] || { echo "demo: the build did not produce $dll" >&2; exit 1; }
done

say "Building a NetBoot share from tests/fixtures/nbi in ${DATA}/share"
python3 - "$ROOT/tests/fixtures/nbi" "$DATA/share" <<'PY'
import os, plistlib, random, sys
src, dst = sys.argv[1], sys.argv[2]
used = set()
def blob(path, size, seed):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f: f.write(random.Random(seed).randbytes(size))
for name in sorted(os.listdir(src)):
    if not name.endswith(".nbi"): continue
    with open(os.path.join(src, name, "NBImageInfo.plist"), "rb") as f: info = plistlib.load(f)
    # Make each fixture a bootable image: enabled, i386, a unique index (the AutoCasper seeds share 42000).
    info["IsEnabled"] = True
    info["Architectures"] = ["i386"]
    index = info.get("Index") or 4000
    while index in used: index += 1
    used.add(index); info["Index"] = index
    info.setdefault("Name", name[:-4]); info.setdefault("Description", name[:-4])
    info.setdefault("Type", "NFS"); info.setdefault("Kind", 1)
    info.setdefault("BootFile", "booter"); info.setdefault("RootPath", "NetInstall.dmg")
    target = os.path.join(dst, name)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "NBImageInfo.plist"), "wb") as f: plistlib.dump(info, f)
    blob(os.path.join(target, "i386", info["BootFile"]), 4096 + index % 997, index)
    blob(os.path.join(target, "i386", "x86_64", "kernelcache"), 8192, index + 1)
    blob(os.path.join(target, info["RootPath"]), 64 * 1024, index + 2)
    print(f"    {name}: index {index}, {info['RootPath']}")
PY

say "Starting the console on ${CORE} (SQLite in ${DATA})"
(
  cd "$ROOT/src/CoreConsole.Web"
  export ASPNETCORE_URLS="$CORE" ASPNETCORE_ENVIRONMENT=Production \
    CoreConsole__DataDirectory="$DATA" NetBoot__ShareRoot="$DATA/share" \
    Setup__AdminEmail="$ADMIN_EMAIL" Setup__AdminPassword="$ADMIN_PASSWORD" Setup__EnrollmentToken="$TOKEN"
  exec dotnet "$WEB_DLL"
) >"$DATA/console.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 90); do
  curl -fs "$CORE/healthz" >/dev/null 2>&1 && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { tail -40 "$DATA/console.log"; exit 1; }
  sleep 1
done
curl -fs "$CORE/healthz" >/dev/null || { echo "demo: the console did not become healthy; see $DATA/console.log" >&2; exit 1; }

# Two real agents on 127.0.1.0/24 (they elect one representative) and one on 127.0.2.0/24; BSDP/TFTP on high ports
# so no root is needed (a real Mac needs :67/:69).
start_agent() { # name ip model serial mac
  local dir="$DATA/agents/$1"
  mkdir -p "$dir"
  # Each agent stands for its own machine: its own serial and MAC (they all really run on this one).
  dotnet "$AGENT_DLL" enroll --core "$CORE" --token "$TOKEN" --data-dir "$dir" --ip "$2/24" --model "$3" \
    --hostname "$1" --serial "$4" --mac "$5" >"$dir/enroll.log" 2>&1 || { cat "$dir/enroll.log"; exit 1; }
  dotnet "$AGENT_DLL" run --data-dir "$dir" --bsdp-listen "$2:10067" --tftp-listen "$2:10069" >"$dir/run.log" 2>&1 &
  PIDS+=($!)
  echo "    $1 ($3) on $2 — log $dir/run.log"
}
say "Enrolling and starting real agents"
start_agent lab-mac-1 127.0.1.200 MacBookPro14,1 C02DEMO0001 02:DE:00:00:01:01
start_agent lab-mac-2 127.0.1.201 iMac18,3 C02DEMO0002 02:DE:00:00:01:02
start_agent studio-mac-1 127.0.2.200 Macmini8,1 C02DEMO0003 02:DE:00:00:02:01

if (( SIMULATED > 0 )); then
  say "Starting the fleet simulator with ${SIMULATED} agents on 127.0.1.0/24 and 127.0.2.0/24"
  # The simulator numbers addresses from .10 upwards, alternating subnets; the real agents sit at .200+.
  dotnet "$SIM_DLL" --core "$CORE" --token "$TOKEN" --count "$SIMULATED" \
    --subnets 127.0.1.0/24,127.0.2.0/24 --models "MacBookPro14,1,iMac18,3,MacBookAir8,1,Macmini8,1,iMacPro1,1" \
    --interval 20 >"$DATA/simulator.log" 2>&1 &
  PIDS+=($!)
fi

cat <<INFO

  CoreConsole demo is running.

    Console      ${CORE}
    Sign in      ${ADMIN_EMAIL}
    Password     ${ADMIN_PASSWORD}
    Enrol token  ${TOKEN}   (multi-use, this run only)

  Where to look:
    ${CORE}/                 Dashboard: agents online, PXE subnets, check-ins over time
    ${CORE}/inventory        Devices, models and agents (3 real + ${SIMULATED} simulated)
    ${CORE}/netboot-images   First: Browse the share, choose a default image (and per-model overrides), Save and publish
    ${CORE}/agent-settings   New agents run the Default profile (SESS and PXE off): create one with both on
    ${CORE}/tasks            New change settings task → that profile, Push, the real agents (or both subnets) → watch it
    ${CORE}/subnets          Enable PXE on 127.0.1.0/24 → an agent is elected representative and serves
    ${CORE}/audit            Everything above, as it was recorded
    Mac's view   ask the representative Subnet services shows for 127.0.1.0/24 (lab-mac-1 = .200, lab-mac-2 = .201):
                 dotnet ${AGENT_DLL} bsdp probe --server 127.0.1.200 --port 10067 --bind 127.0.1.50 --model MacBookPro14,1
                 dotnet ${AGENT_DLL} bsdp probe --server 127.0.1.201 --port 10067 --bind 127.0.1.50 --model MacBookPro14,1
                 (as root, or with sudo: like a Mac, the probe receives on port 68; only the elected one answers)

  Logs: ${DATA}/console.log, ${DATA}/simulator.log, ${DATA}/agents/*/run.log
  Press Ctrl-C to stop everything (or, from another shell: kill $$).
INFO
wait "${PIDS[0]}"
