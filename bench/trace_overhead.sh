#!/bin/sh
# Guest side of `make bench`: what does tracing the data path cost?
# The same closed-loop qaic-run workload (a fixed request count; small
# transfers and a short fixed compute with several requests outstanding, so
# per-request host work matters) runs under each configuration below, each
# once per round, several rounds, the order rotated each round. A round's
# baseline is the mean of its two untraced runs; every configuration's
# throughput (qaic-run --json, inferences/s) is divided by its own round's,
# so drift of the emulated guest cancels out. The table gives the median
# over the rounds and the spread. Each tracer is started before its run and
# stopped after it, and must have seen every BO of the run (checked outside
# the timed part), else the bench fails.
#
#   base      nothing attached, qaic tracepoints disabled (the baseline)
#   base2     the same again; its row is base2 over base: the noise floor
#   lat       qaic-prof lat (raw_tp; one report at the end)
#   record    qaic-prof record -o FILE (raw_tp and the ring buffer, read
#             while it runs; the file is written after the run)
#   bpftrace  bpftrace counting qaic:qaic_bo_complete per dbc (tracepoint:)
#   perf      perf record -e 'qaic:*' -a to /tmp (started disabled, enabled
#             through --control before the run)
#   empty     six raw_tp programs that return 0 on the six tracepoints
#             qaic-prof uses (bench/empty_raw_tp.bpf.c, bpftool autoattach)
#   ftrace    events/qaic/enable = 1, nothing reading the trace buffer
#
# Cost per inference: 1/throughput - 1/baseline throughput, in us of this
# (single-threaded TCG) guest: far slower than real hardware, so only the
# comparison between configurations carries over. After the rounds, one
# more run each of lat, record and empty with kernel.bpf_stats_enabled gives
# the time spent inside the BPF programs, per event and per inference.
# BENCH_ROUNDS=N overrides the number of rounds (7).
. "$QAIC_TOP/tests/vm/guest-lib.sh"

rounds=${BENCH_ROUNDS:-7}
requests=3000
workload=name=small,in=4K,out=4K,nsp=1,dist=fixed,mean=20us,outstanding=4,procs=2,check=0
configs="base base2 lat record bpftrace perf empty ftrace"

run=$QAIC_TOP/build/tools/qaic-run
prof=$QAIC_TOP/build/profiler/qaic-prof
empty_obj=$QAIC_TOP/build/bench/empty_raw_tp.bpf.o
tracefs=/sys/kernel/tracing
pin=/sys/fs/bpf/bench_empty
tmp=/tmp/trace_overhead
bos=$((2 * requests))	# an input and an output BO per request

tracer_pid=""

die() {
	echo "trace_overhead: $*"
	cleanup
	exit 1
}

# Stop the tracer in the background with SIGINT (it prints or writes what
# it has) and wait for it.
tracer_stop() {
	[ -n "$tracer_pid" ] && kill -INT "$tracer_pid" 2>/dev/null && wait "$tracer_pid"
	tracer_pid=""
}

cleanup() {
	tracer_stop
	echo 0 >$tracefs/events/qaic/enable 2>/dev/null
	rm -rf "$pin"
}

# Run the workload once; print its inferences/s (or, failing, why).
measure() {
	"$run" -n $requests --json -w "$workload" >$tmp/run.json 2>$tmp/run.err || {
		echo "qaic-run failed: $(cat $tmp/run.err)"
		return 1
	}
	jq -e '.workloads[0] | select(.status == "ok") | .inferences_per_s' $tmp/run.json ||
		{ echo "qaic-run: $(cat $tmp/run.json)"; return 1; }
}

# check CONFIG SEEN: the tracer saw SEEN BO completions; a wrong count is
# recorded (the bench then fails) and said.
check() {
	[ "$2" = "$bos" ] && return 0
	echo "$1" >>$tmp/failed
	echo "check: $1 saw '$2' BO completions, expected $bos"
}

start_base() {
	[ "$(cat $tracefs/events/qaic/enable)" = 0 ] || die "qaic events are enabled"
}
stop_base() { :; }
start_base2() { start_base; }
stop_base2() { :; }

start_lat() {
	"$prof" lat --json >$tmp/lat.out 2>$tmp/lat.err &
	tracer_pid=$!
	wait_for "grep -q Tracing $tmp/lat.err" 30 || die "qaic-prof lat: $(cat $tmp/lat.err)"
}
stop_lat() {
	tracer_stop
	check lat "$(jq -s '[.[-1].workloads[].stages.e2e.count] | add' $tmp/lat.out)"
}

start_record() {
	"$prof" record -o $tmp/rec.json >$tmp/rec.out 2>$tmp/rec.err &
	tracer_pid=$!
	wait_for "grep -q Tracing $tmp/rec.err" 30 || die "qaic-prof record: $(cat $tmp/rec.err)"
}
stop_record() {
	tracer_stop
	# "qaic-prof record: N requests, D events dropped; ..."
	check record "$(sed -n 's/.*: \([0-9]*\) requests, 0 events dropped.*/\1/p' $tmp/rec.err)"
	rm -f $tmp/rec.json
}

