# Helpers of the profiler suites (sourced after guest-lib.sh): exact
# percentiles from raw samples, the tolerance rule, and reading what the
# driver's tracepoints and the sim's ground truth say about each request.

prof=$QAIC_TOP/build/profiler/qaic-prof
run=$QAIC_TOP/build/tools/qaic-run
tracefs=/sys/kernel/tracing
simfs=/sys/kernel/debug/qaic_sim/card0

# Start "qaic-prof ARGS" in the background, stdout to $1, stderr to $1.err;
# wait until it says it is tracing. Sets prof_pid.
prof_start() {
	_out=$1
	shift
	"$prof" "$@" >"$_out" 2>"$_out.err" &
	prof_pid=$!
	wait_for "grep -q Tracing '$_out.err' '$_out'" 20
}

# Stop it with SIGINT (the final report) and wait for it.
prof_stop() {
	kill -INT "$1" 2>/dev/null
	wait "$1"
}

# stdin: "GROUP VALUE" lines; stdout: "GROUP N P50 P90 P99" with the
# nearest-rank percentiles (rank ceil(p/100 * n)), qaic-prof's definition.
exact_percentiles() {
	sort -k1,1 -k2,2n | awk '
		function flush() {
			if (n == 0) return
			printf "%s %d %s %s %s\n", g, n, v[rank(50)], v[rank(90)], v[rank(99)]
		}
		function rank(p,  r) {
			r = int(p * n / 100); if (r < p * n / 100) r++
			return r < 1 ? 1 : r
		}
		$1 != g { flush(); g = $1; n = 0 }
		{ v[++n] = $2 }
		END { flush() }'
}

# Is MEASURED within 2% of TRUTH, or within one histogram bucket of it
# (bpf/qaic_hist.h: 1 ns below 64 ns, then 1/64 of the power of two)?
# Prints the relative error in percent; exit status 0 if within.
within_tolerance() {
	awk -v m="$1" -v t="$2" 'BEGIN {
		w = 1
		if (t >= 64) { k = 0; x = t; while (x >= 2) { x /= 2; k++ } w = 2 ^ (k - 6) }
		d = m - t; if (d < 0) d = -d
		tol = 0.02 * t; if (w > tol) tol = w
		printf "%.3f", t ? 100 * d / t : 0
		exit !(d <= tol)
	}'
}

# The driver's own per-request values from its ftrace events (trace file
# $1): "DBC/STAGE VALUE" for every completed BO (status 0) and every
# successful first wait on it, the same definitions as the BPF programs.
trace_stage_samples() {
	awk '
		function f(name,  i) {
			for (i = 1; i <= NF; i++)
				if (index($i, name "=") == 1) return substr($i, length(name) + 2)
			return ""
		}
		/ qaic_bo_complete: / {
			if (f("status") != 0) next
			d = f("dbc"); s = f("seq")
			sub_ = f("submit_ts"); db = f("doorbell_ts"); se = f("seen_ts"); co = f("complete_ts")
			print d "/submit", db - sub_
			print d "/device", se - db
			print d "/complete", co - se
			submit[d "," s] = sub_; done[d "," s] = co
		}
		/ qaic_wait_return: / {
			if (f("result") != 0) next
			k = f("dbc") "," f("seq")
			if (!(k in done)) next
			split(k, a, ",")
			print a[1] "/wakeup", f("ts") - done[k]
			print a[1] "/e2e", f("ts") - submit[k]
			delete done[k]
		}' "$1"
}

# The sim's ground truth (truth file $1) per BO execution: the requests
# (slices) of one execution share their DBC and request id; its device time
# runs from the tail write that queued its first slice to the response of
# its last. "DBC/device VALUE" lines, status 0 only.
truth_device_samples() {
	awk '$1 == "R" && $15 == 0 {
		k = $3 "," $4
		if (!(k in q) || $9 < q[k]) q[k] = $9
		if ($14 > r[k]) r[k] = $14
	}
	END { for (k in q) { split(k, a, ","); print a[1] "/device", r[k] - q[k] } }' "$1"
}

# Per DBC and direction in the truth (dir 1 in, 2 out): "DBC/DIR BYTES BOS",
# BOS counting BO executions (distinct request ids), not slices.
truth_bytes() {
	awk '$1 == "R" && $15 == 0 {
		k = $3 "/" $6; b[k] += $7
		if (!(($3 "," $4) in seen)) { seen[$3 "," $4] = 1; n[k]++ }
	}
	END { for (k in b) print k, b[k], n[k] }' "$1" | sort
}
