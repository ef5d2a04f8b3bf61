#!/bin/sh
# kernels: 6.12
# timeout: 400
# qaic-run on the simulated card: two workloads at once for a few seconds
# (open loop, and closed loop with two processes), every output checked,
# both reporting requests and no mismatch, in --json and in the table;
# batches; Ctrl-C stops a run early and still reports; too many processes
# for the card's DBCs is refused up front; every DBC is free afterwards.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

run=$QAIC_TOP/build/tools/qaic-run
online='grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state'

load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for "$online" 20 || { tap_fail "card ONLINE" "not ONLINE"; tap_done; }

# jq expression over workload $1 of /tmp/run.json
wl() { jq -r --arg n "$1" ".workloads[] | select(.name == \$n) | $2" /tmp/run.json; }

# The driver's and the sim's view of every DBC, for a run that hangs.
dump_dbcs() {
	for f in /sys/kernel/debug/qaic/*/dbc /sys/kernel/debug/qaic_sim/card*/dbc; do
		[ -r "$f" ] && tap_diag "$f:" && tap_diag "$(grep -v '^dbc [0-9]* live 0' "$f" | head -60)"
	done
}

# --- two workloads together, JSON --------------------------------------------
"$run" -t 4s --json \
	-w name=vision,in=600K,out=4K,nsp=2,dist=lognormal,mean=1ms,sigma=0.3,rate=100 \
	-w name=decode,in=4K,out=512,dist=bimodal,mean=2ms,sd=200us,mean2=10ms,p2=10,procs=2 \
	>/tmp/run.json 2>/tmp/run.err &
pid=$!
# 4 s of work and a second to drain; a request still out at 9 s is stuck
# (qaic-run gives up on it at 10 s): show where.
sleep 9
kill -0 $pid 2>/dev/null && dump_dbcs
wait $pid
rc=$?
if [ $rc = 0 ] && jq -e . /tmp/run.json >/dev/null 2>&1; then
	tap_ok "two workloads for 4 s: exit 0, one JSON document"
else
	tap_fail "two workloads for 4 s" "exit $rc"
	tap_diag "$(cat /tmp/run.err /tmp/run.json)"
fi
for w in vision decode; do
	line=$(wl $w '"\(.status) req=\(.requests) inf=\(.inferences) checked=\(.checked) bad=\(.mismatches) p50=\(.latency_ns.p50) p99=\(.latency_ns.p99) inf/s=\(.inferences_per_s)"')
	if [ "$(wl $w .status)" = ok ] && [ "$(wl $w .requests)" -gt 0 ] &&
		[ "$(wl $w .mismatches)" = 0 ] &&
		[ "$(wl $w .checked)" = "$(wl $w .inferences)" ] &&
		[ "$(wl $w .latency_ns.p50)" -gt 0 ] &&
		[ "$(wl $w .latency_ns.p99)" -ge "$(wl $w .latency_ns.p50)" ]; then
		tap_ok "$w: requests, every output checked, 0 mismatches"
	else
		tap_fail "$w: requests and 0 mismatches" "$line"
	fi
	tap_diag "$w: $line"
done
# Poisson at 100/s for 4 s: about 400 arrivals (sd 20), each one a request.
n=$(wl vision .requests)
if [ "$n" -ge 300 ] && [ "$n" -le 500 ]; then
	tap_ok "vision: open loop at 100/s gave $n requests in 4 s"
else
	tap_fail "vision: open loop at 100/s" "$n requests in 4 s"
fi
dbcs=$(wl decode '.dbcs | unique | length')
[ "$dbcs" = 2 ] && tap_ok "decode: two processes on two DBCs" ||
	tap_fail "decode: two processes on two DBCs" "$(wl decode .dbcs)"

# --- the table, batches ----------------------------------------------------------
"$run" -n 50 -w name=batched,in=64K,out=64K,batch=2,outstanding=2 >/tmp/run.txt 2>&1
rc=$?
row=$(grep '^batched ' /tmp/run.txt)
set -- $row
# WORKLOAD PROCS MODE BATCH REQUESTS INF/s IN OUT P50 P90 P99 P99.9 MAX CHECKED BAD STATUS
if [ $rc = 0 ] && [ "$5" = 50 ] && [ "${14}" = 100 ] && [ "${15}" = 0 ] && [ "${16}" = ok ]; then
	tap_ok "table: 50 requests of batch 2, 100 outputs checked, 0 bad"
else
	tap_fail "table: batched run" "exit $rc: $row"
	tap_diag "$(cat /tmp/run.txt)"
fi

# --- Ctrl-C stops early and reports ------------------------------------------------
start=$(date +%s)
"$run" -w name=long,in=8K,out=8K -t 60s >/tmp/run.txt 2>&1 &
pid=$!
sleep 3
kill -INT $pid
wait $pid
rc=$?
took=$(($(date +%s) - start))
n=$(awk '$1 == "long" { print $5 }' /tmp/run.txt)
if [ $rc = 0 ] && [ "$took" -lt 30 ] && [ "${n:-0}" -gt 0 ]; then
	tap_ok "SIGINT stops a 60 s run early ($took s) and reports $n requests"
else
	tap_fail "SIGINT stops a run early" "exit $rc after $took s, requests '$n'"
	tap_diag "$(cat /tmp/run.txt)"
fi

# --- refused up front: more processes than DBCs --------------------------------------
out=$("$run" -w name=a,procs=9,requests=9 -w name=b,procs=8,requests=8 2>&1)
rc=$?
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q "need 17 DBCs"; then
	tap_ok "17 processes for 16 DBCs: refused with the reason"
else
	tap_fail "17 processes for 16 DBCs" "exit $rc: $out"
fi

busy=$(grep -L '^free$' /sys/class/accel/accel*/device/qaic/dbc*_state 2>/dev/null | wc -l)
[ "$busy" = 0 ] && tap_ok "every DBC free after the runs" ||
	tap_fail "every DBC free after the runs" "$busy still assigned"

unload_modules || tap_fail "modules unload" "rmmod failed"
tap_done