start_bpftrace() {
	bpftrace -B line -e '
		tracepoint:qaic:qaic_bo_complete { @[args->dbc] = count(); }
		BEGIN { printf("ready\n"); }' >$tmp/bt.out 2>&1 &
	tracer_pid=$!
	wait_for "grep -q ready $tmp/bt.out" 60 || die "bpftrace: $(cat $tmp/bt.out)"
}
stop_bpftrace() {
	tracer_stop
	check bpftrace "$(awk '/^@\[/ { n += $2 } END { print n + 0 }' $tmp/bt.out)"
}

# Started with its events disabled; enabled (and acknowledged) through the
# control FIFOs, so the run starts only once perf records.
start_perf() {
	rm -f $tmp/ctl $tmp/ack $tmp/perf.data
	mkfifo $tmp/ctl $tmp/ack
	perf record -e 'qaic:*' -a -m 4M -B -q --synth=no --no-bpf-event -D -1 \
		--control fifo:$tmp/ctl,$tmp/ack -o $tmp/perf.data >$tmp/perf.out 2>&1 &
	tracer_pid=$!
	exec 3<>$tmp/ctl 4<>$tmp/ack
	echo enable >&3
	[ "$(timeout 60 head -n 1 <&4)" = ack ] || die "perf record: $(cat $tmp/perf.out)"
}
stop_perf() {
	tracer_stop
	exec 3>&- 4>&-
	# perf now and then writes a few records twice (identical, same CPU
	# and time): count distinct executions, and say how many were doubled.
	perf script -i $tmp/perf.data -F event,trace 2>/dev/null |
		sed -n 's/.*qaic_bo_complete:.* dbc=\([0-9]*\) .* seq=\([0-9]*\) .*/\1 \2/p' >$tmp/perf.bos
	check perf "$(sort -u $tmp/perf.bos | wc -l)"
	echo $(($(wc -l <$tmp/perf.bos) - $(sort -u $tmp/perf.bos | wc -l))) >>$tmp/perf.doubled
	rm -f $tmp/perf.data $tmp/perf.bos
}

start_empty() {
	bpftool prog loadall "$empty_obj" $pin autoattach || die "bpftool could not attach $empty_obj"
}
stop_empty() {
	n=$(ls $pin | wc -l)
	rm -rf $pin
	# Nothing to count: six attached programs is the check.
	[ "$n" = 6 ] || { echo empty >>$tmp/failed; echo "check: empty had $n programs, expected 6"; }
}

start_ftrace() {
	echo >$tracefs/trace
	echo 1 >$tracefs/events/qaic/enable
}
stop_ftrace() {
	echo 0 >$tracefs/events/qaic/enable
	check ftrace "$(grep -c ' qaic_bo_complete:' $tracefs/trace)"
	echo >$tracefs/trace
}

# Configurations of round $1: the list rotated left by the round number.
round_order() {
	echo "$configs" | awk -v r="$1" '{ for (i = 0; i < NF; i++) printf "%s ", $((i + r) % NF + 1) }'
}

[ -x "$run" ] && [ -x "$prof" ] || die "build/tools/qaic-run or build/profiler/qaic-prof not built (make all)"
[ -r "$empty_obj" ] || die "$empty_obj not built (make -C bench)"
for t in bpftrace perf bpftool jq; do
	command -v $t >/dev/null || die "$t not found"
done
rm -rf $tmp && mkdir -p $tmp
load_modules >/dev/null || exit 1
wait_for 'grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state' 20 || die "device not ONLINE"
trap 'cleanup; exit 1' INT TERM
# Room for every event of a run, so ftrace's check can count them all; the
# buffer's size costs nothing while the events are disabled.
# (it reads "7 (expanded: 1408)" until first used: restore the 1408)
buffer_kb=$(sed 's/.*expanded: \([0-9]*\).*/\1/' $tracefs/buffer_size_kb)
echo 8192 >$tracefs/buffer_size_kb

echo "trace overhead: $rounds rounds of $configs (order rotated each round)"
echo "workload: qaic-run -n $requests -w $workload"
ips=$(measure) || die "warm-up: $ips"	# first BOs, page cache, the sim's threads
r=1
while [ $r -le $rounds ]; do
	for c in $(round_order $r); do
		start_$c
		ips=$(measure) || die "round $r, $c: $ips"
		stop_$c
		echo "$r $c $ips" >>$tmp/results
	done
	r=$((r + 1))
done

