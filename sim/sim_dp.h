/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated card's data path, shared by its parts:
 *
 *   sim_dbc.c        DMA bridge: 16 DBC register files, start/stop/halt
 *   sim_dbc_engine.c the FIFO engine of a DBC (presync, transfer, postsync,
 *                    doorbell, response)
 *   sim_dbc_xfer.c   the bytes a bulk transfer moves (host <-> device DDR)
 *   sim_link.c       PCIe link model: one FCFS server per direction
 *   sim_nsp.c        16 NSPs, loaded networks, inferences
 *   sim_dist.c       seeded PRNG and compute-time distributions (fixed point)
 *   sim_truth.c      ground truth records (debugfs, for tests)
 *   sim_dbc_fault.c  data-path faults (debugfs)
 *
 * Contexts and locks. Only one nesting: the engine reserves the link
 * (sim_link.lock) under its DBC's lock; sim_link.lock nests in nothing
 * else and takes nothing. No other lock here is taken under another.
 *
 *   sim_dbc.lock     one per DBC; spinlock taken with irqsave, because the
 *                    driver reaches the registers from any context. Guards
 *                    the DBC's registers, engine state, semaphores and
 *                    faults, and every access the engine makes to host
 *                    memory: once live is false (stop, halt), the engine
 *                    touches no host memory again.
 *   sim_nsp_pool.lock  irqsave; guards NSPs, waiting and running
 *                    inferences and loaded networks; the pool's hrtimer
 *                    (hard irq) takes it.
 *   sim_link.lock    irqsave; the two servers' reservations and counters.
 *   sim_truth.lock   irqsave; the record ring.
 *
 * Each DBC's engine runs as a work item on the card's data-path workqueue
 * (process context: copies may be megabytes, DDR pages are allocated with
 * GFP_KERNEL). hrtimers only wake it at modelled times, so nothing
 * completes before the model says it may.
 */
#ifndef SIM_DP_H_
#define SIM_DP_H_

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "qaic_dbc.h"
#include "qaic_sim_net.h"
#include "sim.h"

/* Completion codes of response elements (0 = success); docs/sim-model.md */
#define SIM_ST_BAD_DIR		0x01	/* transfer direction 3 */
#define SIM_ST_LINKED_LIST	0x02	/* linked-list transfers not modelled */
#define SIM_ST_DDR_RANGE	0x03	/* device address range outside DDR */
#define SIM_ST_HOST_FAULT	0x04	/* host bus address not readable/writable */
#define SIM_ST_BAD_SEM		0x05	/* two presyncs, or semaphore command 7 */
#define SIM_ST_BAD_DOORBELL	0x06	/* doorbell outside DDR, unaligned, bad length */
#define SIM_ST_DDR_FULL		0x07	/* DDR model out of host memory */
#define SIM_ST_NO_INPUT		0x08	/* inference could not keep its input */

/* Semaphore commands (QAIC_SEMC_CMD_MASK), aic100.rst */
#define SIM_SEM_NOP		0
#define SIM_SEM_INIT		1
#define SIM_SEM_INC		2
#define SIM_SEM_DEC		3
#define SIM_SEM_WAIT_EQ		4
#define SIM_SEM_WAIT_GE		5
#define SIM_SEM_P		6	/* wait until > 0, then decrement */

#define SIM_DBC_BOUNCE		(4 * PAGE_SIZE)	/* bytes copied per host access */

enum sim_link_dir {
	SIM_LINK_TO_DEV,
	SIM_LINK_FROM_DEV,
	SIM_LINK_DIRS,
};

/* Where a DBC's head element is. */
enum sim_dbc_phase {
	DBC_IDLE,		/* nothing in hand: fetch at REQHP if REQTP differs */
	DBC_PRESYNC,		/* fetched; its presync condition does not hold yet */
	DBC_DMA,		/* transfer modelled and copied; waiting for its end */
	DBC_POSTSYNC,		/* postsync commands from post_next on */
	DBC_RSP,		/* waiting for room in the response FIFO */
};

/* A request element in CPU byte order. */
struct sim_elem {
	u16 req_id;
	u8 cmd;
	u64 src;
	u64 dst;
	u32 len;
	u64 db_addr;
	u8 db_attr;
	u32 db_data;
	u32 sem[4];
};

/*
 * What the elements of one request (up to and including the element with
 * QAIC_REQ_COMPLETION) did, for its ground-truth record.
 */
struct sim_req_acc {
	u32 elems;
	u32 dirs;		/* BIT(dir) of each element that moved bytes */
	u64 bytes;
	u64 t_queued;
	u64 t_start;
	u64 t_dma_start;
	u64 t_dma_end;
	u64 t_doorbell;
	u16 status;		/* first nonzero element status */
	u64 inf_started;	/* inference its doorbell started */
	u64 inf_consumed;	/* inference whose signal its P took */
};

