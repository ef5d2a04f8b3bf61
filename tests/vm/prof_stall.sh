#!/bin/sh
# kernels: 6.12
# timeout: 300
# qaic-prof stall against a DBC stalled on demand (tests/vm/test_data_faults.c
# "stall": the card answers an inference, its MSI is dropped, the driver never
# learns of the answer) and against heavy healthy load:
#   - started before the stall: reported within threshold + one interval of
#     the moment the card answered (the sim's truth), never before the
#     threshold, naming the DBC and the stalled process; without --watch the
#     process exits 1; with --watch one stall event, then one clear event
#     (DBC released) when the stalled process is killed; without debugfs (a
#     mount namespace without it) the BPF side alone finds it the same;
#   - started when the stall has already lasted longer than the threshold
#     (nothing in the BPF maps): reported from the driver's debugfs (its
#     last completion's time and the oldest request's age) within one
#     interval of qaic-prof's start, not as a lower bound, the no-progress
#     time covering the time since the card answered;
#   - 60 s of heavy healthy load, a 300 ms-compute workload among others, its
#     oldest request waiting longer than the threshold behind the others:
#     --watch -t 2s reports nothing, while -t 150ms on the same load does
#     report (the detector sees that DBC);
#   - no kernel splat; the modules unload.
. "$QAIC_TOP/tests/vm/guest-lib.sh"
. "$QAIC_TOP/tests/vm/prof-lib.sh"

bin=$QAIC_TOP/build/tests/vm
out=$(mktemp -d)
splat='WARNING|BUG|Oops|Call Trace|general protection|list_(add|del) corruption|refcount_t'
THR_NS=1000000000	# -t 1s
IVL_NS=500000000	# every 0.5 s
DFS_SLACK_NS=20000000	# a debugfs read's duration in the VM, at most

dmesg_mark
load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for 'grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state' 20 ||
	tap_fail "card ONLINE" "not ONLINE"

