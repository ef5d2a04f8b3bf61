// SPDX-License-Identifier: MIT
/*
 * The report's derived figures (report_model.h, report_compute()) and the
 * notes that state what each one assumes. Unknown inputs give NaN, never a
 * made-up number.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"
#include "report_nsps.h"

static const char *const res_names[REPORT_RES_N] = { "link in", "link out", "NSPs" };
static const char *const res_keys[REPORT_RES_N] = { "link_in", "link_out", "nsp" };

const char *report_res_name(int res)
{
	return res >= 0 && res < REPORT_RES_N ? res_names[res] : "none";
}

const char *report_res_key(int res)
{
	return res >= 0 && res < REPORT_RES_N ? res_keys[res] : NULL;
}

void report_link_text(const struct report_dev *d, char *buf, size_t size)
{
	if (!d->info.link_known)
		snprintf(buf, size, "unknown");
	else if (!d->link_overridden)
		devinfo_link_text(&d->info, buf, size);
	else if (d->info.link_gen)
		snprintf(buf, size, "Gen%u x%u, %.1f MB/s per direction (--link-bps)",
			 d->info.link_gen, d->info.link_width, d->info.link_bps / 1e6);
	else
		snprintf(buf, size, "%.1f MB/s per direction (--link-bps)", d->info.link_bps / 1e6);
}

static double per_sec(uint64_t n, uint64_t window_ns)
{
	return window_ns ? (double)n * 1e9 / (double)window_ns : NAN;
}

/* The stage with the largest mean among submit..wakeup, and its share of their sum. */
static void dominant_stage(struct report_wl *w)
{
	double sum = 0, best = -1;
	unsigned int s;

	w->dominant = -1;
	w->dominant_share = NAN;
	for (s = QP_STAGE_SUBMIT; s <= QP_STAGE_WAKEUP; s++) {
		if (!w->stage[s].count || !isfinite(w->stage[s].mean_ns))
			continue;
		sum += w->stage[s].mean_ns;
		if (w->stage[s].mean_ns > best) {
			best = w->stage[s].mean_ns;
			w->dominant = (int)s;
		}
	}
	if (w->dominant >= 0 && sum > 0)
		w->dominant_share = best / sum;
}

static void workload_figures(struct report *r, struct report_wl *w)
{
	const struct report_dev *dev = &r->dev[w->dev_index];
	unsigned int d;

	w->exec_per_sec = per_sec(w->executes, r->window_ns);
	w->bos_per_sec = per_sec(w->bos[QP_DIR_IN] + w->bos[QP_DIR_OUT], r->window_ns);
	w->xfer_ns = 0;
	for (d = 0; d < QP_DIR_N; d++) {
		w->bytes_per_exec[d] = w->executes ? (double)w->enq_bytes[d] / (double)w->executes
						   : NAN;
		w->bytes_per_sec[d] = per_sec(w->bytes[d], r->window_ns);
		if (dev->info.link_known)
			w->xfer_ns += (double)w->bytes[d] * 1e9 / (double)dev->info.link_bps;
	}
	if (w->has_busy && r->window_ns) {
		w->busy_frac = (double)w->busy_ns / (double)r->window_ns;
		w->dbc_limit = w->busy_ns ? 1 / w->busy_frac : NAN;
		w->compute_ns = fmax(0.0, (double)w->busy_ns - w->xfer_ns);
		w->nsp_busy = w->compute_ns * w->nsps / (double)r->window_ns;
	} else {
		w->busy_frac = NAN;
		w->dbc_limit = NAN;
		w->compute_ns = NAN;
		w->nsp_busy = NAN;
	}
	w->compute_per_exec_ns = w->executes ? w->compute_ns / (double)w->executes : NAN;
	w->nsp_busy_rec = NAN;
	if (w->has_out_side && r->window_ns) {
		double out_xfer = dev->info.link_known ? (double)w->bytes[QP_DIR_OUT] * 1e9 /
							 (double)dev->info.link_bps : 0;

		w->nsp_busy_rec = fmax(0.0, (double)w->out_side_ns - out_xfer) * w->nsps /
				  (double)r->window_ns;
	}
	dominant_stage(w);
}

