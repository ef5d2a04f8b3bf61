#!/bin/sh
# make demo: boot the test VM (6.12) with the simulated card, bring it ONLINE
# through MHI, then run three contrasting inference workloads together
# (examples/demo.conf: vision, BERT-like, LLM decode) with qaic-run for about
# 20 s, show the card's DBCs while they run and a sample of the qaic:* events,
# and print qaic-run's summary.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

secs=${DEMO_SECONDS:-20}
exec scripts/vm.sh --kernel 6.12 --timeout $((secs + 240)) -- '
set -e
. tests/vm/guest-lib.sh
echo "== loading qaic_sim.ko and qaic.ko on $(uname -r)"
load_modules
wait_for "grep -qx ONLINE /sys/class/accel/accel0/device/qaic/state" 20
echo "== card is $(cat /sys/class/accel/accel0/device/qaic/state) as /dev/accel/accel0"
build/tools/qaic-util
echo
echo "== three workloads for '"$secs"' s (examples/demo.conf):"
grep -v "^#" examples/demo.conf | grep .
build/tools/qaic-run -c examples/demo.conf -t '"$secs"'s >/tmp/run.out 2>&1 &
run=$!
sleep 4
echo
echo "== while they run, qaic-util dbc (assigned DBCs):"
build/tools/qaic-util dbc | awk "NR == 1 || \$4 != \"free\""
echo
echo "== one second of qaic:* events, counted by trace-cmd:"
trace-cmd record -q -e qaic -o /tmp/demo.dat sleep 1 >/dev/null 2>&1
trace-cmd report -i /tmp/demo.dat 2>/dev/null |
	sed -n "s/.* \(qaic_[a-z_]*\):.*/\1/p" | sort | uniq -c | sort -rn
trace-cmd report -i /tmp/demo.dat 2>/dev/null | grep -m 6 -E "qaic_(bo_enqueue|bo_complete|wait_return)" |
	sed "s/^ *//" | cut -c1-160 || true
rc=0
wait $run || rc=$?
echo
echo "== qaic-run summary (client-side latency, throughput; exit $rc):"
cat /tmp/run.out
unload_modules
exit $rc
'
