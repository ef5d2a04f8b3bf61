// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card's MHI register window and MHI state machine. The host's MHI
 * stack (mhi.ko) reaches the card only through 32-bit register reads and
 * writes (doorbells included); this is that register file and its effects:
 *
 *   power on, after a reset   READY, execution environment AMSS: the card
 *                             boots its own firmware, nothing to download
 *   host sets MHICTRL M0      the card reads the event and command ring
 *                             contexts, reports M0 on the primary event ring
 *                             and then EE AMSS (first M0 after a reset), so
 *                             the host runs its mission-mode transition and
 *                             creates the channel devices
 *   host sets M3, then M0     suspend and resume, with state change events
 *   host sets MHICTRL RESET   done before the write returns: the card drops
 *                             every ring, clears RESET and is READY again;
 *                             the firmware then forgets its state
 *                             (sim_card_reset, in process context)
 *   SYS_ERR                   MHISTATUS reports SYS_ERR and the MSI fires;
 *                             the host resets the card and powers it up again
 *
 * Rings, doorbells' effects and events are in sim_mhi_ring.c.
 *
 * Window layout: MHI registers at 0, BHI at SIM_BHI_BASE, channel doorbells
 * at SIM_CHDB_BASE (8 bytes each, 128 channels; 127 is the host's device-wake
 * doorbell), event ring doorbells at SIM_ERDB_BASE.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "sim_mhi_int.h"

#define MHICFG_POWER_ON	(FIELD_PREP(SIM_MHICFG_NER, SIM_MHI_NUM_ER) | \
			 FIELD_PREP(SIM_MHICFG_NCH, SIM_MHI_NUM_CH))

static u64 set_lo(u64 reg, u32 val)
{
	return (reg & GENMASK_ULL(63, 32)) | val;
}

static u64 set_hi(u64 reg, u32 val)
{
	return (reg & GENMASK_ULL(31, 0)) | ((u64)val << 32);
}

/* The half of a 64-bit register that offset @off (lower word at 8n) names. */
static u32 half(u64 reg, u32 off)
{
	return off & 4 ? upper_32_bits(reg) : lower_32_bits(reg);
}

static u32 mhistatus(struct sim_mhi *m)
{
	u32 v = FIELD_PREP(SIM_MHISTATUS_STATE, m->state);

	if (m->ready)
		v |= SIM_MHISTATUS_READY;
	if (m->state == SIM_MHI_SYS_ERR)
		v |= SIM_MHISTATUS_SYSERR;
	return v;
}

static const char *state_name(u32 state)
{
	switch (state) {
	case SIM_MHI_RESET:
		return "RESET";
	case SIM_MHI_READY:
		return "READY";
	case SIM_MHI_M0:
		return "M0";
	case SIM_MHI_M3:
		return "M3";
	case SIM_MHI_SYS_ERR:
		return "SYS_ERR";
	default:
		return "?";
	}
}

/*
 * MHI reset: forget every ring and doorbell, come back READY. The host
 * polls MHICTRL.RESET and frees its rings once it reads 0, so this runs
 * inside the register write, under the lock every host-memory access of the
 * card takes. @counted: a recovery (out of SYS_ERR, or a SoC reset) rather
 * than the host's orderly power-down.
 */
static void device_reset(struct sim_mhi *m, bool counted)
{
	unsigned int i;

	m->gen++;
	m->stats.resets++;
	if (counted)
		m->reset_count++;
	for (i = 0; i < SIM_MHI_NUM_CH; i++) {
		sim_mhi_chan_clear(m, &m->ch[i]);
		m->ch[i].db = 0;
	}
	memset(m->er, 0, sizeof(m->er));
	memset(&m->cmd, 0, sizeof(m->cmd));
	memset(m->erdb, 0, sizeof(m->erdb));
	m->crdb = 0;
	m->ner = 0;
	m->m0_req = false;
	m->m3_req = false;
	/* UL messages not yet delivered are stale now (their gen is old) */
	m->fw_pending = 0;
	m->mhictrl = 0;
	m->bhi_intvec = 0;
	m->state = SIM_MHI_READY;
	m->ready = true;
	m->dl_room = true;	/* a firmware waiting to answer: the answer is moot */
	if (!m->dead)
		queue_work(m->fw_wq, &m->reset_work);
}

/* A SoC reset also forgets what the host programmed. */
static void soc_reset(struct sim_mhi *m)
{
	device_reset(m, true);
	m->mhicfg = MHICFG_POWER_ON;
	m->ccabap = 0;
	m->ecabap = 0;
	m->crcbap = 0;
	m->ctrl_base = 0;
	m->ctrl_limit = 0;
	m->data_base = 0;
	m->data_limit = 0;
}