/* The first resource to saturate, among utilizations util[]; -1 if none is known and > 0. */
static int first_saturated(const double *util, double *headroom)
{
	double top = 0;
	int res, best = -1;

	for (res = 0; res < REPORT_RES_N; res++) {
		if (isfinite(util[res]) && util[res] > top) {
			top = util[res];
			best = res;
		}
	}
	*headroom = best >= 0 ? 1.0 / top : NAN;
	return best;
}

static void device_figures(struct report *r, struct report_dev *dev)
{
	double util_rec[REPORT_RES_N];
	unsigned int d;

	for (d = 0; d < QP_DIR_N; d++) {
		dev->bytes_per_sec[d] = per_sec(dev->bytes[d], r->window_ns);
		dev->util[d == QP_DIR_IN ? REPORT_RES_LINK_IN : REPORT_RES_LINK_OUT] =
			dev->info.link_known ? dev->bytes_per_sec[d] / (double)dev->info.link_bps
					     : NAN;
	}
	dev->util[REPORT_RES_NSP] = dev->info.num_nsp ? dev->nsp_busy / dev->info.num_nsp : NAN;
	dev->bottleneck = first_saturated(dev->util, &dev->headroom);
	dev->nsp_util_rec = dev->info.num_nsp ? dev->nsp_busy_rec / dev->info.num_nsp : NAN;
	memcpy(util_rec, dev->util, sizeof(util_rec));
	util_rec[REPORT_RES_NSP] = dev->nsp_util_rec;
	dev->bottleneck_rec = isfinite(dev->nsp_util_rec) ?
			      first_saturated(util_rec, &dev->headroom_rec) : -1;
	if (!isfinite(dev->nsp_util_rec))
		dev->headroom_rec = NAN;
}

/* ---- notes: every figure's assumptions, in words ------------------------------------ */

static void note_window(struct report *r)
{
	if (r->from_trace)
		report_note(r, "Window: %.3f s, from the first to the last event of the recording. "
			    "Its per-request records are counted by the rules the BPF programs count "
			    "by, into histograms with the same buckets, so figures match a live "
			    "report's.", r->window_ns / 1e9);
	else
		report_note(r, "Window: %.3f s, live: the BPF maps read at its start and end. "
			    "Requests in flight at either edge count where they entered "
			    "(executes) or completed (BOs, bytes, latencies, DBC busy time).",
			    r->window_ns / 1e9);
	report_note(r, "Executes are EXECUTE_BO and PARTIAL_EXECUTE_BO calls; BOs/s and "
		    "bandwidth count completed BO executions (any status); bytes per execute = "
		    "bytes submitted / executes.");
}

static void note_devices(struct report *r)
{
	unsigned int i;
	char link[128];

	for (i = 0; i < r->n_dev; i++) {
		const struct report_dev *d = &r->dev[i];
		const char *from = d->link_overridden ? "given on the command line" :
				   !d->found ? "device not found on this host" :
				   r->from_trace ? "read from this host's sysfs at report time (a "
						   "recording does not hold it)" : "from sysfs";

		report_link_text(d, link, sizeof(link));
		if (!d->info.link_known)
			report_note(r, "dev %u: link capacity unknown (%s): no link utilization, "
				    "link headroom or transfer time; the NSP bound subtracts no "
				    "transfer time.", d->info.minor, from);
		else
			report_note(r, "dev %u: link %s, %s.%s", d->info.minor, link, from,
				    d->info.link_payload ? "" :
				    " A line rate: TLP and protocol overhead make the payload "
				    "ceiling lower, so link utilization is understated and link "
				    "headroom optimistic.");
		if (!d->info.num_nsp)
			report_note(r, "dev %u: NSP count unknown (%s): no NSP utilization; "
				    "give it with --num-nsp.", d->info.minor,
				    d->found ? "sysfs has no num_nsp" : "device not found");
		else if (d->nsp_overridden)
			report_note(r, "dev %u: %u NSPs, given by --num-nsp.", d->info.minor,
				    d->info.num_nsp);
	}
}

