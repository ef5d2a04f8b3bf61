#!/bin/sh
# kernels: 6.12
# timeout: 300
# qaic-prof record under the demo's load (examples/demo.conf): the file is
# JSON, every slice begins before it ends, slices on each track nest, no
# event was dropped, and the requests per DBC equal the sim's ground truth.
. "$QAIC_TOP/tests/vm/guest-lib.sh"
. "$QAIC_TOP/tests/vm/prof-lib.sh"

out=$(mktemp -d)
load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for 'grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state' 20 ||
	tap_fail "card ONLINE" "not ONLINE"
echo clear >$simfs/truth

prof_start "$out/rec" record -o "$out/trace.json" ||
	tap_fail "qaic-prof record starts" "$(cat "$out/rec.err")"
rec_pid=$prof_pid
"$run" -t 8s -c "$QAIC_TOP/examples/demo.conf" >"$out/run.txt" 2>&1
tap_check "the demo's workloads ran" test $? = 0
sleep 0.3
prof_stop "$rec_pid"
tap_check "record exits 0" test $? = 0
tap_diag "$(tail -n 2 "$out/rec.err" | tr '\n' ' ')"

t=$out/trace.json
tap_check "the trace is JSON" jq -e '.traceEvents | length > 0' "$t"
tap_check "no event dropped at the demo's load" jq -e '.otherData.dropped_events == 0' "$t"
tap_check "every complete slice has a duration >= 0" \
	jq -e '[.traceEvents[] | select(.ph == "X") | select(.dur < 0)] | length == 0' "$t"

# Nesting: per (pid, tid), slices sorted by start (longer first) form a
# stack, in whole ns as Perfetto reads them (ts and dur in us, truncated).
bad=$(jq -r '.traceEvents[] | select(.ph == "X") | "\(.pid) \(.tid) \(.ts) \(.dur)"' "$t" |
	awk '{ s = int($3 * 1000); printf "%s %s %.0f %.0f\n", $1, $2, s, s + int($4 * 1000) }' |
	LC_ALL=C sort -k1,1n -k2,2n -k3,3n -k4,4nr | awk '
	{ key = $1 " " $2
	  if (key != cur) { cur = key; n = 0 }
	  while (n > 0 && $3 >= end[n]) n--
	  if (n > 0 && $4 > end[n]) bad++
	  end[++n] = $4 }
	END { print bad + 0 }')
tap_check "slices on every track nest (no partial overlap)" test "$bad" = 0

# Requests per DBC: completed, status 0, against the truth's BO executions.
jq -r '.traceEvents[] | select(.ph == "X" and .name == "request" and .args.status == 0) |
	.args.dbc' "$t" | sort -n | uniq -c | awk '{ print $2, $1 }' >"$out/prof.counts"
awk '$1 == "R" && $15 == 0 { k = $3 "," $4; if (!(k in s)) { s[k] = 1; n[$3]++ } }
	END { for (d in n) print d, n[d] }' /sys/kernel/debug/qaic_sim/card0/truth | sort -n >"$out/truth.counts"
tap_diag "truth (DBC BOS): $(tr '\n' ';' <"$out/truth.counts")"
if [ -s "$out/truth.counts" ] && cmp -s "$out/prof.counts" "$out/truth.counts"; then
	tap_ok "requests per DBC in the trace equal the truth"
else
	tap_fail "requests per DBC in the trace equal the truth" "trace: $(tr '\n' ';' <"$out/prof.counts")"
fi
flows=$(jq '[.traceEvents[] | select(.ph == "s")] | length' "$t")
flowe=$(jq '[.traceEvents[] | select(.ph == "f")] | length' "$t")
tap_check "every flow that starts ends ($flows)" test "$flows" -gt 0 -a "$flows" = "$flowe"
tap_check "queue-depth and bandwidth counters present" \
	jq -e '[.traceEvents[] | select(.ph == "C") | .name] | (any(test("in flight")) and any(test("MB/s")))' "$t"

rm -rf "$out"
unload_modules
tap_done