# A "key value" line of the driver's debugfs dbc<N>.
dbc_value() {
	awk -v k="$2" '$1 == k { print $2 }' /sys/kernel/debug/qaic/*/dbc"$1"
}
# CLOCK_MONOTONIC now, in ns (ktime_get(), the events' clock).
mono_ns() {
	awk '/^now at / { print $3; exit }' /proc/timer_list
}
# Wait for background process $1 to exit, up to $2 s; its status in $rc.
wait_exit() {
	wait_for "! kill -0 $1" "$2" || { kill -INT "$1"; rc=timeout; wait "$1"; return 1; }
	wait "$1"
	rc=$?
}
# The first event of type $2 in JSON stream $1, as one compact line.
first_event() {
	jq -c "select(.event == \"$2\")" "$1" 2>/dev/null | head -n 1
}
# Field $2 of JSON object $1.
field() {
	printf '%s\n' "$1" | jq -r ".$2"
}

# --- 1. qaic-prof first, then the stall ----------------------------------------
echo clear >$simfs/truth
prof_start "$out/watch.json" stall --watch --json -t 1s 0.5 ||
	tap_fail "stall --watch starts" "$(cat "$out/watch.json.err")"
watch_pid=$prof_pid
prof_start "$out/once.txt" stall -t 1s 0.5 ||
	tap_fail "stall (text, no --watch) starts" "$(cat "$out/once.txt.err")"
once_pid=$prof_pid
# And one that cannot see debugfs (its own mount namespace without it): BPF only.
unshare -m sh -c "umount -l /sys/kernel/debug && exec $prof stall --json -t 1s 0.5" \
	>"$out/nodfs.json" 2>"$out/nodfs.json.err" &
nodfs_pid=$!
wait_for "grep -q Tracing '$out/nodfs.json.err'" 20 ||
	tap_fail "stall without debugfs starts" "$(cat "$out/nodfs.json.err")"

"$bin/test_data_faults" stall >"$out/stall.out" 2>&1 &
stall_pid=$!
if wait_for "grep -q '^stalled ' '$out/stall.out'" 20; then
	tap_ok "a DBC stalled on demand: $(cat "$out/stall.out")"
else
	tap_fail "a DBC stalled on demand" "$(cat "$out/stall.out")"
fi
dbc=$(sed -n 's/^stalled dbc=\([0-9]*\) .*/\1/p' "$out/stall.out")
spid=$(sed -n 's/^stalled .* pid=\([0-9]*\) .*/\1/p' "$out/stall.out")
oldest_id=$(dbc_value "${dbc:-0}" oldest_req_id)
# The card's answers to the stalled inference: R records of its DBC from the
# driver's oldest request on (the truth file has both inferences of the run).
t_rsp=$(awk -v d="${dbc:--1}" -v r="${oldest_id:--1}" '$1 == "R" && $3 == d && $4 >= r {
	if (!m || $14 < m) m = $14 } END { printf "%.0f\n", m }' $simfs/truth)
tap_diag "stalled: dbc $dbc pid $spid, oldest request $oldest_id, card answered at $t_rsp ns"

wait_exit "$once_pid" 10
tap_check "without --watch it exits 1 at the stall (exit $rc)" test "$rc" = 1
row=$(awk -v d="$dbc" -v p="$spid" '$2 == d && $3 == p' "$out/once.txt")
if [ -n "$row" ]; then
	tap_ok "text report names dbc $dbc and pid $spid: $row"
else
	tap_fail "text report names dbc $dbc and pid $spid" "$(cat "$out/once.txt")"
fi
grep -q "lost interrupt" "$out/once.txt" &&
	tap_ok "text report reads the FIFO: the card answered, the driver did not take it" ||
	tap_fail "text report reads the FIFO" "no hint"

wait_for "grep -q '\"event\":\"stall\"' '$out/watch.json'" 5
ev=$(first_event "$out/watch.json" stall)
if [ -n "$ev" ]; then
	tap_diag "$ev"
	ts=$(field "$ev" ts_ns)
	since=$(field "$ev" since_ns)
	tap_check "the stall names dbc $dbc" test "$(field "$ev" dbc)" = "$dbc"
	tap_check "the stall names pid $spid, comm test_data_fault" \
		test "$(field "$ev" pid) $(field "$ev" comm)" = "$spid test_data_fault"
	tap_check "owner and cgroup from BPF (it saw the submission)" \
		test "$(field "$ev" owner_source) $(field "$ev" cgroup_source)" = "bpf bpf"
	tap_check "no progress since the oldest request's submission" \
		test "$(field "$ev" since)" = oldest_submit
	tap_check "queue from debugfs: 2 BOs, 3 responses the driver has not taken" \
		test "$(field "$ev" in_flight_source) $(field "$ev" in_flight) $(field "$ev" fifo.responses_pending)" = "debugfs 2 3"
	lat=$((ts - t_rsp))
	since_lat=$((ts - since))
	tap_diag "detection: $lat ns after the card answered, $since_lat ns after the submission (threshold $THR_NS, interval $IVL_NS)"
	if [ "$t_rsp" -gt 0 ] && [ "$lat" -le $((THR_NS + IVL_NS)) ]; then
		tap_ok "reported within threshold + one interval of the card's answer ($lat ns)"
	else
		tap_fail "reported within threshold + one interval of the card's answer" "$lat ns"
	fi
	tap_check "not reported before the threshold ($since_lat ns of no progress)" \
		test "$since_lat" -gt "$THR_NS"
	tap_check "the no-progress start is no later than the card's answer" \
		test "$since" -le "$t_rsp"
else
	tap_fail "--watch reports the stall" "$(cat "$out/watch.json" "$out/watch.json.err")"
fi

wait_exit "$nodfs_pid" 10
tap_check "without debugfs: exits 1 at the stall (exit $rc)" test "$rc" = 1
tap_check "without debugfs: it says what it cannot see" grep -q "debugfs is not mounted" \
	"$out/nodfs.json.err"
ev=$(first_event "$out/nodfs.json" stall)
if [ -n "$ev" ]; then
	tap_diag "$ev"
	tap_check "without debugfs: names dbc $dbc and pid $spid" \
		test "$(field "$ev" dbc) $(field "$ev" pid)" = "$dbc $spid"
	tap_check "without debugfs: queue and FIFO state from BPF (2 BOs in flight)" \
		test "$(field "$ev" in_flight_source) $(field "$ev" in_flight) $(field "$ev" fifo.source)" = "bpf 2 bpf"
	lat=$(($(field "$ev" ts_ns) - t_rsp))
	tap_check "without debugfs: within threshold + one interval of the card's answer ($lat ns)" \
		test "$lat" -le $((THR_NS + IVL_NS)) -a "$(field "$ev" no_progress_ns)" -gt "$THR_NS"
else
	tap_fail "without debugfs: reported" "$(cat "$out/nodfs.json" "$out/nodfs.json.err")"
fi

# --- 2. the stall first, then qaic-prof: debugfs knows ---------------------------
# Let the stall last longer than the threshold (with margin) before starting.
wait_for "[ \$(dbc_value ${dbc:-0} oldest_age_ns) -gt $((2 * THR_NS)) ] 2>/dev/null" 10
age0=$(dbc_value "${dbc:-0}" oldest_age_ns)
t_launch=$(mono_ns)
prof_start "$out/mid.json" stall --json -t 1s 0.5 ||
	tap_fail "stall started mid-stall" "$(cat "$out/mid.json.err")"
mid_pid=$prof_pid
wait_exit "$mid_pid" 10
tap_check "started mid-stall: exits 1 (exit $rc)" test "$rc" = 1
ev=$(first_event "$out/mid.json" stall)
if [ -n "$ev" ]; then
	tap_diag "$ev"
	ts=$(field "$ev" ts_ns)
	watch=$(field "$ev" watch_start_ns)
	tap_check "mid-stall: names dbc $dbc and pid $spid" \
		test "$(field "$ev" dbc) $(field "$ev" pid)" = "$dbc $spid"
	tap_check "mid-stall: queue, oldest and owner from debugfs" \
		test "$(field "$ev" in_flight_source) $(field "$ev" oldest_source) $(field "$ev" owner_source)" = "debugfs debugfs debugfs"
	tap_check "mid-stall: last completion (the first inference) dated by debugfs, exactly" \
		test "$(field "$ev" last_completion_source) $(field "$ev" last_completion_exact)" = "debugfs true"
	tap_check "mid-stall: no progress since the oldest request (after the last completion), not a lower bound" \
		test "$(field "$ev" since) $(field "$ev" no_progress_lower_bound)" = "oldest_submit false" -a \
		"$(field "$ev" last_completion_ns)" -lt "$(field "$ev" since_ns)"
	np=$(field "$ev" no_progress_ns)
	lat=$((ts - watch))
	tap_diag "stall age $age0 ns when qaic-prof was launched at $t_launch; watching from $watch, reported as of $ts: $lat ns after the watch began, $((ts - t_launch)) ns after the launch (BPF load included); no progress $np ns"
	tap_check "mid-stall: reported within one interval of qaic-prof's start (report ts - watch start = $lat ns)" \
		test "$lat" -le "$IVL_NS" -a "$ts" -ge "$t_launch"
	tap_check "mid-stall: no progress $np ns > threshold, at least the age before the launch" \
		test "$np" -gt "$THR_NS" -a "$np" -ge "$age0"
	# debugfs dates the oldest doorbell at the latest it can be (its age
	# taken from the end of the read): up to the read's duration late.
	age=$(field "$ev" oldest_age_ns)
	since_answer=$((ts - t_rsp))
	tap_check "mid-stall: oldest age $age ns covers the $since_answer ns since the card answered (less the read's $DFS_SLACK_NS ns slack)" \
		test $((age + DFS_SLACK_NS)) -ge "$since_answer" -a $((np + DFS_SLACK_NS)) -ge "$since_answer"
else
	tap_fail "mid-stall: reported" "$(cat "$out/mid.json" "$out/mid.json.err")"
fi

# Killing the stalled process frees its DBC: the watcher reports the end.
kill "$stall_pid" 2>/dev/null
wait "$stall_pid" 2>/dev/null
wait_for "grep -q '\"event\":\"clear\"' '$out/watch.json'" 5
prof_stop "$watch_pid"
tap_check "--watch exits 0 at Ctrl-C" test $? = 0
ev=$(first_event "$out/watch.json" clear)
if [ -n "$ev" ]; then
	tap_diag "$ev"
	tap_check "clear event: dbc $dbc released" \
		test "$(field "$ev" dbc) $(field "$ev" reason)" = "$dbc released"
	tap_check "clear event: duration is its no-progress time up to the release" \
		test "$(field "$ev" duration_ns)" = $(($(field "$ev" cleared_ns) - $(field "$ev" since_ns)))
else
	tap_fail "clear event when the stalled process is killed" "$(cat "$out/watch.json")"
fi
tap_check "--watch: one stall event and one clear event" \
	test "$(jq -r .event "$out/watch.json" | tr '\n' ' ')" = "stall clear "

# --- 3. heavy healthy load: no stall at 2 s -------------------------------------
prof_start "$out/fp.json" stall --watch --json -t 2s 0.5 ||
	tap_fail "stall --watch -t 2s starts" "$(cat "$out/fp.json.err")"
fp_pid=$prof_pid
prof_start "$out/ctl.json" stall --watch --json -t 150ms 0.2 ||
	tap_fail "stall --watch -t 150ms starts" "$(cat "$out/ctl.json.err")"
ctl_pid=$prof_pid
prof_start "$out/count.txt" stall -t 2s 1 5 ||
	tap_fail "stall -t 2s 1 5 starts" "$(cat "$out/count.txt.err")"
count_pid=$prof_pid

# The oldest request's age per DBC, sampled while the load runs.
(while :; do
	for f in /sys/kernel/debug/qaic/*/dbc*; do
		awk -v f="${f##*/}" '$1 == "oldest_age_ns" { print f, $2 }' "$f"
	done
	sleep 0.5
done) >"$out/ages" 2>/dev/null &
sampler=$!

