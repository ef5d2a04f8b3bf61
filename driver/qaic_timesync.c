// SPDX-License-Identifier: GPL-2.0-only
/*
 * Periodic timesync on QAIC_TIMESYNC_PERIODIC: every timesync_period_ms the
 * host sends its clock, the device answers with its QTimer (19.2 MHz) at
 * reception, and the offset (device minus host, ns) is estimated at the
 * midpoint of the round trip. Readable in sysfs/debugfs and traced, so
 * device-side timestamps can be placed on the host's timeline.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "qaic_nnc.h"
#include "qaic.h"
#include "qaic_trace.h"

static unsigned int timesync_period_ms = 1000;
module_param(timesync_period_ms, uint, 0600);
MODULE_PARM_DESC(timesync_period_ms, "Milliseconds between timesync messages (default 1000)");

static void timesync_schedule(struct qaic_device *qdev)
{
	schedule_delayed_work(&qdev->ts_work,
			      msecs_to_jiffies(max_t(unsigned int, timesync_period_ms, 10)));
}

static void timesync_send(struct work_struct *work)
{
	struct qaic_device *qdev = container_of(to_delayed_work(work), struct qaic_device,
						ts_work);
	struct mhi_device *ch = qdev->ts_ch;
	struct qts_msg *req, *rsp;
	int ret;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	rsp = kzalloc(sizeof(*rsp), GFP_KERNEL);
	if (!req || !rsp)
		goto free;

	spin_lock_irq(&qdev->ts_lock);
	req->sequence = cpu_to_le32(++qdev->ts_seq);
	qdev->ts_pending = true;
	qdev->ts_sent_ns = ktime_get_ns();
	req->host_time_ns = cpu_to_le64(qdev->ts_sent_ns);
	spin_unlock_irq(&qdev->ts_lock);
	req->signature = cpu_to_le32(QTS_SIGNATURE);
	req->msg_type = cpu_to_le32(QTS_MSG_HOST_TIME);

	ret = mhi_queue_buf(ch, DMA_FROM_DEVICE, rsp, sizeof(*rsp), MHI_EOT);
	trace_qaic_mhi_xfer_queued(qdev->minor, ch->dl_chan_id, sizeof(*rsp),
				   le32_to_cpu(req->sequence), ret);
	if (ret)
		goto free;
	rsp = NULL;	/* the DL callback frees it */
	ret = mhi_queue_buf(ch, DMA_TO_DEVICE, req, sizeof(*req), MHI_EOT);
	trace_qaic_mhi_xfer_queued(qdev->minor, ch->ul_chan_id, sizeof(*req),
				   le32_to_cpu(req->sequence), ret);
	if (ret)
		goto free;
	req = NULL;	/* the UL callback frees it */
	timesync_schedule(qdev);
	return;

free:
	kfree(req);
	kfree(rsp);
	timesync_schedule(qdev);
}

void qaic_timesync_ul_cb(struct mhi_device *mhi_dev, struct mhi_result *res)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);
	struct qts_msg *req = res->buf_addr;

	trace_qaic_mhi_xfer_done(qdev->minor, mhi_dev->ul_chan_id, res->bytes_xferd,
				 le32_to_cpu(req->sequence), res->transaction_status);
	kfree(req);
}

void qaic_timesync_dl_cb(struct mhi_device *mhi_dev, struct mhi_result *res)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);
	struct qts_msg *rsp = res->buf_addr;
	u64 now = ktime_get_ns();
	unsigned long flags;
	u64 qtimer, sent, dev_ns;
	s64 offset;
	u32 seq;
	bool ok;

	seq = res->bytes_xferd >= sizeof(*rsp) ? le32_to_cpu(rsp->sequence) : 0;
	trace_qaic_mhi_xfer_done(qdev->minor, mhi_dev->dl_chan_id, res->bytes_xferd, seq,
				 res->transaction_status);
	ok = !res->transaction_status && res->bytes_xferd == sizeof(*rsp) &&
	     le32_to_cpu(rsp->signature) == QTS_SIGNATURE &&
	     le32_to_cpu(rsp->msg_type) == QTS_MSG_DEV_TIME;
	if (!ok)
		goto free;

	spin_lock_irqsave(&qdev->ts_lock, flags);
	sent = le64_to_cpu(rsp->host_time_ns);
	/* Only the answer to the latest request counts; late ones are stale. */
	ok = qdev->ts_pending && seq == qdev->ts_seq && sent == qdev->ts_sent_ns && now >= sent;
	if (ok) {
		qtimer = le64_to_cpu(rsp->dev_qtimer);
		/* 19.2 MHz: 625 ns every 12 ticks */
		dev_ns = mul_u64_u32_div(qtimer, 625, 12);
		offset = (s64)(dev_ns - (sent + (now - sent) / 2));
		qdev->clock_offset_ns = offset;
		qdev->ts_rtt_ns = now - sent;
		qdev->ts_count++;
		qdev->ts_pending = false;
	}
	spin_unlock_irqrestore(&qdev->ts_lock, flags);
	if (ok)
		trace_qaic_timesync(qdev->minor, seq, offset, now - sent, qtimer);
free:
	kfree(rsp);
}

s64 qaic_clock_offset_ns(struct qaic_device *qdev)
{
	unsigned long flags;
	s64 offset;

	spin_lock_irqsave(&qdev->ts_lock, flags);
	offset = qdev->clock_offset_ns;
	spin_unlock_irqrestore(&qdev->ts_lock, flags);
	return offset;
}

int qaic_timesync_open(struct qaic_device *qdev, struct mhi_device *mhi_dev)
{
	int ret;

	ret = mhi_prepare_for_transfer(mhi_dev);
	if (ret)
		return ret;
	qdev->ts_ch = mhi_dev;
	INIT_DELAYED_WORK(&qdev->ts_work, timesync_send);
	schedule_delayed_work(&qdev->ts_work, 0);
	return 0;
}

void qaic_timesync_close(struct qaic_device *qdev)
{
	cancel_delayed_work_sync(&qdev->ts_work);
	mhi_unprepare_from_transfer(qdev->ts_ch);
	qdev->ts_ch = NULL;
}