# One more run each of the BPF configurations with the kernel's BPF run-time
# statistics on (they cost two clock reads per program run, so never during
# the rounds): time inside the programs per event and per inference.
echo 1 >/proc/sys/kernel/bpf_stats_enabled
for c in lat record empty; do
	start_$c
	ips=$(measure) || die "$c with BPF statistics: $ips"
	bpftool prog show -j >$tmp/progs.json
	jq -r --arg c $c --argjson n $requests '
		[.[] | select(.type == "raw_tracepoint" and (.run_cnt // 0) > 0)] |
		(map(.run_cnt) | add) as $cnt | (map(.run_time_ns) | add) as $ns |
		"\($c) \($cnt) \($ns) \($n)"' $tmp/progs.json >>$tmp/bpfstats
	jq -r --arg c $c '
		[.[] | select(.type == "raw_tracepoint" and (.run_cnt // 0) > 0) |
		 "\(.name | sub("^(raw|empty)_qaic_"; "")) \(.run_time_ns / .run_cnt | floor)"] |
		"  \($c)" + (" " * (8 - ($c | length))) + "ns per event by tracepoint: " + join(", ")' \
		$tmp/progs.json >>$tmp/bpfprogs
	stop_$c
done
echo 0 >/proc/sys/kernel/bpf_stats_enabled
echo "$buffer_kb" >$tracefs/buffer_size_kb
unload_modules

# Per round: the baseline is the mean of its two untraced runs; each
# configuration's ratio to it and its cost per inference in us. Per
# configuration: medians over the rounds, min and max of the ratio. The
# base2 row is the second untraced run over the first: the noise floor.
awk -v order="$configs" '
	function median(a, n,  i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function us_per_inf(x, y) { return 1e6 / x - 1e6 / y }
	{ ips[$1, $2] = $3; if ($1 > rounds) rounds = $1 }
	END {
		split("nothing attached, events disabled (2 runs)|base2 over base: the noise floor|" \
			"qaic-prof lat (raw_tp)|qaic-prof record (raw_tp + ring buffer)|" \
			"bpftrace count bo_complete per dbc (tp)|perf record -e qaic:* -a|" \
			"empty raw_tp programs x6 (bpftool)|ftrace events/qaic enabled, no reader", label, "|")
		n = split(order, cfg, " ")
		for (r = 1; r <= rounds; r++)
			base[r] = (ips[r, "base"] + ips[r, "base2"]) / 2
		printf "%-9s %-42s %9s %7s %7s %7s %8s\n", "CONFIG", "WHAT", "INF/S", "RATIO", "MIN", "MAX", "US/INF+"
		for (i = 1; i <= n; i++) {
			c = cfg[i]
			lo = 1e9; hi = 0
			for (r = 1; r <= rounds; r++) {
				t[r] = c == "base" ? base[r] : ips[r, c]
				ref = c == "base2" ? ips[r, "base"] : base[r]
				k[r] = t[r] / ref
				us[r] = us_per_inf(t[r], ref)
				if (k[r] < lo) lo = k[r]
				if (k[r] > hi) hi = k[r]
				cost[c, r] = us[r]
			}
			if (c == "base")
				printf "%-9s %-42s %9.1f %7.3f %7s %7s %8s\n", c, label[i],
					median(t, rounds), 1, "-", "-", "-"
			else
				printf "%-9s %-42s %9.1f %7.3f %7.3f %7.3f %8.1f\n", c, label[i],
					median(t, rounds), median(k, rounds), lo, hi, median(us, rounds)
		}
		for (r = 1; r <= rounds; r++) {
			lat[r] = cost["lat", r]; rec[r] = cost["record", r]; emp[r] = cost["empty", r]
			lat_own[r] = lat[r] - emp[r]; rec_own[r] = rec[r] - emp[r]
		}
		printf "cost per inference over the baseline, median of the rounds, in us of this guest:\n"
		printf "  qaic-prof lat %.1f, record %.1f; empty raw_tp programs %.1f;\n",
			median(lat, rounds), median(rec, rounds), median(emp, rounds)
		printf "  qaic-prof'"'"'s own work beyond being attached: lat %.1f, record %.1f\n",
			median(lat_own, rounds), median(rec_own, rounds)
		printf "inferences/s per round:\n%-5s", "ROUND"
		for (i = 1; i <= n; i++)
			printf " %8s", cfg[i]
		printf "\n"
		for (r = 1; r <= rounds; r++) {
			printf "%-5d", r
			for (i = 1; i <= n; i++)
				printf " %8.1f", ips[r, cfg[i]]
			printf "\n"
		}
	}' $tmp/results
echo "perf records written twice (identical copies, not counted): $(tr '\n' ' ' <$tmp/perf.doubled)"

awk -v jit="$(cat /proc/sys/net/core/bpf_jit_enable)" '
	BEGIN { printf "time inside the BPF programs (bpf_stats_enabled, a run of its own each; JIT %s):\n", jit }
	{ printf "  %-7s %6.0f ns per event, %5.2f events and %6.1f us per inference\n",
		$1, $3 / $2, $2 / $4, $3 / $4 / 1000 }' $tmp/bpfstats
cat $tmp/bpfprogs

if [ -s $tmp/failed ]; then
	echo "trace_overhead: a tracer did not see every BO: $(sort -u $tmp/failed | tr '\n' ' ')"
	exit 1
fi
