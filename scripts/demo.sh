#!/bin/sh
# make demo: boot the test VM (6.12) with the simulated card, bring it ONLINE
# through MHI, then run three contrasting inference workloads together
# (examples/demo.conf: vision, BERT-like, LLM decode) with qaic-run for about
# 20 s under the profiler: `qaic-prof top` while they run, `qaic-prof lat`
# and `qaic-prof report` over the whole run, and `qaic-prof record` for
# Perfetto. The trace and the report files are kept on the host in
# build/demo/ (the script says where).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

secs=${DEMO_SECONDS:-20}
keep=$top/build/demo
rm -rf "$keep"
rc=0
scripts/vm.sh --kernel 6.12 --timeout $((secs + 300)) --keep-log "$keep" -- '
set -e
. tests/vm/guest-lib.sh
prof=build/profiler/qaic-prof
out=$QAIC_VM_OUT
echo "== loading qaic_sim.ko and qaic.ko on $(uname -r)"
load_modules
wait_for "grep -qx ONLINE /sys/class/accel/accel0/device/qaic/state" 20
echo "== card is $(cat /sys/class/accel/accel0/device/qaic/state) as /dev/accel/accel0"
build/tools/qaic-util
echo
echo "== three workloads for '"$secs"' s (examples/demo.conf), under qaic-prof:"
grep -v "^#" examples/demo.conf | grep .
$prof lat -m >/tmp/lat.txt 2>/tmp/lat.err &
lat=$!
$prof record -o $out/demo-trace.json 2>/tmp/record.err &
rec=$!
$prof report -f md -o $out/demo-report.md >/dev/null 2>/tmp/report-md.err &
repm=$!
$prof report -f text -o /tmp/report.txt >/dev/null 2>/tmp/report.err &
rep=$!
sleep 2
build/tools/qaic-run -c examples/demo.conf -t '"$secs"'s >/tmp/run.out 2>&1 &
run=$!
sleep 5
echo
echo "== qaic-prof top, two 2-second intervals while they run:"
$prof top -C -m 2 2 2>/dev/null
rc=0
wait $run || rc=$?
sleep 1
kill -INT $lat $rec $rep $repm
wait $lat $rec $rep $repm || true
$prof report --from $out/demo-trace.json -f json -o $out/demo-report.json 2>/tmp/report-json.err || cat /tmp/report-json.err
echo
echo "== qaic-run summary (client side; exit $rc):"
cat /tmp/run.out
echo
echo "== qaic-prof lat (whole run, ms):"
cat /tmp/lat.txt
echo "== qaic-prof record: $(tail -n 1 /tmp/record.err)"
echo
echo "== qaic-prof report (whole run):"
cat /tmp/report.txt 2>/dev/null || cat /tmp/report.err
unload_modules
exit $rc
' || rc=$?
echo
for f in demo-trace.json demo-report.md demo-report.json; do
	[ -s "$keep/out/$f" ] && echo "demo: wrote $keep/out/$f"
done
[ -s "$keep/out/demo-trace.json" ] && echo "demo: open the trace in https://ui.perfetto.dev (Open trace file)"
exit $rc
