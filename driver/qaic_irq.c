// SPDX-License-Identifier: GPL-2.0-only
/*
 * Completions: draining a DBC's response FIFO.
 *
 * The device raises a DBC's MSI when its response FIFO goes from empty to
 * non-empty (aic100.rst), so after one MSI the host must drain until the
 * FIFO is empty. As upstream qaic does against IRQ storms (qaic.rst): the
 * hard handler disables the line and wakes the thread; the thread drains in
 * batches, writing the response head after each, and when the FIFO looks
 * empty keeps looking for a short while (QAIC_DRAIN_POLLS times, 100-200 us
 * apart) before it enables the line again. Enabling and then finding the
 * FIFO non-empty means a response came in between without an MSI (the FIFO
 * was not empty when it was written), so the thread looks once more after
 * enabling. With a single MSI shared with MHI the line is never disabled.
 *
 * A BO's completion time (PERF_STATS_BO's "processed", fdinfo busy time,
 * debugfs dbc<N>'s last_completion_ns, qaic_bo_complete's seen_ts) is when the driver first saw its last
 * response: the hard handler's time for the responses the MSI announced,
 * else the time of the tail read that showed it; the thread's wakeup does
 * not count as device time (qaic_bo_complete's complete_ts shows it).
 *
 * datapath_polling (module parameter, as upstream's): no interrupts; a work
 * item per DBC polls the FIFO every datapath_poll_interval_us while BOs are
 * queued, started by execute.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/moduleparam.h>

#include "qaic.h"
#include "qaic_data.h"
#include "qaic_trace.h"

bool datapath_polling;
module_param(datapath_polling, bool, 0400);
MODULE_PARM_DESC(datapath_polling, "Poll the response FIFOs instead of using interrupts");

static unsigned int datapath_poll_interval_us = 100;
module_param(datapath_poll_interval_us, uint, 0600);
MODULE_PARM_DESC(datapath_poll_interval_us,
		 "datapath_polling: sleep between looks at an idle FIFO, in us (default 100)");

#define QAIC_DRAIN_BATCH	128	/* responses between head writes */
#define QAIC_DRAIN_POLLS	10	/* looks at an empty FIFO before re-enabling */

/* A response for @req_id: its BO is done when every slice has answered. */
static void handle_response(struct qaic_dbc *dbc, u16 req_id, u16 status, u64 now)
{
	struct qaic_dbc_data *dp = &dbc->dp;
	struct qaic_bo *bo;

	/* FIFO order: the oldest BO with this id, nearly always the first. */
	list_for_each_entry(bo, &dp->xfer_list, xfer_node) {
		if (bo->req_id != req_id)
			continue;
		if (status) {
			dev_dbg_ratelimited(dbc->qdev->dev, "dbc%u: req %u failed: status %u\n",
					    dbc->id, req_id, status);
			dp->nr_dev_errors++;
			if (!bo->dev_status)
				bo->dev_status = status;
		}
		if (++bo->slices_done >= bo->nr_slice)
			qaic_bo_complete(dbc, bo, now);
		return;
	}
	dp->nr_unmatched++;
	dev_dbg_ratelimited(dbc->qdev->dev, "dbc%u: response for unknown req %u\n", dbc->id,
			    req_id);
}

/* Elements from @from up to @to in a ring of @nelem. */
static u32 ring_dist(u32 from, u32 to, u32 nelem)
{
	return to >= from ? to - from : nelem - from + to;
}

/*
 * Handle up to QAIC_DRAIN_BATCH responses from *head to @tail and tell the
 * device. Those before *seen_end were seen at @seen_ts, the others at
 * @tail_ts (when @tail was read); *seen_end follows *head once passed, and
 * is dropped if it is not between *head and @tail (stale). Returns how many.
 */