struct sim_dbc_stats {
	u64 elements;
	u64 requests;		/* responses written */
	u64 bytes[SIM_LINK_DIRS];
	u64 msis;
	u64 msis_coalesced;	/* response FIFO was not empty: no MSI */
	u64 msis_dropped;	/* fault */
	u64 errors;		/* responses with a nonzero status */
	u64 bad_writes;		/* register writes ignored as invalid */
	u64 rsp_full;		/* times the engine waited for response room */
	u64 presync_waits;	/* times a presync held the queue */
	u64 doorbells;
	u64 doorbells_unmatched;	/* at the network doorbell, no network */
	u64 inferences;
	u64 signals_dropped;	/* program signals lost: INIT, saturation */
};

struct sim_inf;

struct sim_dbc {
	struct sim_dp *dp;
	u32 id;
	spinlock_t lock;	/* see sim_dp.h; guards everything below */
	bool live;		/* between start and stop/halt */
	u32 gen;		/* bumped by start, stop and halt */
	u32 owner;
	u64 req_q;
	u64 rsp_q;
	u32 nelem;
	u32 reqhp, reqtp, rsphp, rsptp;
	u64 *t_queued;		/* per element: the REQTP write that queued it */

	u16 sem[QAIC_DBC_NUM_SEM];
	/*
	 * Inferences that signalled each semaphore and were not taken yet,
	 * oldest first; never more than the semaphore's value.
	 */
	struct list_head signals[QAIC_DBC_NUM_SEM];
	u16 nr_signals[QAIC_DBC_NUM_SEM];
	struct list_head dropped;	/* signals to free, unlocked */

	enum sim_dbc_phase phase;
	struct sim_elem el;	/* the element in hand */
	u32 el_idx;
	u16 el_status;
	bool xfer_started;	/* its transfer was reserved and copied */
	unsigned int post_next;	/* next postsync command to run */
	u64 dma_end;		/* modelled end of the transfer in hand */
	u64 blocked_since;	/* when the head element started waiting */
	struct sim_req_acc acc;

	/* faults (sim_dbc_fault.c); kept across start and stop */
	bool stalled;
	u32 drop_msi;
	u32 err_count;
	u16 err_status;

	struct sim_dbc_stats stats;
	struct hrtimer timer;	/* wakes the engine at a modelled time */
	struct work_struct work;	/* the engine */
	u8 *bounce;		/* SIM_DBC_BOUNCE bytes, engine only */
};

struct sim_link_dir_stats {
	u64 transfers;
	u64 bytes;
	u64 busy_ns;		/* modelled time the direction was busy */
	u64 wait_ns;		/* modelled time transfers waited for it */
};

struct sim_link {
	spinlock_t lock;	/* see sim_dp.h; guards the fields below */
	u64 free_at[SIM_LINK_DIRS];	/* the server is busy until then */
	struct sim_link_dir_stats stats[SIM_LINK_DIRS];
};

/* A network as the NSP programs run it (loaded through the QSM). */
struct sim_net {
	struct list_head node;
	u32 owner;
	u32 net_id;
	u32 doorbell;
	u32 nsp_count;
	u32 sem_index;
	u32 dist;
	u32 alt_permille;
	u64 in_addr, in_bytes;
	u64 out_addr, out_bytes;
	u64 mean_ns, stddev_ns, alt_mean_ns, alt_stddev_ns;
	u64 rng;		/* PRNG state, from the descriptor's seed */
	u64 runs;
};

/* One inference: from the doorbell that starts it to the P that takes it. */
struct sim_inf {
	struct list_head node;	/* pool waiting/running, DBC signals, dead */
	u64 id;
	u32 dbc;
	u32 gen;		/* of the DBC when its doorbell rang */
	u32 owner;
	u32 net_id;
	u32 nsp_count;
	u32 nsp_mask;
	u32 sem_index;
	u32 slow_pct;		/* largest slow-down of its NSPs */
	u64 drawn_ns;		/* compute time drawn from the distribution */
	u64 compute_ns;		/* after slow NSPs */
	u64 t_doorbell, t_nsp_start, t_nsp_end;
	u64 end;		/* modelled end: t_nsp_start + compute_ns */
	u64 in_bytes;
	u64 out_addr, out_bytes;
	size_t snap_len;	/* bytes of input kept: min(in, out) */
	u8 *snap;
};

struct sim_nsp_pool {
	spinlock_t lock;	/* see sim_dp.h; guards everything below */
	bool stopping;
	struct list_head nets;
	unsigned int nr_nets;
	struct list_head waiting;	/* FCFS across DBCs */
	struct list_head running;
	struct list_head dead;		/* to free in process context */
	u32 busy;			/* NSP bitmap */
	u64 next_id;
	u64 busy_ns[QAIC_HW_NUM_NSP];
	u64 runs[QAIC_HW_NUM_NSP];
	u32 slow_pct[QAIC_HW_NUM_NSP];	/* fault: 100 = nominal */
	u64 snap_bytes;			/* input kept by inferences */
	u64 inferences, cancelled, no_input;
	struct hrtimer timer;		/* earliest end among running */
	struct work_struct reap;	/* frees the dead list */
};

