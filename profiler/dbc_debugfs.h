/* SPDX-License-Identifier: MIT */
/*
 * The driver's own view of a DBC, read from its debugfs file
 * <debugfs>/qaic/<card>/dbc<N> (driver/qaic_dbc.c, qaic_dbc_data_show):
 * owner, FIFO registers, queued BOs and elements, the oldest queued
 * request's age, counters and the time of the last completion. It knows
 * requests submitted and answered before qaic-prof started, which the BPF
 * maps cannot. <card> is the driver's name of the
 * card (the PCI address, or "simN" for the simulated card), matched here to
 * the DRM minor the tracepoints name.
 */
#ifndef PROF_DBC_DEBUGFS_H_
#define PROF_DBC_DEBUGFS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DFS_NUM_DBC	16	/* dbc0..dbc15 per card (QAIC_HW_NUM_DBC) */
#define DFS_COMM_LEN	16

/* One dbc<N> file. Fields a file did not have are 0 / false. */
struct dbc_dfs {
	uint32_t dbc;
	bool assigned;			/* "state assigned" (else free) */
	int32_t owner_tgid;		/* 0 when free */
	char owner_comm[DFS_COMM_LEN];	/* "-" when free */
	uint32_t fifo_size;		/* elements of each FIFO */
	bool has_fifo;			/* the registers below were read (assigned DBCs) */
	uint32_t req_head, req_tail;	/* requests: card reads at head, host writes at tail */
	uint32_t rsp_head, rsp_tail;	/* responses: host reads at head, card writes at tail */
	uint32_t queued_bos;		/* BO executions the driver waits for */
	uint32_t queued_elements;
	bool has_oldest;		/* a BO is queued: the next three are set */
	uint64_t oldest_seq;
	uint32_t oldest_req_id;
	uint64_t oldest_age_ns;		/* at the driver's read of the clock */
	uint64_t submitted, completed;	/* completed: answered by the card (not flushed) */
	bool has_last_completion;	/* the driver prints last_completion_ns (newer drivers) */
	uint64_t last_completion_ns;	/* newest answered BO's seen time; 0: none since assigned */
	uint64_t irqs;			/* interrupts that found responses */
};

/*
 * Parse the text of one dbc<N> file. Unknown keys are ignored (the file
 * may grow); the keys "dbc", "state", "queued_bos" and "completed" must be
 * there, "last_completion_ns" may be (drivers before it lack it). 0, or
 * -EINVAL.
 */
int dbc_dfs_parse(const char *text, struct dbc_dfs *out);

/* Requests waiting for the card and responses waiting for the host. */
uint32_t dbc_dfs_req_pending(const struct dbc_dfs *d);
uint32_t dbc_dfs_rsp_pending(const struct dbc_dfs *d);

/*
 * Is the driver's card directory @card the card whose device is @parent
 * (the basename of the DRM node's sysfs "device" link)? A PCI card's
 * directory is its PCI address, the device's name; the simulated card's is
 * "simN" for the platform device "qaic-sim.N".
 */
bool dbc_dfs_card_is(const char *card, const char *parent);

/* One card's directory. */
struct dbc_dfs_card {
	char dir[512];		/* <debugfs>/qaic/<card> */
	char name[64];		/* <card> */
	int32_t minor;		/* DRM minor of its node; -1 if not matched */
};

/*
 * The mount point of debugfs (from /proc/mounts) joined with "/qaic": 0,
 * -ENOENT if debugfs is not mounted, -ENODEV if it has no qaic directory
 * (driver not loaded), or -EACCES.
 */
int dbc_dfs_root(char *buf, size_t size);

/*
 * The cards under root (dbc_dfs_root), each matched to its DRM minor
 * through the qaic devices' sysfs links; when there is exactly one card
 * and one device they are each other's. Fills at most max entries and
 * returns how many it filled, or a negative errno.
 */
int dbc_dfs_cards(const char *root, struct dbc_dfs_card *out, int max);

/*
 * Read and parse <card dir>/dbc<N>. *t0 and *t1 are CLOCK_MONOTONIC just
 * before and after the read: the driver's clock read for oldest_age_ns is
 * between them. 0 or a negative errno.
 */
int dbc_dfs_read(const char *card_dir, uint32_t dbc, struct dbc_dfs *out, uint64_t *t0,
		 uint64_t *t1);

#endif /* PROF_DBC_DEBUGFS_H_ */
