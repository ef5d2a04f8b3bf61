/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated card's "network": what a compiled program is to a real card.
 * libqaic sends it to the sim's QSM firmware as the payload of a PASSTHROUGH
 * transaction; the firmware answers with a PASSTHROUGH_FROM_DEV carrying a
 * struct simnet_reply. Real cards need real compiled programs; only the sim
 * understands this descriptor. Every field is little endian.
 */
#ifndef QAIC_SIM_NET_H_
#define QAIC_SIM_NET_H_

#include <linux/types.h>

#if !defined(__KERNEL__) && !defined(__packed)
#define __packed __attribute__((packed))	/* userspace users of this header */
#endif

#define SIMNET_MAGIC		0x54454e53	/* "SNET" read as a little-endian u32 */
#define SIMNET_VERSION		1

/* simnet_desc.op */
#define SIMNET_OP_LOAD		1	/* load (or replace) network net_id */
#define SIMNET_OP_UNLOAD	2	/* forget network net_id */

/* simnet_desc.dist: per-inference compute time distribution */
#define SIMNET_DIST_FIXED	0	/* always mean_ns */
#define SIMNET_DIST_NORMAL	1	/* mean_ns, stddev_ns, clamped at 0 */
#define SIMNET_DIST_LOGNORMAL	2	/* median mean_ns, sigma = stddev_ns / 1e9 */
#define SIMNET_DIST_BIMODAL	3	/* normal(mean,stddev) or, with probability
					 * alt_permille/1000, normal(alt_mean,alt_stddev)
					 */
#define SIMNET_DIST_MAX		SIMNET_DIST_BIMODAL

#define SIMNET_MAX_NSP		16
#define SIMNET_MAX_NETS		64

struct simnet_desc {
	__le32 magic;
	__le16 version;
	__le16 op;
	__le32 net_id;		/* chosen by the host, unique per user */
	__le32 nsp_count;	/* NSPs one inference occupies, 1..16 */
	__le64 input_bytes;	/* bytes the host sends per inference */
	__le64 output_bytes;	/* bytes the device returns per inference */
	__le64 input_dev_addr;	/* device DDR address of the input buffer */
	__le64 output_dev_addr;	/* device DDR address of the output buffer */
	__le32 dist;
	__le32 seed;
	__le64 mean_ns;
	__le64 stddev_ns;
	__le64 alt_mean_ns;
	__le64 alt_stddev_ns;
	__le32 alt_permille;
	__le32 sem_index;	/* semaphore the program signals when done */
	__le32 doorbell;	/* doorbell data value that starts the program */
	__le32 weights_tag;	/* DMA_XFER tag of the network's weights, 0 = none */
	__le64 weights_bytes;	/* size of that transfer: the firmware needs it to
				 * know when a multi-chunk DMA_XFER is complete
				 */
} __packed;

struct simnet_reply {
	__le32 magic;
	__le32 status;		/* NNC_STATUS_* */
	__le32 net_id;
	__le32 padding;
} __packed;

#endif /* QAIC_SIM_NET_H_ */
