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

/*
 * How a loaded network runs on the sim's DMA bridge (what a compiled program
 * does on a card):
 *
 * - A request element whose doorbell is enabled (QAIC_DB_ENABLE, 32-bit) at
 *   SIMNET_DOORBELL_ADDR with db_data equal to a network's doorbell value,
 *   on a DBC owned by the user that loaded that network, starts one
 *   inference of it.
 * - The inference waits until nsp_count NSPs are free (NSPs are not shared),
 *   holds them for a compute time drawn from the network's distribution,
 *   reads input_bytes at input_dev_addr, writes output_bytes at
 *   output_dev_addr (byte k = simnet_out_byte(input, input_bytes, k)),
 *   frees the NSPs and increments semaphore sem_index of that DBC.
 * - The host's convention (libqaic's sim network helper): the input slice
 *   carries the input TO_DEV to input_dev_addr and rings the doorbell on its
 *   last element; the output slice's first element has a presync
 *   QAIC_SEM_WAIT_GT_0 ("P") on sem_index, so it holds the DBC until the
 *   inference is done, then moves output_dev_addr FROM_DEV.
 */
#define SIMNET_DOORBELL_ADDR	0x0000100000000000ULL	/* outside DDR */

/* The deterministic transform of a sim network: output byte @k. */
static inline __u8 simnet_out_byte(const __u8 *in, __u64 in_len, __u64 k)
{
	return in[k % in_len] ^ (__u8)(k * 7 + 0x5a);
}

struct simnet_reply {
	__le32 magic;
	__le32 status;		/* NNC_STATUS_* */
	__le32 net_id;
	__le32 padding;
} __packed;

#endif /* QAIC_SIM_NET_H_ */