/* Ground-truth record types */
#define SIM_TRUTH_REQ	'R'
#define SIM_TRUTH_INF	'I'

struct sim_truth_req {
	u32 dbc, req_id, owner, dir, elems, status, msi;
	u64 bytes;
	u64 t_queued, t_start, t_dma_start, t_dma_end, t_doorbell, t_rsp;
	u64 inf_started, inf_consumed;
};

struct sim_truth_inf {
	u64 id;
	u32 dbc, owner, net_id, nsp_count, nsp_mask, slow_pct;
	u64 drawn_ns, compute_ns;
	u64 t_doorbell, t_nsp_start, t_nsp_end;
};

struct sim_truth_rec {
	u64 seq;
	u8 type;
	union {
		struct sim_truth_req r;
		struct sim_truth_inf i;
	};
};

struct sim_truth {
	spinlock_t lock;	/* see sim_dp.h; guards the fields below */
	struct sim_truth_rec *ring;
	u32 size;
	u64 next_seq;		/* first record is 1 */
	u64 count;		/* records kept (<= size) */
	u64 overwritten;	/* records lost to wrap-around */
};

/* What each data-path fault file of debugfs works on (sim_dbc_fault.c) */
struct dp_fault_file;
struct sim_dp_fault_file {
	struct sim_dp *dp;
	const struct dp_fault_file *file;
};

struct sim_dp {
	struct sim_card *card;
	struct workqueue_struct *wq;
	struct sim_dbc dbc[QAIC_HW_NUM_DBC];
	struct sim_link link;
	struct sim_nsp_pool nsp;
	struct sim_truth truth;
	atomic64_t bad_access;	/* register accesses outside the 16 DBCs */
	struct sim_dp_fault_file faults[4];
};

/* sim_dbc.c */
void sim_dbc_kick(struct sim_dbc *d);

/* sim_dbc_engine.c: the engine work, its timer, and queueing it (lock held) */
void sim_dbc_engine(struct work_struct *work);
enum hrtimer_restart sim_dbc_timer(struct hrtimer *timer);
void sim_dbc_queue(struct sim_dbc *d);
/* Deliver an inference's end to its DBC (any context); false: DBC gone. */
bool sim_dbc_signal(struct sim_dp *dp, struct sim_inf *inf);

/* sim_dbc_xfer.c: copy one bulk transfer; 0, -ESHUTDOWN or SIM_ST_* > 0 */
int sim_dbc_xfer(struct sim_dbc *d, u32 gen, const struct sim_elem *el);

/* sim_link.c */
void sim_link_init(struct sim_link *l);
void sim_link_reset(struct sim_link *l);
u64 sim_link_bytes_per_sec(void);
/* Reserve @dir for @bytes ready at @now: sets *start, returns the end. */
u64 sim_link_reserve(struct sim_link *l, enum sim_link_dir dir, u64 bytes, u64 now,
		     u64 *start);
void sim_link_debugfs_init(struct sim_dp *dp, struct dentry *dir);

/* sim_nsp.c */
int sim_nsp_init(struct sim_dp *dp);
void sim_nsp_fini(struct sim_dp *dp);
/* Drop every inference, waiting or running; NSPs idle (process context). */
void sim_nsp_reset(struct sim_dp *dp);
/* Start the inference a doorbell asks for; 0 if no network listens. */
u64 sim_nsp_doorbell(struct sim_dp *dp, struct sim_dbc *d, u32 gen, u32 db_data, u64 now,
		     int *status);
/* Drop DBC @dbc's inferences (process context). */
void sim_nsp_cancel_dbc(struct sim_dp *dp, u32 dbc);
/* Write @inf's output into DDR (process context); 0 or SIM_ST_*. */
int sim_nsp_deliver(struct sim_dp *dp, struct sim_inf *inf, u8 *buf, size_t buf_len);
void sim_nsp_free_inf(struct sim_dp *dp, struct sim_inf *inf);
void sim_nsp_set_slow(struct sim_dp *dp, u32 nsp, u32 pct);
void sim_nsp_debugfs_init(struct sim_dp *dp, struct dentry *dir);

/* sim_dist.c */
u64 sim_dist_next(u64 *state);
u64 sim_dist_draw(const struct sim_net *net, u64 *state);
#define SIM_MAX_COMPUTE_NS	(60ULL * NSEC_PER_SEC)

/* sim_truth.c */
int sim_truth_init(struct sim_dp *dp);
void sim_truth_fini(struct sim_dp *dp);
void sim_truth_add(struct sim_dp *dp, struct sim_truth_rec *rec);
void sim_truth_debugfs_init(struct sim_dp *dp, struct dentry *dir);

#endif /* SIM_DP_H_ */