"$run" --json -t 60s \
	-w name=small,in=64K,out=4K,nsp=1,dist=lognormal,mean=1ms,sigma=0.5,outstanding=4,procs=2 \
	-w name=bimodal,in=256K,out=16K,nsp=2,dist=bimodal,mean=2ms,sd=200us,mean2=20ms,sd2=2ms,p2=10,outstanding=4 \
	-w name=bulk,in=1M,out=256K,nsp=4,dist=normal,mean=5ms,sd=1ms,outstanding=3 \
	-w name=long,in=128K,out=8K,nsp=2,dist=normal,mean=300ms,sd=20ms,outstanding=8 \
	>"$out/run.json" 2>"$out/run.err"
tap_check "60 s of load ran (five processes, four workloads)" test $? = 0
kill "$sampler"
wait "$sampler" 2>/dev/null
tap_diag "$(jq -r '.workloads[] | "\(.name): \(.requests) requests, latency p50 \(.latency_ns.p50) ns, p99 \(.latency_ns.p99) ns"' "$out/run.json" 2>/dev/null)"
max_age=$(awk '$2 + 0 > m { m = $2 + 0 } END { printf "%.0f\n", m }' "$out/ages")
tap_diag "oldest request age seen in debugfs during the load: max $max_age ns"
tap_check "a request waited longer than the 2 s threshold behind others (max age $max_age ns)" \
	test "$max_age" -gt 2000000000

