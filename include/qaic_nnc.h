/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NNC ("neural network control") wire protocol between the host driver and
 * the card's QSM firmware, carried on the MHI QAIC_CONTROL channels (10/11).
 * Version 5.0, as upstream qaic speaks it. Every field is little endian.
 *
 * A message is a header followed by `count` transactions, each starting with
 * a (type, len) header; len counts that header.
 */
#ifndef QAIC_NNC_H_
#define QAIC_NNC_H_

#include <linux/types.h>

#if !defined(__KERNEL__) && !defined(__packed)
#define __packed __attribute__((packed))	/* userspace users of this header */
#endif

/*
 * Transaction types used on the wire: the uAPI's QAIC_TRANS_* numbers
 * (qaic_accel.h), repeated because the sim does not include DRM headers.
 * The uAPI has no DEACTIVATE_TO_DEV; on the wire the driver forwards the
 * user's DEACTIVATE_FROM_USR number with the DBC to release.
 */
#define NNC_TRANS_PASSTHROUGH_FROM_DEV	3
#define NNC_TRANS_PASSTHROUGH_TO_DEV	4
#define NNC_TRANS_DMA_XFER_TO_DEV	6
#define NNC_TRANS_ACTIVATE_FROM_DEV	8
#define NNC_TRANS_ACTIVATE_TO_DEV	9
#define NNC_TRANS_DEACTIVATE_TO_DEV	10
#define NNC_TRANS_DEACTIVATE_FROM_DEV	11
#define NNC_TRANS_STATUS_FROM_DEV	14
#define NNC_TRANS_STATUS_TO_DEV		15
#define NNC_TRANS_TERMINATE_FROM_DEV	16
#define NNC_TRANS_TERMINATE_TO_DEV	17
#define NNC_TRANS_DMA_XFER_CONT		18

#define NNC_MAGIC		0x43494151	/* "QAIC" read as a little-endian u32 */
#define NNC_VERSION_MAJOR	5
#define NNC_VERSION_MINOR	0
#define NNC_MAX_RSP_LEN		4096		/* device-to-host message limit */
#define NNC_MAX_REQ_LEN		65536		/* host-to-device message limit */
#define NNC_NO_PARTITION	(-1)
#define NNC_STATUS_FLAG_CRC	0x1		/* status_flags: CRCs required */

/* crc32 covers everything after itself when the device asks for CRCs. */
struct nnc_msg_hdr {
	__le32 crc32;
	__le32 magic_number;
	__le32 sequence_number;
	__le32 len;		/* whole message, this header included */
	__le32 count;		/* transactions that follow */
	__le32 handle;		/* the client (user) the message acts for */
	__le32 partition_id;
	__le32 padding;
} __packed;

struct nnc_trans_hdr {
	__le32 type;
	__le32 len;
} __packed;

struct nnc_trans_passthrough {
	struct nnc_trans_hdr hdr;
	__u8 data[];
} __packed;

struct nnc_addr_size {
	__le64 addr;
	__le64 size;
} __packed;

/*
 * DMA_XFER_TO_DEV: host memory the device should copy, as bus address and
 * size pairs. A nonzero dma_chunk_id means more chunks follow: the device
 * answers with one DMA_XFER_CONT carrying the bytes received so far.
 * count == 0 with a known chunk id aborts that transfer.
 */
struct nnc_trans_dma_xfer {
	struct nnc_trans_hdr hdr;
	__le32 tag;
	__le32 count;
	__le32 dma_chunk_id;
	__le32 padding;
	struct nnc_addr_size data[];
} __packed;

struct nnc_trans_dma_xfer_cont {
	struct nnc_trans_hdr hdr;
	__le32 dma_chunk_id;
	__le32 padding;
	__le64 xferred_size;
} __packed;

/*
 * ACTIVATE_TO_DEV: the host donates one coherent buffer of buf_len bytes:
 * the request queue (64-byte elements) at its start and the response queue
 * (4-byte elements) at its end.
 */
struct nnc_trans_activate_to_dev {
	struct nnc_trans_hdr hdr;
	__le64 req_q_addr;
	__le64 rsp_q_addr;
	__le32 req_q_size;
	__le32 rsp_q_size;
	__le32 buf_len;
	__le32 options;
} __packed;

struct nnc_trans_activate_from_dev {
	struct nnc_trans_hdr hdr;
	__le32 status;
	__le32 dbc_id;
	__le64 options;
} __packed;

struct nnc_trans_deactivate_to_dev {
	struct nnc_trans_hdr hdr;
	__le32 dbc_id;
	__le32 padding;
} __packed;

struct nnc_trans_deactivate_from_dev {
	struct nnc_trans_hdr hdr;
	__le32 status;
	__le32 dbc_id;
} __packed;

struct nnc_trans_terminate_to_dev {
	struct nnc_trans_hdr hdr;
	__le32 handle;
	__le32 padding;
} __packed;

struct nnc_trans_terminate_from_dev {
	struct nnc_trans_hdr hdr;
	__le32 status;
	__le32 padding;
} __packed;

struct nnc_trans_status_to_dev {
	struct nnc_trans_hdr hdr;
} __packed;

struct nnc_trans_status_from_dev {
	struct nnc_trans_hdr hdr;
	__le16 major;
	__le16 minor;
	__le32 status;
	__le64 status_flags;
} __packed;

/* Device status codes in *_from_dev transactions (0 = success). */
#define NNC_STATUS_OK		0
#define NNC_STATUS_EINVAL	1	/* malformed transaction */
#define NNC_STATUS_ENOSPC	2	/* no free DBC, device memory full */
#define NNC_STATUS_EPERM	3	/* resource owned by another user */
#define NNC_STATUS_ENOENT	4	/* unknown DBC, tag or chunk */

/*
 * Timesync (QAIC_TIMESYNC_PERIODIC, channels 22/23): the host sends its
 * clock; the device answers with its own QTimer value at reception.
 */
#define QTS_SIGNATURE		0x54535142	/* "BQST" read as a little-endian u32 */
#define QTS_MSG_HOST_TIME	1
#define QTS_MSG_DEV_TIME	2
#define QTS_QTIMER_HZ		19200000ULL

struct qts_msg {
	__le32 signature;
	__le32 msg_type;
	__le32 sequence;
	__le32 padding;
	__le64 host_time_ns;	/* host CLOCK_MONOTONIC (ktime_get_ns) at send */
	__le64 dev_qtimer;	/* device QTimer ticks at reception (reply only) */
} __packed;

#endif /* QAIC_NNC_H_ */