static void note_nsps(struct report *r)
{
	size_t i, defaults = 0, over = 0;
	unsigned int k;

	report_note(r, "NSP busy is an estimate and an upper bound: the host does not see NSP "
		    "time. Per workload, its DBC's busy time (the union of its BOs' device "
		    "stages, doorbell to response seen) minus its completed bytes' time at the "
		    "link rate bounds its compute time from above. Times the NSPs one inference "
		    "holds, over the window, that is the NSPs it keeps busy on average; their sum "
		    "over the device's NSPs is its NSP utilization.");
	report_note(r, "The NSP bound still holds waits for free NSPs, per-transfer costs, "
		    "transfers slower than the link rate and the driver's notice delay. It "
		    "assumes a DBC runs one inference at a time (its queue is FIFO and each "
		    "output BO waits for its inference, as libqaic queues input then output). "
		    "NSP headroom is therefore a lower bound.");
	for (i = 0; i < r->n_wl; i++) {
		const struct report_wl *w = &r->wl[i];
		const struct report_dev *d = &r->dev[w->dev_index];

		if (w->nsp_rule < 0)
			defaults++;
		if (d->info.num_nsp && w->nsps > d->info.num_nsp && over++ < 4)
			report_note(r, "dev %u dbc %u pid %u: %u NSPs per inference, more than the "
				    "device's %u.", w->key.dev, w->key.dbc, w->key.tgid, w->nsps,
				    d->info.num_nsp);
		if (!w->has_busy)
			report_note(r, "dev %u dbc %u pid %u: its DBC's busy time is not known "
				    "(no DBC entry): no NSP estimate for it or its device.",
				    w->key.dev, w->key.dbc, w->key.tgid);
	}
	if (defaults)
		report_note(r, "NSPs per inference: %u for %zu workload(s) no --nsps rule named "
			    "(%s).", r->nsps ? r->nsps->default_nsps : 1, defaults,
			    r->nsps && r->nsps->default_given ? "given" : "assumed");
	for (k = 0; r->nsps && k < r->nsps->n; k++) {
		const struct report_nsp_rule *rule = &r->nsps->rule[k];

		if (rule->matched)
			report_note(r, "NSPs per inference: --nsps %s applied to %u workload(s).",
				    rule->text, rule->matched);
		else
			report_note(r, "NSPs per inference: --nsps %s matched no workload.",
				    rule->text);
	}
}

static void note_headroom(struct report *r)
{
	size_t i;

	report_note(r, "Headroom: the factor by which every workload's rate can grow together "
		    "before link in, link out or the NSPs reach 100%%: linear scaling, the same "
		    "mix, link capacity per direction and NSP count as above, no queueing "
		    "effects (latency grows well before 100%%).");
	for (i = 0; i < r->n_wl; i++) {
		const struct report_wl *w = &r->wl[i];
		const struct report_dev *d = &r->dev[w->dev_index];
		double limit = w->dbc_limit;

		if (w->dbc_shared)
			report_note(r, "dev %u dbc %u: several workloads used it in the window; "
				    "its busy time is split by their device-stage time.",
				    w->key.dev, w->key.dbc);
		if (!isfinite(limit))
			continue;
		if (!isfinite(d->headroom) || limit < d->headroom)
			report_note(r, "dev %u dbc %u pid %u: its DBC was busy %.1f%% of the "
				    "window and runs its queue one request at a time: with the same "
				    "DBCs (processes) this workload cannot grow beyond x%.2f%s.",
				    w->key.dev, w->key.dbc, w->key.tgid, 100 * w->busy_frac, limit,
				    isfinite(d->headroom) ? ", below the device's headroom" : "");
	}
}

