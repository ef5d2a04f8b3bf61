/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device side of MHI, shared by its two halves:
 *   sim_mhi.c       register window, MHI state machine, resets, SYS_ERR
 *   sim_mhi_ring.c  command, transfer and event rings, the DL backlog and
 *                   the hand-over of UL messages to the firmware
 *
 * Everything the host can reach from a register access runs in the caller's
 * context, which may be atomic; ring work runs on the card's ordered engine
 * workqueue, and messages reach the firmware on a second ordered workqueue
 * so a slow firmware never stalls the command ring.
 */
#ifndef SIM_MHI_INT_H_
#define SIM_MHI_INT_H_

#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "sim.h"
#include "sim_mhi_regs.h"

#define SIM_MHI_NUM_CH		128	/* channel doorbells in the window */
#define SIM_MHI_NUM_ER		8	/* event rings the card supports */
#define SIM_MHI_MAX_MSG		SZ_64K	/* largest message either way */
#define SIM_MHI_BACKLOG		16	/* DL messages waiting, per channel */
#define SIM_MHI_FW_QUEUE	64	/* UL messages waiting for the firmware */
#define SIM_MHI_MAX_RING_EL	65536	/* largest ring the card accepts */

/* Device-side channel state */
enum sim_mhi_ch_state {
	SIM_CH_OFF,		/* never started, or reset */
	SIM_CH_RUN,		/* started: the device serves its ring */
	SIM_CH_STOP,		/* stopped: ring kept, not served */
	SIM_CH_ERR,		/* its ring became unreadable: not served */
};

/*
 * The device's view of one host ring. For command and transfer rings the
 * device reads at @dev and the host has filled up to @host (exclusive, its
 * last doorbell). For an event ring the device writes at @dev and may fill
 * up to @host (exclusive): the host's write pointer marks the first element
 * it has not handed back.
 */
struct sim_mhi_ring {
	u64 rbase;		/* bus address of element 0 */
	u32 nel;		/* elements; 0 while not loaded */
	u32 dev;
	u32 host;
};

/* A message in a DL backlog or on its way to the firmware */
struct sim_mhi_msg {
	struct list_head node;
	unsigned int chan;
	u32 gen;			/* UL: the reset generation it came in */
	size_t len;
	u8 data[];
};

struct sim_mhi_chan {
	enum sim_mhi_ch_state state;
	bool inbound;			/* device to host (DL) */
	u32 er;				/* event ring of its completions */
	struct sim_mhi_ring ring;
	u64 db;				/* doorbell register */
	struct list_head backlog;	/* DL messages waiting for a buffer */
	unsigned int backlog_len;
};

struct sim_mhi_stats {
	u64 events;		/* event ring elements written */
	u64 commands;		/* commands completed */
	u64 ul_msgs;		/* UL messages handed to the firmware */
	u64 dl_msgs;		/* DL messages written to host buffers */
	u64 dl_overflows;	/* DL messages larger than the host buffer */
	u64 dropped;		/* messages lost: bad address, no memory */
	u64 ev_full;		/* work waited for room on an event ring */
	u64 resets;		/* MHI resets of any cause */
};

struct sim_mhi {
	struct sim_card *card;

	/*
	 * lock guards every field from here to fw_gen, and serializes every
	 * access the device makes to host memory: once a reset has returned,
	 * the card no longer touches the rings the host is about to free.
	 * Taken with irqsave from any context; never held while raising the
	 * MSI or calling into the firmware.
	 */
	spinlock_t lock;
	bool dead;			/* module going away */
	u32 state;			/* MHISTATUS.MHISTATE */
	bool ready;			/* MHISTATUS.READY */
	u32 mhictrl;
	u32 mhicfg;
	u64 ccabap, ecabap, crcbap;
	u64 ctrl_base, ctrl_limit, data_base, data_limit;
	u32 bhi_intvec;
	u64 crdb;
	u64 erdb[SIM_MHI_NUM_ER];
	bool m0_req;			/* host asked for M0, not entered yet */
	bool m3_req;			/* host asked for M3, not entered yet */
	u32 ner;			/* event rings loaded at M0 */
	struct sim_mhi_ring er[SIM_MHI_NUM_ER];
	struct sim_mhi_ring cmd;
	struct sim_mhi_chan ch[SIM_MHI_NUM_CH];
	bool raise;			/* events written: raise the MSI */
	bool dl_room;			/* a DL backlog shrank or was dropped */
	u32 gen;			/* bumped by every reset */
	u32 reset_count;		/* resets out of SYS_ERR, SoC resets */
	struct sim_mhi_stats stats;
	struct list_head fw_queue;	/* UL messages for the firmware */
	unsigned int fw_pending;	/* taken from rings, not yet delivered */
	u32 fw_gen;			/* gen of the message being delivered */

	wait_queue_head_t dl_wq;	/* firmware waits for DL backlog room */
	void *ul_buf;			/* engine's UL staging, SIM_MHI_MAX_MSG */
	struct workqueue_struct *wq;	/* ordered: the ring engine */
	struct work_struct engine_work;
	struct workqueue_struct *fw_wq;	/* ordered: firmware deliveries, resets */
	struct work_struct fw_work;
	struct work_struct reset_work;
};

#define sim_mhi_warn(m, fmt, ...) \
	pr_warn_ratelimited("qaic_sim card%d: mhi: " fmt, (m)->card->index, ##__VA_ARGS__)

/*
 * Drop the lock; then raise the MHI MSI if events were written under it,
 * and wake the firmware if it waits for DL backlog room.
 */
static inline void sim_mhi_unlock(struct sim_mhi *m, unsigned long flags)
{
	bool raise = m->raise, room = m->dl_room;

	m->raise = false;
	m->dl_room = false;
	spin_unlock_irqrestore(&m->lock, flags);
	if (room)
		wake_up(&m->dl_wq);
	if (raise)
		sim_irq_raise(m->card, SIM_MSI_MHI);
}

/* sim_mhi.c */
void sim_mhi_state_step(struct sim_mhi *m);	/* locked */
void sim_mhi_debugfs_init(struct sim_card *card);	/* <card>/mhi */

/* sim_mhi_ring.c; all but the work functions with the lock held */
void sim_mhi_kick(struct sim_mhi *m);
int sim_mhi_load_ring(struct sim_mhi *m, u64 ctx_addr, struct sim_mhi_ctx *ctx,
		      struct sim_mhi_ring *r);
bool sim_mhi_ring_pos(const struct sim_mhi_ring *r, u64 addr, u32 *idx);
int sim_mhi_event(struct sim_mhi *m, u32 er, u64 ptr, u32 dw0, u32 dw1);
void sim_mhi_chan_clear(struct sim_mhi *m, struct sim_mhi_chan *c);
void sim_mhi_engine(struct work_struct *work);
void sim_mhi_fw_deliver(struct work_struct *work);

#endif /* SIM_MHI_INT_H_ */
