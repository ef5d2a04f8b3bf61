/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hardware-access contract between qaic.ko (driver/) and whatever provides an
 * AIC100: a PCI function (17cb:a100) or the simulated card of qaic_sim.ko.
 *
 * The driver never touches registers directly; it goes through this table,
 * so the same code drives a real BAR (readl/writel) and the simulation.
 * Neither side includes the other's private headers; this file is all they
 * share, together with qaic_nnc.h (the firmware wire protocol).
 */
#ifndef QAIC_HW_H_
#define QAIC_HW_H_

#include <linux/types.h>

struct device;
struct qaic_hw;

/* Platform device name the simulated card registers and qaic.ko binds. */
#define QAIC_HW_SIM_NAME	"qaic-sim"

/* AIC100 facts (Documentation/accel/qaic/aic100.rst). */
#define QAIC_HW_NUM_DBC		16
#define QAIC_HW_NUM_NSP		16
#define QAIC_HW_MAX_IRQS	32	/* MSI 0: MHI; MSI 1 + n: DBC n */
#define QAIC_HW_MHI_REG_LEN	0x1000	/* MHI register window (BAR0) */
#define QAIC_HW_DBC_STRIDE	0x1000	/* one DBC register page in BAR2 */
#define QAIC_HW_DBC_REG_LEN	(QAIC_HW_NUM_DBC * QAIC_HW_DBC_STRIDE)

/**
 * struct qaic_hw_link - the card's PCIe link, for capacity planning.
 * @gen: PCIe generation, 1..5 (0: unknown).
 * @lanes: negotiated width.
 * @bytes_per_sec: what one direction can carry. The sim gives its model's
 *	payload rate; real PCI the line rate after encoding (payload efficiency
 *	depends on the host's max payload size and is not known here).
 * @payload: true when @bytes_per_sec is a payload rate.
 */
struct qaic_hw_link {
	u32 gen;
	u32 lanes;
	u64 bytes_per_sec;
	bool payload;
};

/**
 * struct qaic_hw_ops - register access to one card.
 * @mhi_read: read a 32-bit MHI/BHI register at byte @offset of the MHI window.
 *	Returns 0 or -EIO when the device does not answer (link down).
 * @mhi_write: write a 32-bit MHI/BHI register (doorbells included).
 * @dbc_read: read a 32-bit register at byte @offset of the DBC window (BAR2).
 * @dbc_write: write a 32-bit register of the DBC window.
 * @soc_reset: reset the whole SoC (MHI SOC_RESET equivalent); optional.
 * @link_info: describe the host link now (struct qaic_hw_link); optional.
 *
 * All callbacks may be called from atomic context and must not sleep.
 */
struct qaic_hw_ops {
	int (*mhi_read)(struct qaic_hw *hw, u32 offset, u32 *val);
	void (*mhi_write)(struct qaic_hw *hw, u32 offset, u32 val);
	u32 (*dbc_read)(struct qaic_hw *hw, u32 offset);
	void (*dbc_write)(struct qaic_hw *hw, u32 offset, u32 val);
	void (*soc_reset)(struct qaic_hw *hw);
	void (*link_info)(struct qaic_hw *hw, struct qaic_hw_link *link);
};

/**
 * struct qaic_hw - one card as the driver sees it.
 * @ops: register access.
 * @dma_dev: the struct device the driver allocates and maps DMA memory with;
 *	the card reads and writes host memory at the bus addresses it returns.
 * @nr_irqs: number of valid entries in @irq.
 * @irq: Linux IRQ numbers of the card's MSIs (see QAIC_HW_MAX_IRQS).
 * @name: short human-readable name of the card ("sim0", PCI BDF).
 * @priv: provider's private data.
 */
struct qaic_hw {
	const struct qaic_hw_ops *ops;
	struct device *dma_dev;
	unsigned int nr_irqs;
	int irq[QAIC_HW_MAX_IRQS];
	char name[32];
	void *priv;
};

/*
 * Platform data of a QAIC_HW_SIM_NAME device. The platform core copies
 * platform data, so it carries a pointer to the provider-owned qaic_hw,
 * which stays valid until the platform device is unregistered.
 */
struct qaic_hw_pdata {
	struct qaic_hw *hw;
};

#endif /* QAIC_HW_H_ */
