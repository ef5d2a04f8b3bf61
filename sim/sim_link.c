// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCIe link between host and card, shared by all 16 DBCs: one server
 * per direction (the link is full duplex), first come first served. A bulk
 * transfer of B bytes that is ready at time r starts at
 * s = max(r, end of the previous transfer in its direction) and ends at
 *
 *	s + link_xfer_ns + B / bytes_per_sec
 *
 * bytes_per_sec = GT/s per lane * lanes * encoding / 8 * TLP efficiency:
 *   encoding        8b/10b for Gen1 and Gen2, 128b/130b for Gen3 and later
 *   TLP efficiency  mps / (mps + link_tlp_overhead): each TLP carries at most
 *                   mps payload bytes and costs framing, sequence number,
 *                   a 4-DW header and LCRC on top (24 bytes by default);
 *                   DLLPs (acks, flow control) are not modelled
 * Gen4 x8 with 256-byte payloads: 16 GT/s * 8 * 128/130 / 8 = 15.75 GB/s on
 * the wire, 14.40 GB/s of payload. link_bytes_per_sec overrides all that.
 * link_xfer_ns is the fixed cost of one transfer (element fetch, first
 * read round trip), an estimate.
 *
 * The parameters may be changed at run time (0644); each transfer uses the
 * values of the moment it is reserved. The model is the model: a copy the
 * guest CPU finishes late makes that transfer complete late (the truth
 * records it) but does not move the link's later reservations.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>

#include "sim_dp.h"

static unsigned int link_gen = 4;
module_param(link_gen, uint, 0644);
MODULE_PARM_DESC(link_gen, "PCIe generation of the modelled link, 1..5 (default 4)");

static unsigned int link_lanes = 8;
module_param(link_lanes, uint, 0644);
MODULE_PARM_DESC(link_lanes, "Lanes of the modelled link, 1..32 (default 8)");

static unsigned int link_mps = 256;
module_param(link_mps, uint, 0644);
MODULE_PARM_DESC(link_mps, "TLP max payload size, bytes (default 256)");

static unsigned int link_tlp_overhead = 24;
module_param(link_tlp_overhead, uint, 0644);
MODULE_PARM_DESC(link_tlp_overhead, "Bytes each TLP costs beyond its payload (default 24)");

static unsigned int link_xfer_ns = 2000;
module_param(link_xfer_ns, uint, 0644);
MODULE_PARM_DESC(link_xfer_ns, "Fixed cost of one DMA transfer, ns (default 2000)");

static unsigned long long link_bytes_per_sec;
module_param(link_bytes_per_sec, ullong, 0644);
MODULE_PARM_DESC(link_bytes_per_sec,
		 "Payload bandwidth per direction, bytes/s; 0 = derive from gen/lanes (default)");

/* Transfer rate per lane, MT/s, of Gen1..Gen5 */
static const u32 gen_mts[] = { 2500, 5000, 8000, 16000, 32000 };

u64 sim_link_bytes_per_sec(void)
{
	u64 bps = READ_ONCE(link_bytes_per_sec);
	u32 gen = READ_ONCE(link_gen);
	u32 lanes = clamp_t(u32, READ_ONCE(link_lanes), 1, 32);
	u32 mps = clamp_t(u32, READ_ONCE(link_mps), 128, 4096);
	u32 ovh = min_t(u32, READ_ONCE(link_tlp_overhead), 4096);
	u64 bits;

	if (bps)
		return bps;
	if (gen < 1 || gen > ARRAY_SIZE(gen_mts))
		gen = 4;
	bits = (u64)gen_mts[gen - 1] * 1000000 * lanes;
	bits = gen <= 2 ? div_u64(bits * 8, 10) : div_u64(bits * 128, 130);
	return div_u64(div_u64(bits, 8) * mps, mps + ovh);
}

void sim_link_info(struct qaic_hw_link *link)
{
	u32 gen = READ_ONCE(link_gen);

	link->gen = gen >= 1 && gen <= ARRAY_SIZE(gen_mts) ? gen : 4;
	link->lanes = clamp_t(u32, READ_ONCE(link_lanes), 1, 32);
	link->bytes_per_sec = sim_link_bytes_per_sec();
	link->payload = true;
}

void sim_link_init(struct sim_link *l)
{
	spin_lock_init(&l->lock);
	sim_link_reset(l);
}

void sim_link_reset(struct sim_link *l)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	memset(l->free_at, 0, sizeof(l->free_at));
	spin_unlock_irqrestore(&l->lock, flags);
}

u64 sim_link_reserve(struct sim_link *l, enum sim_link_dir dir, u64 bytes, u64 now, u64 *start)
{
	u64 bps = sim_link_bytes_per_sec();
	u64 ns = READ_ONCE(link_xfer_ns) + mul_u64_u64_div_u64(bytes, NSEC_PER_SEC, bps);
	struct sim_link_dir_stats *st = &l->stats[dir];
	unsigned long flags;
	u64 s, end;

	spin_lock_irqsave(&l->lock, flags);
	s = max(now, l->free_at[dir]);
	end = s + ns;
	l->free_at[dir] = end;
	st->transfers++;
	st->bytes += bytes;
	st->busy_ns += ns;
	st->wait_ns += s - now;
	spin_unlock_irqrestore(&l->lock, flags);
	*start = s;
	return end;
}

static int link_show(struct seq_file *s, void *unused)
{
	static const char * const names[] = { "to_dev", "from_dev" };
	struct sim_link *l = s->private;
	struct sim_link_dir_stats st[SIM_LINK_DIRS];
	u64 free_at[SIM_LINK_DIRS];
	u64 now = ktime_get_ns();
	unsigned long flags;
	int i;

	spin_lock_irqsave(&l->lock, flags);
	memcpy(st, l->stats, sizeof(st));
	memcpy(free_at, l->free_at, sizeof(free_at));
	spin_unlock_irqrestore(&l->lock, flags);

	seq_printf(s, "gen %u lanes %u mps %u tlp_overhead %u xfer_ns %u override_bps %llu bytes_per_sec %llu\n",
		   READ_ONCE(link_gen), READ_ONCE(link_lanes), READ_ONCE(link_mps),
		   READ_ONCE(link_tlp_overhead), READ_ONCE(link_xfer_ns),
		   READ_ONCE(link_bytes_per_sec), sim_link_bytes_per_sec());
	for (i = 0; i < SIM_LINK_DIRS; i++)
		seq_printf(s, "%s transfers %llu bytes %llu busy_ns %llu wait_ns %llu busy_for_ns %llu\n",
			   names[i], st[i].transfers, st[i].bytes, st[i].busy_ns, st[i].wait_ns,
			   free_at[i] > now ? free_at[i] - now : 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(link);

void sim_link_debugfs_init(struct sim_dp *dp, struct dentry *dir)
{
	debugfs_create_file("link", 0400, dir, &dp->link, &link_fops);
}