static void enter_syserr(struct sim_mhi *m)
{
	if (m->dead || m->state == SIM_MHI_SYS_ERR)
		return;
	m->state = SIM_MHI_SYS_ERR;
	m->m0_req = false;
	m->m3_req = false;
	/*
	 * MHISTATUS and the MSI only, no state change event: the host's
	 * interrupt handler reads MHISTATUS on every MSI, and an event as well
	 * would make it run its recovery twice.
	 */
	m->raise = true;
}

static void write_mhictrl(struct sim_mhi *m, u32 val)
{
	if (val & SIM_MHICTRL_RESET) {
		device_reset(m, m->state == SIM_MHI_SYS_ERR);
		return;
	}
	m->mhictrl = val;
	switch (FIELD_GET(SIM_MHICTRL_STATE, val)) {
	case SIM_MHI_M0:
		if (m->state == SIM_MHI_READY || m->state == SIM_MHI_M3) {
			m->m0_req = true;
			m->m3_req = false;
			sim_mhi_kick(m);
		}
		break;
	case SIM_MHI_M3:
		if (m->state == SIM_MHI_M0) {
			m->m3_req = true;
			sim_mhi_kick(m);
		}
		break;
	case SIM_MHI_SYS_ERR:
		/* the host forces an error (mhi_force_rddm_mode) */
		enter_syserr(m);
		break;
	default:
		break;
	}
}

/* Read the event and command ring contexts the host programmed. */
static int load_contexts(struct sim_mhi *m)
{
	u32 ner = FIELD_GET(SIM_MHICFG_NER, m->mhicfg);
	struct sim_mhi_ctx ctx;
	u32 i;

	if (!ner || ner > SIM_MHI_NUM_ER) {
		sim_mhi_warn(m, "host configured %u event rings; the card has %u\n",
			     ner, SIM_MHI_NUM_ER);
		return -EINVAL;
	}
	for (i = 0; i < ner; i++)
		if (sim_mhi_load_ring(m, m->ecabap + i * sizeof(ctx), &ctx, &m->er[i]))
			goto fail;
	if (sim_mhi_load_ring(m, m->crcbap, &ctx, &m->cmd))
		goto fail;
	m->ner = ner;
	return 0;

fail:
	memset(m->er, 0, sizeof(m->er));
	memset(&m->cmd, 0, sizeof(m->cmd));
	return -EFAULT;
}

static void state_event(struct sim_mhi *m, u32 state)
{
	if (sim_mhi_event(m, 0, 0, FIELD_PREP(SIM_EV_CODE, state),
			  FIELD_PREP(SIM_EV_TYPE, SIM_EV_STATE_CHANGE)))
		sim_mhi_warn(m, "no room for the %s state change event\n", state_name(state));
}

/* Enter the MHI states the host asked for; from the engine, locked. */
void sim_mhi_state_step(struct sim_mhi *m)
{
	bool boot;

	if (m->m3_req) {
		m->m3_req = false;
		if (m->state == SIM_MHI_M0) {
			m->state = SIM_MHI_M3;
			state_event(m, SIM_MHI_M3);
		}
	}
	if (!m->m0_req)
		return;
	m->m0_req = false;
	if (m->state != SIM_MHI_READY && m->state != SIM_MHI_M3)
		return;
	boot = m->state == SIM_MHI_READY;
	if (boot && load_contexts(m))
		return;	/* the host times out waiting for M0 */
	m->state = SIM_MHI_M0;
	state_event(m, SIM_MHI_M0);
	if (boot && sim_mhi_event(m, 0, 0, FIELD_PREP(SIM_EV_CODE, SIM_EE_AMSS),
				  FIELD_PREP(SIM_EV_TYPE, SIM_EV_EE)))
		sim_mhi_warn(m, "no room for the EE event\n");
}

static u32 bhi_read(struct sim_mhi *m, u32 off)
{
	switch (off) {
	case SIM_BHI_VER_MAJOR:
		return 1;
	case SIM_BHI_INTVEC:
		return m->bhi_intvec;
	case SIM_BHI_EXECENV:
		return SIM_EE_AMSS;
	case SIM_BHI_SERIALNU:
		return 0x51a10000 + m->card->index;
	default:
		return 0;	/* no image transfer ever ran: status, errors 0 */
	}
}

