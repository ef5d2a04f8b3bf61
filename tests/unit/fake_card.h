/* SPDX-License-Identifier: MIT */
/*
 * A fake qaic driver with a fake simulated card behind it, for host tests of
 * the data path. Test binaries link fake_card.c with the --wrap flags of
 * FAKE_CARD_WRAPS (tests/unit/Makefile): libqaic's ioctl(2) (data path),
 * drmIoctl (MANAGE), drmGetVersion, drmCloseBufferHandle and the PRIME calls
 * land here. The "device node" is a (sparse) regular file: BO n's pages are
 * at n MiB of the calling process's window of it (fake_bo_offset()), so
 * libqaic's own mmap() of a BO works unchanged.
 *
 * The card follows qaic_sim_net.h's contract: MANAGE ACTIVATE hands out
 * DBCs, a PASSTHROUGH LOAD descriptor defines the network; a slice's
 * presync QAIC_SEM_WAIT_GT_0 consumes the semaphore, TO_DEV/FROM_DEV move
 * bytes to/from the network's DDR buffers, and the network's doorbell runs
 * one inference (output = simnet_out_byte(input)). Execution is synchronous:
 * EXECUTE runs everything, WAIT returns at once for an executed BO.
 *
 * PERF_STATS_BO answers known values, so tests can tell which execution
 * was read: for the n-th execution (n >= 1) of a BO, submit_latency_us = n
 * and device_latency_us = n + FAKE_PERF_DEVICE_IN_US (input BO) or
 * + FAKE_PERF_DEVICE_OUT_US (output BO); queue_level_before 0,
 * num_queue_element its slice count. A BO never executed, or a handle it
 * does not know, reads all zeros (the real driver refuses an unknown
 * handle with ENOENT; libqaic's own test of the call relies on this
 * leniency).
 */
#ifndef FAKE_CARD_H_
#define FAKE_CARD_H_

#include <stdint.h>
#include <sys/types.h>

#include "qaic.h"

#define FAKE_MAX_BO	64
#define FAKE_BO_STRIDE	(1u << 20)
#define FAKE_PERF_DEVICE_IN_US	100
#define FAKE_PERF_DEVICE_OUT_US	200

struct fake_bo {
	uint64_t size;
	uint8_t *mem;		/* the kernel's view of the BO's pages */
	int live, sliced, executed;
	uint32_t execs;		/* executions so far (PERF_STATS_BO) */
	uint32_t dir, count;
	struct qaic_attach_slice_entry slices[4];
};

/* The node file; created by fake_card_init(). */
extern char fake_node[];
extern int fake_node_fd;

/* What the fake kernel saw and counted. */
extern int fake_ioctl_calls, fake_closes, fake_detaches;
extern unsigned long fake_last_request;
extern struct qaic_create_bo fake_seen_create;
extern struct qaic_attach_slice fake_seen_attach;
extern struct qaic_attach_slice_entry fake_seen_slices[4];
extern struct qaic_execute fake_seen_exec;
extern struct qaic_execute_entry fake_seen_exec_e[16];
extern struct qaic_wait fake_seen_wait;
extern struct qaic_perf_stats fake_seen_perf;
extern uint32_t fake_seen_prime_flags;
extern struct fake_bo fake_bos[FAKE_MAX_BO];
extern uint32_t fake_next_handle;

/* The card. */
extern struct qaic_simnet fake_net;	/* set by a LOAD, or by the test */
extern uint32_t fake_sems[32];
extern int fake_card_faults;		/* what would hang or fault a real card */
extern int fake_inferences;

/* Faults a test arms. */
extern int fake_fail_errno;		/* the next matching call fails with this */
extern unsigned long fake_fail_request;
extern int fake_fail_after;		/* ...after this many matching calls succeed */
extern int fake_eintr_once;		/* the next ioctl(2) fails with EINTR, once */
extern int fake_corrupt_inference;	/* inference number N (1-based) gets a bad byte */
extern int fake_refuse_activate;	/* ACTIVATE answers "no DBC" (-ECANCELED) */

/* Where BO handle's pages are in the node file, for this process. */
off_t fake_bo_offset(uint32_t handle);

int fake_card_init(void);		/* 0, or -1: suite setup failed */
int fake_card_cleanup(void);
void fake_card_reset(void);		/* everything back to a fresh card */

/* Arm fake_fail_*. */
void fake_fail_next(unsigned long request, int err, int after);
/* Give the card network n directly (tests that skip MANAGE). */
void fake_card_use_net(const struct qaic_simnet *n);

#endif /* FAKE_CARD_H_ */