static u32 drain(struct qaic_dbc *dbc, u32 *head, u32 tail, u64 tail_ts, u32 *seen_end,
		 u64 seen_ts)
{
	struct qaic_dbc_data *dp = &dbc->dp;
	u32 h = *head, n = 0;
	bool seen;

	if (ring_dist(h, *seen_end, dbc->nelem) > ring_dist(h, tail, dbc->nelem))
		*seen_end = h;
	seen = h != *seen_end;

	/* The device wrote the elements before it moved the tail. */
	dma_rmb();
	spin_lock(&dp->xfer_lock);
	while (h != tail && n < QAIC_DRAIN_BATCH) {
		const struct qaic_dbc_rsp *rsp = dbc->rsp_q_base + h * QAIC_DBC_RSP_ELEM_SIZE;

		if (h == *seen_end)
			seen = false;
		handle_response(dbc, le16_to_cpu(READ_ONCE(rsp->req_id)),
				le16_to_cpu(READ_ONCE(rsp->status)), seen ? seen_ts : tail_ts);
		h = h + 1 == dbc->nelem ? 0 : h + 1;
		n++;
	}
	spin_unlock(&dp->xfer_lock);
	qaic_dbc_write(dbc, QAIC_DBC_RSPHP, h);
	*head = h;
	if (!seen)
		*seen_end = h;
	return n;
}

/* The response tail, or U32_MAX if the device gives nonsense (or is gone). */
static u32 read_rsp_tail(struct qaic_dbc *dbc)
{
	u32 tail = qaic_dbc_read(dbc, QAIC_DBC_RSPTP);

	if (tail != U32_MAX && tail >= dbc->nelem) {
		dev_err_ratelimited(dbc->qdev->dev, "dbc%u: response tail %u out of range\n",
				    dbc->id, tail);
		return U32_MAX;
	}
	return tail;
}

static irqreturn_t dbc_irq(int irq, void *data)
{
	struct qaic_dbc *dbc = data;
	struct qaic_dbc_data *dp = &dbc->dp;
	irqreturn_t ret = IRQ_NONE;
	u32 head, tail;
	u64 now;
	int idx;

	if (datapath_polling)
		return dp->shared_irq ? IRQ_NONE : IRQ_HANDLED;
	idx = srcu_read_lock(&dp->srcu);
	if (!READ_ONCE(dp->usr)) {
		/* Late MSI of a DBC in teardown: ours, nothing to do. */
		ret = dp->shared_irq ? IRQ_NONE : IRQ_HANDLED;
		goto out;
	}
	head = qaic_dbc_read(dbc, QAIC_DBC_RSPHP);
	tail = read_rsp_tail(dbc);
	if (head >= dbc->nelem || tail == U32_MAX || head == tail)
		goto out;
	dp->nr_irqs++;
	/* For the thread: these responses were seen now. */
	now = ktime_get_ns();
	WRITE_ONCE(dp->irq_ts, now);
	WRITE_ONCE(dp->irq_tail, tail);
	trace_qaic_dbc_irq(dbc->qdev->minor, dbc->id, head, tail, false, now);
	if (!dp->shared_irq)
		disable_irq_nosync(irq);
	ret = IRQ_WAKE_THREAD;
out:
	srcu_read_unlock(&dp->srcu, idx);
	return ret;
}

static irqreturn_t dbc_irq_thread(int irq, void *data)
{
	struct qaic_dbc *dbc = data;
	struct qaic_dbc_data *dp = &dbc->dp;
	bool line_off = !dp->shared_irq;	/* the hard handler disabled it */
	int polls = QAIC_DRAIN_POLLS, idx;
	u32 head, tail, seen_end;
	u64 seen_ts, tail_ts;

	idx = srcu_read_lock(&dp->srcu);
	if (!READ_ONCE(dp->usr))
		goto out;
	head = qaic_dbc_read(dbc, QAIC_DBC_RSPHP);
	if (head >= dbc->nelem)
		goto out;
	/* Set by the hard handler that woke us (before the wakeup). */
	seen_ts = READ_ONCE(dp->irq_ts);
	seen_end = READ_ONCE(dp->irq_tail);
	if (seen_end >= dbc->nelem)
		seen_end = head;
	while (READ_ONCE(dp->usr)) {
		tail = read_rsp_tail(dbc);
		tail_ts = ktime_get_ns();
		if (tail == U32_MAX)
			break;
		if (tail != head) {
			drain(dbc, &head, tail, tail_ts, &seen_end, seen_ts);
			polls = QAIC_DRAIN_POLLS;
			cond_resched();
			continue;
		}
		if (polls) {
			polls--;
			usleep_range(100, 200);
			continue;
		}
		if (line_off) {
			enable_irq(irq);
			line_off = false;
		}
		/* A response that came before the enable raised no MSI. */
		if (read_rsp_tail(dbc) == head)
			break;
		if (!dp->shared_irq) {
			disable_irq_nosync(irq);
			line_off = true;
		}
		polls = QAIC_DRAIN_POLLS;
	}
out:
	if (line_off)
		enable_irq(irq);
	srcu_read_unlock(&dp->srcu, idx);
	return IRQ_HANDLED;
}

