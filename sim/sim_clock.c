// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card's QTimer: 19.2 MHz, free running, with a configurable offset from
 * the host clock and a drift, and the timesync firmware that reports it.
 *
 *   clock/offset_ns  device time minus host time (signed, ns); writing it
 *                    restarts the drift measurement
 *   clock/drift_ppb  device clock rate error in parts per billion
 *   clock/qtimer     current QTimer value (read only)
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "qaic_nnc.h"
#include "sim.h"

/* Device nanoseconds at host time @host_ns. */
static s64 device_ns(struct sim_clock *c, u64 host_ns)
{
	s64 elapsed = host_ns - c->start_host_ns;

	return host_ns + c->offset_ns + div_s64(elapsed * c->drift_ppb, NSEC_PER_SEC);
}

static u64 ns_to_qtimer(s64 ns)
{
	/* 19.2 MHz: 12 ticks every 625 ns */
	return ns < 0 ? 0 : mul_u64_u32_div(ns, 12, 625);
}

void sim_clock_init(struct sim_card *card)
{
	struct sim_clock *c = &card->clock;

	spin_lock_init(&c->lock);
	c->offset_ns = 0;
	c->drift_ppb = 0;
	c->start_host_ns = ktime_get_ns();
}

u64 sim_clock_qtimer(struct sim_card *card)
{
	struct sim_clock *c = &card->clock;
	unsigned long flags;
	s64 ns;

	spin_lock_irqsave(&c->lock, flags);
	ns = device_ns(c, ktime_get_ns());
	spin_unlock_irqrestore(&c->lock, flags);
	return ns_to_qtimer(ns);
}

void sim_timesync_receive(struct sim_card *card, const void *msg, size_t len)
{
	const struct qts_msg *req = msg;
	struct qts_msg rsp;

	if (len != sizeof(*req) || le32_to_cpu(req->signature) != QTS_SIGNATURE ||
	    le32_to_cpu(req->msg_type) != QTS_MSG_HOST_TIME)
		return;	/* the firmware ignores what it does not understand */

	memset(&rsp, 0, sizeof(rsp));
	rsp.signature = cpu_to_le32(QTS_SIGNATURE);
	rsp.msg_type = cpu_to_le32(QTS_MSG_DEV_TIME);
	rsp.sequence = req->sequence;
	rsp.host_time_ns = req->host_time_ns;
	rsp.dev_qtimer = cpu_to_le64(sim_clock_qtimer(card));
	sim_mhi_send(card, SIM_CH_TIMESYNC_DL, &rsp, sizeof(rsp));
}

static int offset_get(void *data, u64 *val)
{
	struct sim_clock *c = data;

	*val = (u64)READ_ONCE(c->offset_ns);
	return 0;
}

static int offset_set(void *data, u64 val)
{
	struct sim_clock *c = data;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->offset_ns = (s64)val;
	c->start_host_ns = ktime_get_ns();
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fops_offset, offset_get, offset_set, "%lld\n");

static int drift_get(void *data, u64 *val)
{
	struct sim_clock *c = data;

	*val = (u64)(s64)READ_ONCE(c->drift_ppb);
	return 0;
}

static int drift_set(void *data, u64 val)
{
	struct sim_clock *c = data;
	s64 ppb = (s64)val;
	unsigned long flags;
	u64 now;

	/* A crystal off by more than 0.1% is a broken board, not drift. */
	if (ppb < -1000000 || ppb > 1000000)
		return -EINVAL;
	spin_lock_irqsave(&c->lock, flags);
	/* Fold the drift so far into the offset so time stays continuous. */
	now = ktime_get_ns();
	c->offset_ns = device_ns(c, now) - (s64)now;
	c->start_host_ns = now;
	c->drift_ppb = ppb;
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fops_drift, drift_get, drift_set, "%lld\n");

static int qtimer_get(void *data, u64 *val)
{
	*val = sim_clock_qtimer(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fops_qtimer, qtimer_get, NULL, "%llu\n");

void sim_clock_debugfs_init(struct sim_card *card)
{
	struct dentry *dir = debugfs_create_dir("clock", card->debugfs);

	debugfs_create_file_unsafe("offset_ns", 0600, dir, &card->clock, &fops_offset);
	debugfs_create_file_unsafe("drift_ppb", 0600, dir, &card->clock, &fops_drift);
	debugfs_create_file_unsafe("qtimer", 0400, dir, card, &fops_qtimer);
}
