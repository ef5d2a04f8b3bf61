/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qaic_sim: a simulated AIC100. Internal interfaces between its parts:
 *
 *   sim_main.c     module, one platform device per card, qaic_hw ops table
 *   sim_irq.c      software irq domain: the card's MSIs
 *   sim_hostmem.c  the card's bus-master view of host memory
 *   sim_mhi.c      device side of MHI: registers, rings, events, doorbells
 *   sim_qsm.c      QSM firmware: NNC protocol on QAIC_CONTROL
 *   sim_ddr.c      sparse device DDR
 *   sim_clock.c    19.2 MHz QTimer with offset/drift, timesync replies
 *   sim_fault.c    faults on demand (debugfs)
 *
 * The data path (internals in sim_dp.h):
 *   sim_dbc.c        DMA bridge: 16 DBC register files, start/stop/halt
 *   sim_dbc_engine.c the FIFO engine of a DBC
 *   sim_dbc_xfer.c   bulk transfers: host pages <-> device DDR
 *   sim_link.c       PCIe link model shared by the DBCs
 *   sim_nsp.c        16 NSPs, sim networks, inferences
 *   sim_dist.c       seeded PRNG, compute-time distributions (fixed point)
 *   sim_truth.c      ground-truth records (debugfs, for tests)
 *   sim_dbc_fault.c  data-path faults (debugfs)
 *
 * docs/sim-model.md describes the model for users.
 */
#ifndef QAIC_SIM_H_
#define QAIC_SIM_H_

#include <linux/types.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <linux/atomic.h>

#include "qaic_hw.h"

struct dentry;
struct irq_domain;
struct sim_mhi;
struct sim_qsm;
struct sim_fault;
struct sim_dp;
struct simnet_desc;

/* MHI channels the firmware serves (upstream AIC100 channel numbers). */
#define SIM_CH_CONTROL_UL		10	/* host -> device NNC requests */
#define SIM_CH_CONTROL_DL		11	/* device -> host NNC replies */
#define SIM_CH_TIMESYNC_UL		22	/* host -> device timesync */
#define SIM_CH_TIMESYNC_DL		23	/* device -> host timesync */

/* MSI vectors */
#define SIM_MSI_MHI			0
#define SIM_MSI_DBC(n)			(1 + (n))

struct sim_clock {
	spinlock_t lock;	/* guards the fields below */
	s64 offset_ns;		/* device time minus host time at start */
	s32 drift_ppb;		/* device clock rate error, parts per billion */
	u64 start_host_ns;	/* host time the drift is measured from */
};

/* Sparse device DDR (sim_ddr.c). */
struct sim_ddr {
	struct xarray pages;		/* page index -> struct page; own locking */
	atomic_long_t resident;		/* pages allocated */
};

struct sim_card {
	int index;
	struct platform_device *pdev;	/* what qaic.ko binds */
	struct qaic_hw hw;		/* ops + irqs handed to the driver */
	struct irq_domain *irq_domain;
	struct sim_mhi *mhi;
	struct sim_qsm *qsm;
	struct sim_clock clock;
	struct sim_ddr ddr;
	struct dentry *debugfs;		/* <debugfs>/qaic_sim/card<N>/ */
	struct sim_fault *fault;
	struct sim_dp *dp;		/* DMA bridge, link, NSPs, truth */
};

/* sim_irq.c */
int sim_irq_init(struct sim_card *card);
void sim_irq_fini(struct sim_card *card);
void sim_irq_raise(struct sim_card *card, unsigned int vector);

/* sim_hostmem.c: copy between the card and host memory at a bus address */
int sim_host_read(struct sim_card *card, u64 bus_addr, void *dst, size_t len);
int sim_host_write(struct sim_card *card, u64 bus_addr, const void *src, size_t len);

/* sim_mhi.c */
int sim_mhi_init(struct sim_card *card);
void sim_mhi_fini(struct sim_card *card);
int sim_mhi_reg_read(struct sim_card *card, u32 offset, u32 *val);
void sim_mhi_reg_write(struct sim_card *card, u32 offset, u32 val);
void sim_mhi_soc_reset(struct sim_card *card);
/*
 * Send one message to the host on a device-to-host channel. May be called
 * from any context. If nothing waits ahead of it and the host has a buffer
 * queued, the message fills that buffer and completes with EOT and its
 * length; a message larger than the buffer completes it with OVERFLOW and
 * returns -ENOSPC. Otherwise the message joins the channel's in-order
 * backlog (16 messages), which drains as the host queues buffers and is
 * dropped on channel or device reset. Returns 0 (sent or backlogged),
 * -ENOTCONN (channel not running), -ENOBUFS (backlog full), -EMSGSIZE
 * (over 64 KiB), -ENOMEM, -EFAULT or -EIO (host ring or buffer unreadable).
 */
