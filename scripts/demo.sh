#!/bin/sh
# make demo: boot the test VM (6.12) with the simulated card, bring it ONLINE
# through MHI, activate a workload through MANAGE and show qaic-util's view
# while trace-cmd records the qaic:* control events.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

exec scripts/vm.sh --kernel 6.12 --timeout 300 -- '
set -e
. tests/vm/guest-lib.sh
echo "== loading qaic_sim.ko and qaic.ko on $(uname -r)"
load_modules
wait_for "grep -qx ONLINE /sys/class/accel/accel0/device/qaic/state" 20
echo "== card is $(cat /sys/class/accel/accel0/device/qaic/state) as /dev/accel/accel0"
dmesg | grep -E "qaic|mhi" | tail -n 5
trace-cmd record -q -e qaic -o /tmp/demo.dat build/tests/vm/manage_traffic 2 6 >/tmp/w.out &
sleep 3
echo "== a workload holds $(cat /tmp/w.out); qaic-util:"
build/tools/qaic-util
echo
build/tools/qaic-util dbc
wait
echo "== qaic:* events of that workload (trace-cmd report):"
trace-cmd report -i /tmp/demo.dat 2>/dev/null | grep -E "qaic_(manage|workload)" | sed "s/^ *//" | cut -c1-150
unload_modules
'
