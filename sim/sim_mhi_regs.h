/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MHI as the simulated card's hardware sees it: the register window it
 * exposes and the little-endian structures it reads and writes in host
 * memory. Facts from the MHI specification as the kernel's MHI host stack
 * uses them (drivers/bus/mhi/common.h and host/internal.h); the layout of
 * the window (where BHI and the doorbells live) is this card's own choice.
 */
#ifndef SIM_MHI_REGS_H_
#define SIM_MHI_REGS_H_

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/* MHI core registers (offsets in the MHI window) */
#define SIM_MHIREGLEN		0x00
#define SIM_MHIVER		0x08
#define SIM_MHICFG		0x10
#define SIM_CHDBOFF		0x18
#define SIM_ERDBOFF		0x20
#define SIM_BHIOFF		0x28
#define SIM_BHIEOFF		0x2c
#define SIM_DEBUGOFF		0x30
#define SIM_MHICTRL		0x38
#define SIM_MHISTATUS		0x48
#define SIM_CCABAP_LO		0x58
#define SIM_CCABAP_HI		0x5c
#define SIM_ECABAP_LO		0x60
#define SIM_ECABAP_HI		0x64
#define SIM_CRCBAP_LO		0x68
#define SIM_CRCBAP_HI		0x6c
#define SIM_CRDB_LO		0x70
#define SIM_CRDB_HI		0x74
#define SIM_CTRLBASE_LO		0x80
#define SIM_CTRLBASE_HI		0x84
#define SIM_CTRLLIMIT_LO	0x88
#define SIM_CTRLLIMIT_HI	0x8c
#define SIM_DATABASE_LO		0x98
#define SIM_DATABASE_HI		0x9c
#define SIM_DATALIMIT_LO	0xa0
#define SIM_DATALIMIT_HI	0xa4
#define SIM_SOC_RESET_REQ	0xb0	/* write bit 0: reset the whole SoC */
#define SIM_SOC_HW_VERSION	0x224	/* family/device/major/minor */

/* This card's window layout */
#define SIM_BHI_BASE		0x100	/* BHI block, 0x100..0x1c7 */
#define SIM_BHIE_BASE		0x300	/* BHIe block (all zeros: no BHIe) */
#define SIM_CHDB_BASE		0x400	/* 8 bytes per channel doorbell */
#define SIM_ERDB_BASE		0x800	/* 8 bytes per event ring doorbell */

/* BHI registers (offsets from SIM_BHI_BASE) */
#define SIM_BHI_VER_MINOR	0x00
#define SIM_BHI_VER_MAJOR	0x04
#define SIM_BHI_INTVEC		0x20
#define SIM_BHI_EXECENV		0x28
#define SIM_BHI_STATUS		0x2c
#define SIM_BHI_ERRCODE		0x30
#define SIM_BHI_SERIALNU	0x40
#define SIM_BHI_END		0xc8

/* Register fields */
#define SIM_MHICFG_NHWER	GENMASK(31, 24)
#define SIM_MHICFG_NER		GENMASK(23, 16)
#define SIM_MHICFG_NHWCH	GENMASK(15, 8)
#define SIM_MHICFG_NCH		GENMASK(7, 0)
#define SIM_MHICTRL_STATE	GENMASK(15, 8)
#define SIM_MHICTRL_RESET	BIT(1)
#define SIM_MHISTATUS_STATE	GENMASK(15, 8)
#define SIM_MHISTATUS_SYSERR	BIT(2)
#define SIM_MHISTATUS_READY	BIT(0)

#define SIM_MHIVER_1_0		0x01000000
#define SIM_AIC100_HW_VERSION	0x60110200

/* MHI states (MHICTRL/MHISTATUS MHISTATE field, state change events) */
#define SIM_MHI_RESET		0x0
#define SIM_MHI_READY		0x1
#define SIM_MHI_M0		0x2
#define SIM_MHI_M1		0x3
#define SIM_MHI_M2		0x4
#define SIM_MHI_M3		0x5
#define SIM_MHI_SYS_ERR		0xff

/* Execution environments (BHI_EXECENV, EE events) */
#define SIM_EE_PBL		0x0
#define SIM_EE_SBL		0x1
#define SIM_EE_AMSS		0x2

/* Ring element: transfer descriptor, command or event, 16 bytes */
struct sim_mhi_el {
	__le64 ptr;
	__le32 dw0;
	__le32 dw1;
};
static_assert(sizeof(struct sim_mhi_el) == 16);

/* Transfer descriptor fields */
#define SIM_TRE_LEN		GENMASK(15, 0)		/* dw0 */
#define SIM_TRE_TYPE		GENMASK(23, 16)		/* dw1 */
#define SIM_TRE_BEI		BIT(10)
#define SIM_TRE_IEOT		BIT(9)
#define SIM_TRE_IEOB		BIT(8)
#define SIM_TRE_CHAIN		BIT(0)

/* Command fields (dw1) */
#define SIM_CMD_CHID		GENMASK(31, 24)
#define SIM_CMD_TYPE		GENMASK(23, 16)
#define SIM_CMD_NOP		0x01
#define SIM_CMD_RESET_CHAN	0x10
#define SIM_CMD_STOP_CHAN	0x11
#define SIM_CMD_START_CHAN	0x12

/* Event fields: dw0 code (or state, or EE) and length, dw1 channel and type */
#define SIM_EV_CODE		GENMASK(31, 24)
#define SIM_EV_LEN		GENMASK(15, 0)
#define SIM_EV_CHID		GENMASK(31, 24)
#define SIM_EV_TYPE		GENMASK(23, 16)
#define SIM_EV_STATE_CHANGE	0x20
#define SIM_EV_CMD_COMPLETION	0x21
#define SIM_EV_TX		0x22
#define SIM_EV_EE		0x40

/* Completion codes */
#define SIM_CC_SUCCESS		0x01
#define SIM_CC_EOT		0x02
#define SIM_CC_OVERFLOW		0x03
#define SIM_CC_EOB		0x04
#define SIM_CC_UNDEFINED_ERR	0x10

/*
 * Channel, event and command contexts share one 44-byte layout in host
 * memory; the first three words differ:
 *   channel: chcfg (state in bits 7:0), chtype, erindex
 *   event:   intmod, ertype, msivec
 *   command: reserved
 * For an event ring, rp is where the device writes next (the host reads it
 * to learn how far the device got); wp is the host's.
 */
struct sim_mhi_ctx {
	__le32 w0;
	__le32 w1;
	__le32 w2;
	__le64 rbase;
	__le64 rlen;
	__le64 rp;
	__le64 wp;
} __packed;
static_assert(sizeof(struct sim_mhi_ctx) == 44);

#define SIM_CTX_CHSTATE		GENMASK(7, 0)		/* w0 of a channel */
#define SIM_CHSTATE_DISABLED	0
#define SIM_CHSTATE_RUNNING	2
#define SIM_CHSTATE_STOP	4
#define SIM_CHSTATE_ERROR	5

#define SIM_CHTYPE_OUTBOUND	1	/* host to device */
#define SIM_CHTYPE_INBOUND	2	/* device to host */

#endif /* SIM_MHI_REGS_H_ */