int sim_mhi_send(struct sim_card *card, unsigned int chan, const void *buf, size_t len);
/* Raise MHI SYS_ERR: the host resets the device and powers it up again. */
void sim_mhi_raise_syserr(struct sim_card *card);
/* Number of SYS_ERR resets the device went through; for tests. */
u32 sim_mhi_reset_count(struct sim_card *card);

/*
 * sim_main.c: a complete host-to-device transfer (TREs chained up to EOT,
 * concatenated) arrived on UL channel @chan. Called in process context.
 */
void sim_chan_receive(struct sim_card *card, unsigned int chan, const void *buf, size_t len);
/* The MHI device went through reset; firmware state is lost. */
void sim_card_reset(struct sim_card *card);

/*
 * sim_qsm.c: init/fini bracket the card's life; sim_qsm_debugfs_init runs
 * once card->debugfs exists.
 */
int sim_qsm_init(struct sim_card *card);
void sim_qsm_debugfs_init(struct sim_card *card);
void sim_qsm_fini(struct sim_card *card);
void sim_qsm_receive(struct sim_card *card, const void *msg, size_t len);
void sim_qsm_reset(struct sim_card *card);

/* sim_ddr.c: addresses are device DDR addresses, 0 .. sim_ddr_size() */
int sim_ddr_init(struct sim_card *card);
void sim_ddr_fini(struct sim_card *card);
void sim_ddr_clear(struct sim_card *card);
u64 sim_ddr_size(void);
int sim_ddr_write(struct sim_card *card, u64 addr, const void *src, size_t len);
int sim_ddr_read(struct sim_card *card, u64 addr, void *dst, size_t len);

/*
 * sim_dbc.c: the data path. Register access from any context. start, stop
 * and reset run in process context: stop returns with the DBC's engine,
 * timer and inferences gone, so the host may free the queues. halt (any
 * context) only makes every DBC stop touching host memory at once.
 */
int sim_dp_init(struct sim_card *card);
void sim_dp_debugfs_init(struct sim_card *card);
void sim_dp_fini(struct sim_card *card);
void sim_dp_reset(struct sim_card *card);
u32 sim_dbc_reg_read(struct sim_card *card, u32 offset);
void sim_dbc_reg_write(struct sim_card *card, u32 offset, u32 val);
int sim_dbc_start(struct sim_card *card, u32 dbc, u32 owner, u64 req_q, u64 rsp_q, u32 nelem);
void sim_dbc_stop(struct sim_card *card, u32 dbc);
void sim_dbc_halt(struct sim_card *card);

/*
 * sim_nsp.c: networks the firmware loaded (process context). net_id
 * U32_MAX unloads all of @owner's; @everyone all networks.
 */
int sim_nsp_net_load(struct sim_card *card, u32 owner, const struct simnet_desc *desc);
void sim_nsp_net_unload(struct sim_card *card, u32 owner, u32 net_id, bool everyone);

/* sim_dbc_fault.c: data-path fault files in @dir (<card debugfs>/fault/) */
void sim_dbc_fault_debugfs_init(struct sim_card *card, struct dentry *dir);

/* sim_fault.c: faults on demand under <card debugfs>/fault/ */
enum sim_reply_fault {
	SIM_REPLY_SEND,		/* send the reply as is */
	SIM_REPLY_DROP,		/* never send it */
	SIM_REPLY_CORRUPT,	/* send it with a broken header */
	SIM_REPLY_SYSERR,	/* raise SYS_ERR instead of answering */
	SIM_REPLY_HOLD,		/* send it after the next request's reply */
};

int sim_fault_init(struct sim_card *card);
void sim_fault_fini(struct sim_card *card);
void sim_fault_debugfs_init(struct sim_card *card);
/* Consume the fault armed for the next control reply; *delay_ms is set. */
enum sim_reply_fault sim_fault_next_reply(struct sim_card *card, unsigned int *delay_ms);

/* sim_link.c */
void sim_link_info(struct qaic_hw_link *link);

/* sim_clock.c */
void sim_clock_init(struct sim_card *card);
void sim_clock_debugfs_init(struct sim_card *card);
u64 sim_clock_qtimer(struct sim_card *card);
void sim_timesync_receive(struct sim_card *card, const void *msg, size_t len);

#endif /* QAIC_SIM_H_ */