int sim_mhi_reg_read(struct sim_card *card, u32 off, u32 *val)
{
	struct sim_mhi *m = card->mhi;
	unsigned long flags;
	u32 v = 0;

	if (!m || off >= QAIC_HW_MHI_REG_LEN || off & 3)
		return -EIO;

	spin_lock_irqsave(&m->lock, flags);
	switch (off) {
	case SIM_MHIREGLEN:
		v = QAIC_HW_MHI_REG_LEN;
		break;
	case SIM_MHIVER:
		v = SIM_MHIVER_1_0;
		break;
	case SIM_MHICFG:
		v = m->mhicfg;
		break;
	case SIM_CHDBOFF:
		v = SIM_CHDB_BASE;
		break;
	case SIM_ERDBOFF:
		v = SIM_ERDB_BASE;
		break;
	case SIM_BHIOFF:
		v = SIM_BHI_BASE;
		break;
	case SIM_BHIEOFF:
		v = SIM_BHIE_BASE;
		break;
	case SIM_MHICTRL:
		v = m->mhictrl;
		break;
	case SIM_MHISTATUS:
		v = mhistatus(m);
		break;
	case SIM_CCABAP_LO:
	case SIM_CCABAP_HI:
		v = half(m->ccabap, off);
		break;
	case SIM_ECABAP_LO:
	case SIM_ECABAP_HI:
		v = half(m->ecabap, off);
		break;
	case SIM_CRCBAP_LO:
	case SIM_CRCBAP_HI:
		v = half(m->crcbap, off);
		break;
	case SIM_CRDB_LO:
	case SIM_CRDB_HI:
		v = half(m->crdb, off);
		break;
	case SIM_CTRLBASE_LO:
	case SIM_CTRLBASE_HI:
		v = half(m->ctrl_base, off);
		break;
	case SIM_CTRLLIMIT_LO:
	case SIM_CTRLLIMIT_HI:
		v = half(m->ctrl_limit, off);
		break;
	case SIM_DATABASE_LO:
	case SIM_DATABASE_HI:
		v = half(m->data_base, off);
		break;
	case SIM_DATALIMIT_LO:
	case SIM_DATALIMIT_HI:
		v = half(m->data_limit, off);
		break;
	case SIM_SOC_HW_VERSION:
		v = SIM_AIC100_HW_VERSION;
		break;
	default:
		if (off >= SIM_BHI_BASE && off < SIM_BHI_BASE + SIM_BHI_END)
			v = bhi_read(m, off - SIM_BHI_BASE);
		else if (off >= SIM_CHDB_BASE && off < SIM_CHDB_BASE + 8 * SIM_MHI_NUM_CH)
			v = half(m->ch[(off - SIM_CHDB_BASE) / 8].db, off);
		else if (off >= SIM_ERDB_BASE && off < SIM_ERDB_BASE + 8 * SIM_MHI_NUM_ER)
			v = half(m->erdb[(off - SIM_ERDB_BASE) / 8], off);
		break;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	*val = v;
	return 0;
}

static void chan_doorbell(struct sim_mhi *m, u32 chan, u32 off, u32 val)
{
	struct sim_mhi_chan *c = &m->ch[chan];
	u32 idx;

	if (off & 4) {
		c->db = set_hi(c->db, val);
		return;
	}
	c->db = set_lo(c->db, val);
	/* channels the host never started (127: device wake) just latch it */
	if (c->state != SIM_CH_RUN && c->state != SIM_CH_STOP)
		return;
	if (!sim_mhi_ring_pos(&c->ring, c->db, &idx)) {
		sim_mhi_warn(m, "channel %u doorbell 0x%llx outside its ring: ignored\n",
			     chan, c->db);
		return;
	}
	c->ring.host = idx;
	if (c->state == SIM_CH_RUN)
		sim_mhi_kick(m);
}

static void event_doorbell(struct sim_mhi *m, u32 er, u32 off, u32 val)
{
	u32 idx;

	if (off & 4) {
		m->erdb[er] = set_hi(m->erdb[er], val);
		return;
	}
	m->erdb[er] = set_lo(m->erdb[er], val);
	if (er >= m->ner)
		return;	/* not loaded yet: M0 entry reads the context */
	if (!sim_mhi_ring_pos(&m->er[er], m->erdb[er], &idx)) {
		sim_mhi_warn(m, "event ring %u doorbell 0x%llx outside the ring: ignored\n",
			     er, m->erdb[er]);
		return;
	}
	m->er[er].host = idx;
	sim_mhi_kick(m);	/* room for events: blocked work may go on */
}

static void cmd_doorbell(struct sim_mhi *m)
{
	u32 idx;

	if (!m->cmd.nel)
		return;	/* not loaded yet: M0 entry reads the context */
	if (!sim_mhi_ring_pos(&m->cmd, m->crdb, &idx)) {
		sim_mhi_warn(m, "command doorbell 0x%llx outside the ring: ignored\n", m->crdb);
		return;
	}
	m->cmd.host = idx;
	sim_mhi_kick(m);
}

void sim_mhi_reg_write(struct sim_card *card, u32 off, u32 val)
{
	struct sim_mhi *m = card->mhi;
	unsigned long flags;

	if (!m || off >= QAIC_HW_MHI_REG_LEN || off & 3)
		return;

	spin_lock_irqsave(&m->lock, flags);
	switch (off) {
	case SIM_MHICFG:
		/* the host sets how many event rings it uses; the rest is RO */
		m->mhicfg = (m->mhicfg & (SIM_MHICFG_NHWCH | SIM_MHICFG_NCH)) |
			    (val & (SIM_MHICFG_NHWER | SIM_MHICFG_NER));
		break;
	case SIM_MHICTRL:
		write_mhictrl(m, val);
		break;
	case SIM_CCABAP_LO:
		m->ccabap = set_lo(m->ccabap, val);
		break;
	case SIM_CCABAP_HI:
		m->ccabap = set_hi(m->ccabap, val);
		break;
	case SIM_ECABAP_LO:
		m->ecabap = set_lo(m->ecabap, val);
		break;
	case SIM_ECABAP_HI:
		m->ecabap = set_hi(m->ecabap, val);
		break;
	case SIM_CRCBAP_LO:
		m->crcbap = set_lo(m->crcbap, val);
		break;
	case SIM_CRCBAP_HI:
		m->crcbap = set_hi(m->crcbap, val);
		break;
	case SIM_CRDB_LO:
		m->crdb = set_lo(m->crdb, val);
		cmd_doorbell(m);
		break;
	case SIM_CRDB_HI:
		m->crdb = set_hi(m->crdb, val);
		break;
	case SIM_CTRLBASE_LO:
		m->ctrl_base = set_lo(m->ctrl_base, val);
		break;
	case SIM_CTRLBASE_HI:
		m->ctrl_base = set_hi(m->ctrl_base, val);
		break;
	case SIM_CTRLLIMIT_LO:
		m->ctrl_limit = set_lo(m->ctrl_limit, val);
		break;
	case SIM_CTRLLIMIT_HI:
		m->ctrl_limit = set_hi(m->ctrl_limit, val);
		break;
	case SIM_DATABASE_LO:
		m->data_base = set_lo(m->data_base, val);
		break;
	case SIM_DATABASE_HI:
		m->data_base = set_hi(m->data_base, val);
		break;
	case SIM_DATALIMIT_LO:
		m->data_limit = set_lo(m->data_limit, val);
		break;
	case SIM_DATALIMIT_HI:
		m->data_limit = set_hi(m->data_limit, val);
		break;
	case SIM_SOC_RESET_REQ:
		if (val & BIT(0))
			soc_reset(m);
		break;
	default:
		if (off == SIM_BHI_BASE + SIM_BHI_INTVEC)
			m->bhi_intvec = val;
		else if (off >= SIM_CHDB_BASE && off < SIM_CHDB_BASE + 8 * SIM_MHI_NUM_CH)
			chan_doorbell(m, (off - SIM_CHDB_BASE) / 8, off, val);
		else if (off >= SIM_ERDB_BASE && off < SIM_ERDB_BASE + 8 * SIM_MHI_NUM_ER)
			event_doorbell(m, (off - SIM_ERDB_BASE) / 8, off, val);
		/*
		 * Other offsets are read-only, or belong to firmware download
		 * (BHI/BHIE image loading), which a card already in AMSS never
		 * needs: the write is dropped.
		 */
		break;
	}
	sim_mhi_unlock(m, flags);
}

void sim_mhi_raise_syserr(struct sim_card *card)
{
	struct sim_mhi *m = card->mhi;
	unsigned long flags;

	if (!m)
		return;
	spin_lock_irqsave(&m->lock, flags);
	enter_syserr(m);
	sim_mhi_unlock(m, flags);
}

void sim_mhi_soc_reset(struct sim_card *card)
{
	struct sim_mhi *m = card->mhi;
	unsigned long flags;

	if (!m)
		return;
	spin_lock_irqsave(&m->lock, flags);
	soc_reset(m);
	sim_mhi_unlock(m, flags);
}

u32 sim_mhi_reset_count(struct sim_card *card)
{
	struct sim_mhi *m = card->mhi;
	unsigned long flags;
	u32 n;

	if (!m)
		return 0;
	spin_lock_irqsave(&m->lock, flags);
	n = m->reset_count;
	spin_unlock_irqrestore(&m->lock, flags);
	return n;
}

static void reset_work_fn(struct work_struct *work)
{
	struct sim_mhi *m = container_of(work, struct sim_mhi, reset_work);

	sim_card_reset(m->card);
}

int sim_mhi_init(struct sim_card *card)
{
	struct sim_mhi *m;
	unsigned int i;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->card = card;
	spin_lock_init(&m->lock);
	init_waitqueue_head(&m->dl_wq);
	INIT_LIST_HEAD(&m->fw_queue);
	for (i = 0; i < SIM_MHI_NUM_CH; i++)
		INIT_LIST_HEAD(&m->ch[i].backlog);
	INIT_WORK(&m->engine_work, sim_mhi_engine);
	INIT_WORK(&m->fw_work, sim_mhi_fw_deliver);
	INIT_WORK(&m->reset_work, reset_work_fn);
	m->mhicfg = MHICFG_POWER_ON;
	m->state = SIM_MHI_READY;
	m->ready = true;

	m->ul_buf = kvmalloc(SIM_MHI_MAX_MSG, GFP_KERNEL);
	if (!m->ul_buf)
		goto free;
	m->wq = alloc_ordered_workqueue("qaic_sim%d_mhi", 0, card->index);
	if (!m->wq)
		goto free;
	m->fw_wq = alloc_ordered_workqueue("qaic_sim%d_fw", 0, card->index);
	if (!m->fw_wq)
		goto free;
	card->mhi = m;
	return 0;

free:
	if (m->wq)
		destroy_workqueue(m->wq);
	kvfree(m->ul_buf);
	kfree(m);
	return -ENOMEM;
}

void sim_mhi_fini(struct sim_card *card)
{
	struct sim_mhi *m = card->mhi;
	struct sim_mhi_msg *msg, *tmp;
	unsigned long flags;

	if (!m)
		return;
	spin_lock_irqsave(&m->lock, flags);
	m->dead = true;		/* no more work gets queued */
	device_reset(m, false);
	m->raise = false;
	spin_unlock_irqrestore(&m->lock, flags);
	wake_up(&m->dl_wq);

	destroy_workqueue(m->fw_wq);	/* runs what is queued: stale, dropped */
	destroy_workqueue(m->wq);
	list_for_each_entry_safe(msg, tmp, &m->fw_queue, node)
		kvfree(msg);
	kvfree(m->ul_buf);
	card->mhi = NULL;
	kfree(m);
}

static int mhi_state_show(struct seq_file *s, void *unused)
{
	struct sim_card *card = s->private;
	struct sim_mhi *m = card->mhi;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&m->lock, flags);
	seq_printf(s, "state %s ee AMSS reset_count %u resets %llu gen %u\n",
		   state_name(m->state), m->reset_count, m->stats.resets, m->gen);
	seq_printf(s, "events %llu ev_full %llu commands %llu ul_msgs %llu dl_msgs %llu dl_overflows %llu dropped %llu fw_pending %u\n",
		   m->stats.events, m->stats.ev_full, m->stats.commands, m->stats.ul_msgs,
		   m->stats.dl_msgs, m->stats.dl_overflows, m->stats.dropped, m->fw_pending);
	for (i = 0; i < m->ner; i++)
		seq_printf(s, "er%u base 0x%llx nel %u dev %u host %u\n", i, m->er[i].rbase,
			   m->er[i].nel, m->er[i].dev, m->er[i].host);
	if (m->cmd.nel)
		seq_printf(s, "cmd base 0x%llx nel %u dev %u host %u\n", m->cmd.rbase,
			   m->cmd.nel, m->cmd.dev, m->cmd.host);
	for (i = 0; i < SIM_MHI_NUM_CH; i++) {
		struct sim_mhi_chan *c = &m->ch[i];
		static const char * const names[] = { "off", "run", "stop", "error" };

		if (c->state == SIM_CH_OFF)
			continue;
		seq_printf(s, "ch%u %s %s er %u nel %u dev %u host %u backlog %u\n", i,
			   names[c->state], c->inbound ? "dl" : "ul", c->er, c->ring.nel,
			   c->ring.dev, c->ring.host, c->backlog_len);
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mhi_state);

void sim_mhi_debugfs_init(struct sim_card *card)
{
	debugfs_create_file("mhi", 0400, card->debugfs, card, &mhi_state_fops);
}