static void note_losses(struct report *r)
{
	const uint64_t *c = r->counters;
	size_t i;

	if (r->devs_dropped)
		report_note(r, "%zu workload(s) on devices beyond the first %d left out.",
			    r->devs_dropped, REPORT_MAX_DEVS);
	if (r->has_counters &&
	    (c[QP_CNT_INFLIGHT_FULL] || c[QP_CNT_ORPHAN_COMPLETE] || c[QP_CNT_KEYS_FULL] ||
	     c[QP_CNT_STAGE_SKIPPED] || c[QP_CNT_DONE_FULL]))
		report_note(r, "The BPF side lost or could not pair events in the window "
			    "(in-flight map full %llu, orphan completions %llu, keys full %llu, "
			    "done map full %llu, stages skipped %llu): counts and latencies "
			    "undercount by that much.",
			    (unsigned long long)c[QP_CNT_INFLIGHT_FULL],
			    (unsigned long long)c[QP_CNT_ORPHAN_COMPLETE],
			    (unsigned long long)c[QP_CNT_KEYS_FULL],
			    (unsigned long long)c[QP_CNT_DONE_FULL],
			    (unsigned long long)c[QP_CNT_STAGE_SKIPPED]);
	if (r->has_trace_counts && (r->trace.dropped || r->trace.malformed || r->unattributed))
		report_note(r, "The recording lost %llu events in its ring buffer (%llu "
			    "malformed); %llu requests have no known owner and are left out: "
			    "figures undercount.", (unsigned long long)r->trace.dropped,
			    (unsigned long long)r->trace.malformed,
			    (unsigned long long)r->unattributed);
	for (i = 0; i < r->n_wl; i++) {
		if (r->wl[i].dominant == QP_STAGE_WAKEUP) {
			report_note(r, "Where wakeup dominates: it runs from a BO's completion to "
				    "the WAIT_BO that returns it, so it holds the client's own "
				    "wake-up and scheduling delay, and the time a client takes to "
				    "wait for a BO at all (one that waits for the output BO first "
				    "and the input after gives its input BOs the output's device "
				    "time as wakeup).");
			break;
		}
	}
	for (i = 0; i < r->n_wl; i++) {
		if (r->wl[i].has_out_side) {
			report_note(r, "Closer NSP estimate (NSPS_BUSY~, from the recorded "
				    "per-request records): a DBC runs its BOs in FIFO order, so an "
				    "output BO's time past the BO before it (its input: seen to "
				    "seen) is its inference's wait for NSPs, compute and DMA out, "
				    "plus the difference of two notice delays; less its bytes at the "
				    "link rate, times its NSPs. Not a strict bound (a notice delay "
				    "of the input can hide some compute), but free of the input "
				    "side's queueing and transfers; its headroom is given beside "
				    "the bound's.");
			break;
		}
	}
	for (i = 0; i < r->n_wl; i++) {
		if (r->wl[i].has_dir_device) {
			report_note(r, "Device stage per BO direction (from the recorded "
				    "per-request records): an input BO's is its queueing + DMA in; "
				    "an output BO's also holds its inference (waiting for NSPs + "
				    "compute) and DMA out.");
			break;
		}
	}
}

void report_compute(struct report *r)
{
	unsigned int i, d;
	size_t k;

	r->n_notes = 0;
	for (i = 0; i < r->n_dev; i++) {
		struct report_dev *dev = &r->dev[i];

		dev->n_wl = 0;
		dev->exec_per_sec = 0;
		dev->nsp_busy = 0;
		dev->nsp_busy_rec = 0;
		memset(dev->bytes, 0, sizeof(dev->bytes));
	}
	for (k = 0; k < r->n_wl; k++) {
		struct report_wl *w = &r->wl[k];
		struct report_dev *dev = &r->dev[w->dev_index];

		workload_figures(r, w);
		dev->n_wl++;
		dev->exec_per_sec += w->exec_per_sec;
		dev->nsp_busy += w->nsp_busy;	/* one unknown makes the sum unknown */
		dev->nsp_busy_rec += w->nsp_busy_rec;
		for (d = 0; d < QP_DIR_N; d++)
			dev->bytes[d] += w->bytes[d];
	}
	for (i = 0; i < r->n_dev; i++)
		device_figures(r, &r->dev[i]);
	for (k = 0; k < r->n_wl; k++)
		r->wl[k].exec_per_sec_at_headroom = r->wl[k].exec_per_sec *
						    r->dev[r->wl[k].dev_index].headroom;
	note_window(r);
	note_devices(r);
	note_nsps(r);
	note_headroom(r);
	note_losses(r);
}
