// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bytes of one bulk transfer, moved in process context through the
 * DBC's bounce buffer, SIM_DBC_BOUNCE bytes at a time: host pages are read
 * or written under the DBC's lock, after checking the DBC is still the live
 * activation that asked, so a stopped or halted DBC never touches host
 * memory again; the DDR side (which may allocate pages) runs unlocked.
 */
#include <linux/sched.h>

#include "sim_dp.h"

static int ddr_status(int err)
{
	return err == -ENOMEM ? SIM_ST_DDR_FULL : SIM_ST_DDR_RANGE;
}

/* Returns 0, -ESHUTDOWN (the DBC stopped) or a SIM_ST_* code. */
int sim_dbc_xfer(struct sim_dbc *d, u32 gen, const struct sim_elem *el)
{
	bool to_dev = (el->cmd & QAIC_REQ_DIR_MASK) == QAIC_REQ_DIR_TO_DEV;
	struct sim_card *card = d->dp->card;
	u64 host = to_dev ? el->src : el->dst;
	u64 dev = to_dev ? el->dst : el->src;
	unsigned long flags;
	u64 off;
	int ret;

	for (off = 0; off < el->len; off += SIM_DBC_BOUNCE) {
		size_t n = min_t(u64, el->len - off, SIM_DBC_BOUNCE);

		if (!to_dev) {
			ret = sim_ddr_read(card, dev + off, d->bounce, n);
			if (ret)
				return ddr_status(ret);
		}
		spin_lock_irqsave(&d->lock, flags);
		if (!d->live || d->gen != gen) {
			spin_unlock_irqrestore(&d->lock, flags);
			return -ESHUTDOWN;
		}
		if (to_dev)
			ret = sim_host_read(card, host + off, d->bounce, n);
		else
			ret = sim_host_write(card, host + off, d->bounce, n);
		spin_unlock_irqrestore(&d->lock, flags);
		if (ret)
			return SIM_ST_HOST_FAULT;
		if (to_dev) {
			ret = sim_ddr_write(card, dev + off, d->bounce, n);
			if (ret)
				return ddr_status(ret);
		}
		cond_resched();
	}
	return 0;
}