static void dbc_poll_work(struct work_struct *work)
{
	struct qaic_dbc *dbc = container_of(work, struct qaic_dbc, dp.poll_work);
	struct qaic_dbc_data *dp = &dbc->dp;
	unsigned int us;
	u32 head, tail, seen_end;
	u64 tail_ts;
	bool idle;
	int idx;

	idx = srcu_read_lock(&dp->srcu);
	if (!READ_ONCE(dp->usr))
		goto out;
	head = qaic_dbc_read(dbc, QAIC_DBC_RSPHP);
	if (head >= dbc->nelem)
		goto out;
	while (READ_ONCE(dp->usr)) {
		spin_lock(&dp->xfer_lock);
		idle = list_empty(&dp->xfer_list);
		spin_unlock(&dp->xfer_lock);
		if (idle)
			break;	/* the next execute queues the work again */
		tail = read_rsp_tail(dbc);
		tail_ts = ktime_get_ns();
		if (tail == U32_MAX)
			break;
		if (tail != head) {
			trace_qaic_dbc_irq(dbc->qdev->minor, dbc->id, head, tail, true, tail_ts);
			seen_end = head;
			drain(dbc, &head, tail, tail_ts, &seen_end, 0);
			cond_resched();
			continue;
		}
		us = max(READ_ONCE(datapath_poll_interval_us), 1U);
		usleep_range(us, 2 * us);
	}
out:
	srcu_read_unlock(&dp->srcu, idx);
}

void qaic_dbc_kick_poll(struct qaic_dbc *dbc)
{
	queue_work(system_unbound_wq, &dbc->dp.poll_work);
}

void qaic_dbc_poll_init(struct qaic_dbc *dbc)
{
	INIT_WORK(&dbc->dp.poll_work, dbc_poll_work);
}

/*
 * One threaded IRQ per DBC on MSI 1 + n; with fewer MSIs, all share MSI 0
 * with MHI (upstream's single MSI mode). In polling mode the lines are
 * requested but stay disabled.
 */
int qaic_irq_init(struct qaic_device *qdev)
{
	struct qaic_hw *hw = qdev->hw;
	bool single = hw->nr_irqs < 1 + QAIC_HW_NUM_DBC;
	u32 i;
	int ret;

	if (single)
		dev_info(qdev->dev, "%u MSIs: DBCs share MSI 0 with MHI\n", hw->nr_irqs);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct qaic_dbc *dbc = &qdev->dbc[i];
		int irq = hw->irq[single ? 0 : 1 + i];

		snprintf(dbc->dp.irq_name, sizeof(dbc->dp.irq_name), "qaic-dbc%u", i);
		dbc->dp.shared_irq = single;
		ret = request_threaded_irq(irq, dbc_irq, dbc_irq_thread,
					   single ? IRQF_SHARED : 0, dbc->dp.irq_name, dbc);
		if (ret) {
			dev_err(qdev->dev, "dbc%u: irq %d: %d\n", i, irq, ret);
			goto undo;
		}
		dbc->dp.irq = irq;
		if (datapath_polling && !single)
			disable_irq(irq);
	}
	return 0;

undo:
	qaic_irq_fini(qdev);
	return ret;
}

void qaic_irq_fini(struct qaic_device *qdev)
{
	u32 i;

	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct qaic_dbc *dbc = &qdev->dbc[i];

		if (dbc->dp.irq) {
			free_irq(dbc->dp.irq, dbc);
			dbc->dp.irq = 0;
		}
		cancel_work_sync(&dbc->dp.poll_work);
	}
}
