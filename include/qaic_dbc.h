/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AIC100 DMA bridge as both sides see it: the registers of one DMA bridge
 * channel (DBC) and the request/response FIFO elements that live in the
 * host-donated queue memory. Facts from Documentation/accel/qaic/aic100.rst;
 * qaic.ko writes these, qaic_sim.ko consumes them. Everything in a FIFO
 * element is little endian.
 */
#ifndef QAIC_DBC_H_
#define QAIC_DBC_H_

#include <linux/types.h>
#include <linux/bits.h>

#include "qaic_hw.h"

/*
 * Registers of DBC n, at n * QAIC_HW_DBC_STRIDE in the DBC window. Values
 * are FIFO indexes (0 .. nelem - 1), not byte offsets.
 */
#define QAIC_DBC_REQHP		0x0	/* request head: device consumed up to */
#define QAIC_DBC_REQTP		0x4	/* request tail: host writes new work */
#define QAIC_DBC_RSPHP		0x8	/* response head: host consumed up to */
#define QAIC_DBC_RSPTP		0xc	/* response tail: device produced up to */
#define QAIC_DBC_REG(dbc, reg)	((dbc) * QAIC_HW_DBC_STRIDE + (reg))

/*
 * Queue memory donated at ACTIVATE: one coherent chunk, request FIFO at its
 * start, response FIFO at its very end, sized as upstream sizes it.
 */
#define QAIC_DBC_REQ_ELEM_SIZE	64
#define QAIC_DBC_RSP_ELEM_SIZE	4
#define QAIC_DBC_Q_GAP		256
#define QAIC_DBC_Q_BUF_ALIGN	4096

/* struct qaic_dbc_req.cmd (pcie_dma_cmd) */
#define QAIC_REQ_DIR_MASK	GENMASK(1, 0)
#define QAIC_REQ_DIR_NONE	0	/* no transfer: semaphores/doorbell only */
#define QAIC_REQ_DIR_TO_DEV	1	/* host -> device (inbound) */
#define QAIC_REQ_DIR_FROM_DEV	2	/* device -> host (outbound) */
#define QAIC_REQ_BULK		BIT(3)	/* bulk (1) or linked list (0) */
#define QAIC_REQ_COMPLETION	BIT(4)	/* write a response element when done */
#define QAIC_REQ_FORCE_MSI	BIT(7)	/* MSI on completion even if not empty */

/* struct qaic_dbc_req.db_attr */
#define QAIC_DB_ENABLE		BIT(7)
#define QAIC_DB_LEN_MASK	GENMASK(1, 0)
#define QAIC_DB_LEN_32		0
#define QAIC_DB_LEN_16		1
#define QAIC_DB_LEN_8		2

/* struct qaic_dbc_req.sem_cmd[n] */
#define QAIC_SEMC_ENABLE	BIT(31)
#define QAIC_SEMC_FENCE_MASK	GENMASK(30, 29)	/* QAIC_SEM_*SYNCFENCE (uAPI) */
#define QAIC_SEMC_TO_DEV_FENCE	BIT(30)	/* wait for all to-device DMA */
#define QAIC_SEMC_FROM_DEV_FENCE BIT(29)	/* wait for all from-device DMA */
#define QAIC_SEMC_CMD_MASK	GENMASK(26, 24)	/* QAIC_SEM_NOP .. WAIT_GT_0 (uAPI) */
#define QAIC_SEMC_PRESYNC	BIT(22)	/* gate the transfer; else after it */
#define QAIC_SEMC_INDEX_MASK	GENMASK(20, 16)
#define QAIC_SEMC_VAL_MASK	GENMASK(11, 0)
#define QAIC_DBC_NUM_SEM	32	/* semaphores per DBC (5-bit index) */
#define QAIC_DBC_SEM_MAX	0xfff	/* 12-bit semaphore values */

/*
 * A request element. Processing order (aic100.rst): presync semaphore
 * condition, DMA transfer, postsync semaphore commands, doorbell write, then
 * the response element if QAIC_REQ_COMPLETION is set.
 */
struct qaic_dbc_req {
	__le16 req_id;		/* echoed in the response element */
	__u8 seq_id;		/* ignored by the bridge */
	__u8 cmd;		/* QAIC_REQ_* */
	__le32 resv;
	__le64 src_addr;	/* bus address (to device) or device address */
	__le64 dest_addr;
	__le32 len;		/* bytes, bulk transfers */
	__le32 resv2;
	__le64 db_addr;		/* device address of the doorbell */
	__u8 db_attr;		/* QAIC_DB_* */
	__u8 resv3;
	__le16 resv4;
	__le32 db_data;
	__le32 sem_cmd[4];	/* QAIC_SEMC_* */
} __packed;

/* A response element: the request's id and 0 or a device error code. */
struct qaic_dbc_rsp {
	__le16 req_id;
	__le16 status;
} __packed;

#endif /* QAIC_DBC_H_ */