wait_exit "$count_pid" 20
tap_check "stall -t 2s 1 5 under the load exits 0 (exit $rc)" test "$rc" = 0
tap_diag "$(tail -n 1 "$out/count.txt")"
prof_stop "$fp_pid"
tap_check "--watch -t 2s exits 0" test $? = 0
prof_stop "$ctl_pid"
n=$(jq -s 'map(select(.event == "stall")) | length' "$out/fp.json")
if [ "$n" = 0 ]; then
	tap_ok "no stall reported at 2 s over 60 s of healthy load"
else
	tap_fail "no stall reported at 2 s over 60 s of healthy load" "$n: $(head -n 3 "$out/fp.json")"
fi
n=$(jq -s 'map(select(.event == "stall")) | length' "$out/ctl.json")
maxnp=$(jq -s 'map(select(.event == "stall") | .no_progress_ns) | max' "$out/ctl.json")
tap_diag "-t 150ms on the same load: $n stall events (longest no-progress at report $maxnp ns)"
tap_check "the same load at -t 150ms does report stalls: the detector sees it" test "$n" -gt 0

# --- 4. the kernel ---------------------------------------------------------------
tap_check "modules unload" unload_modules
problems=$(dmesg_since_mark | grep -E "$splat")
if [ -z "$problems" ]; then
	tap_ok "no kernel splat in dmesg"
else
	tap_fail "no kernel splat in dmesg" "see below"
	tap_diag "$problems"
fi
tap_done
