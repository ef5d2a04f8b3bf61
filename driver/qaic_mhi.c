// SPDX-License-Identifier: GPL-2.0-only
/*
 * MHI controller glue. The AIC100's channel and event ring configuration
 * (channel numbers, names, directions, execution environments and ring
 * sizes as upstream's drivers/accel/qaic declares them), and register access
 * through struct qaic_hw, so one controller serves the PCI card and the
 * simulated one.
 *
 * mhi.ko never dereferences mhi_controller.regs: it adds register offsets to
 * it and passes the sum back to read_reg/write_reg (the one exception,
 * clearing BHIe RX registers with memset_io, needs rddm_size, which stays 0;
 * checked in 6.1 and 6.12). So regs is a cookie here and every access goes
 * through hw->ops with offset = addr - regs.
 *
 * The card boots its own firmware: it is found in mission mode (AMSS) at
 * power up and no image is downloaded (fw_image NULL; mhi.ko only loads an
 * image from PBL).
 */
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "qaic_mhi.h"

static unsigned int mhi_timeout_ms = 2000;
module_param(mhi_timeout_ms, uint, 0600);
MODULE_PARM_DESC(mhi_timeout_ms, "MHI controller timeout in ms (default 2000)");

/* AIC100 SOC_HW_VERSION: unreliable on the card, so upstream answers it. */
#define QAIC_MHI_SOC_HW_VERSION_OFF	0x224
#define QAIC_MHI_SOC_HW_VERSION		0x60110200

#define QAIC_CH(_name, _num, _elems, _dir, _ee) {	\
	.name = _name,					\
	.num = _num,					\
	.num_elements = _elems,				\
	.event_ring = 0,				\
	.dir = _dir,					\
	.ee_mask = _ee,					\
	.doorbell = MHI_DB_BRST_DISABLE,		\
}

/* Pairs: host to device on the even channel, device to host on the odd one. */
static const struct mhi_channel_config qaic_mhi_channels[] = {
	QAIC_CH("QAIC_LOOPBACK", 0, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_LOOPBACK", 1, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_SAHARA", 2, 32, DMA_TO_DEVICE, MHI_CH_EE_SBL),
	QAIC_CH("QAIC_SAHARA", 3, 32, DMA_FROM_DEVICE, MHI_CH_EE_SBL),
	QAIC_CH("QAIC_DIAG", 4, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_DIAG", 5, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_SSR", 6, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_SSR", 7, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_QDSS", 8, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_QDSS", 9, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_CONTROL", 10, 128, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_CONTROL", 11, 128, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_LOGGING", 12, 32, DMA_TO_DEVICE, MHI_CH_EE_SBL),
	QAIC_CH("QAIC_LOGGING", 13, 32, DMA_FROM_DEVICE, MHI_CH_EE_SBL),
	QAIC_CH("QAIC_STATUS", 14, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_STATUS", 15, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_TELEMETRY", 16, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_TELEMETRY", 17, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_DEBUG", 18, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_DEBUG", 19, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_TIMESYNC", 20, 32, DMA_TO_DEVICE, MHI_CH_EE_SBL),
	QAIC_CH("QAIC_TIMESYNC", 21, 32, DMA_FROM_DEVICE, MHI_CH_EE_SBL),
	QAIC_CH("QAIC_TIMESYNC_PERIODIC", 22, 32, DMA_TO_DEVICE, MHI_CH_EE_AMSS),
	QAIC_CH("QAIC_TIMESYNC_PERIODIC", 23, 32, DMA_FROM_DEVICE, MHI_CH_EE_AMSS),
};

/* One control event ring for everything, on MSI 0 (mhi.ko wants it writable). */
static struct mhi_event_config qaic_mhi_events[] = {
	{
		.num_elements = 32,
		.irq_moderation_ms = 0,
		.irq = 0,
		.channel = U32_MAX,
		.priority = 1,
		.mode = MHI_DB_BRST_DISABLE,
		.data_type = MHI_ER_CTRL,
	},
};

struct qaic_mhi {
	struct mhi_controller cntrl;	/* first: mhi.ko hands us this */
	struct qaic_hw *hw;
	int irq;			/* cntrl.irq points here */
};

static struct qaic_mhi *to_qaic_mhi(struct mhi_controller *cntrl)
{
	return container_of(cntrl, struct qaic_mhi, cntrl);
}

static int qaic_mhi_offset(struct mhi_controller *cntrl, void __iomem *addr, u32 *off)
{
	unsigned long d = (__force unsigned long)addr - (__force unsigned long)cntrl->regs;

	if (d >= cntrl->reg_len || d & 3)
		return -EIO;
	*off = d;
	return 0;
}

static int qaic_mhi_read_reg(struct mhi_controller *cntrl, void __iomem *addr, u32 *out)
{
	struct qaic_hw *hw = to_qaic_mhi(cntrl)->hw;
	u32 off;

	if (qaic_mhi_offset(cntrl, addr, &off))
		return -EIO;
	if (off == QAIC_MHI_SOC_HW_VERSION_OFF) {
		*out = QAIC_MHI_SOC_HW_VERSION;
		return 0;
	}
	return hw->ops->mhi_read(hw, off, out);
}

static void qaic_mhi_write_reg(struct mhi_controller *cntrl, void __iomem *addr, u32 val)
{
	struct qaic_hw *hw = to_qaic_mhi(cntrl)->hw;
	u32 off;

	if (!qaic_mhi_offset(cntrl, addr, &off))
		hw->ops->mhi_write(hw, off, val);
}

/* No runtime PM: the card stays in M0 while the driver is bound. */
static int qaic_mhi_runtime_get(struct mhi_controller *cntrl)
{
	return 0;
}

static void qaic_mhi_runtime_put(struct mhi_controller *cntrl)
{
}

static void qaic_mhi_soc_reset(struct mhi_controller *cntrl)
{
	struct qaic_hw *hw = to_qaic_mhi(cntrl)->hw;

	hw->ops->soc_reset(hw);
}

struct mhi_controller *qaic_mhi_register_controller(struct device *dev, struct qaic_hw *hw,
						    void (*status_cb)(struct mhi_controller *mhi,
								      enum mhi_callback reason))
{
	struct mhi_controller_config config = {
		.max_channels = 128,
		.timeout_ms = mhi_timeout_ms,
		.num_channels = ARRAY_SIZE(qaic_mhi_channels),
		.ch_cfg = qaic_mhi_channels,
		.num_events = ARRAY_SIZE(qaic_mhi_events),
		.event_cfg = qaic_mhi_events,
	};
	struct mhi_controller *cntrl;
	struct qaic_mhi *qm;
	int ret;

	if (!dev || !hw || !hw->ops || !hw->ops->mhi_read || !hw->ops->mhi_write ||
	    !status_cb || hw->nr_irqs < 1)
		return ERR_PTR(-EINVAL);
	if (hw->dma_dev && hw->dma_dev != dev) {
		dev_err(dev, "MHI rings must be allocated on the card's DMA device\n");
		return ERR_PTR(-EINVAL);
	}

	qm = kzalloc(sizeof(*qm), GFP_KERNEL);
	if (!qm)
		return ERR_PTR(-ENOMEM);
	qm->hw = hw;
	qm->irq = hw->irq[0];

	cntrl = &qm->cntrl;
	cntrl->cntrl_dev = dev;
	/* a cookie, never dereferenced (see the top of this file) */
	cntrl->regs = (void __iomem *)qm;
	cntrl->reg_len = QAIC_HW_MHI_REG_LEN;
	cntrl->read_reg = qaic_mhi_read_reg;
	cntrl->write_reg = qaic_mhi_write_reg;
	cntrl->runtime_get = qaic_mhi_runtime_get;
	cntrl->runtime_put = qaic_mhi_runtime_put;
	cntrl->status_cb = status_cb;
	if (hw->ops->soc_reset)
		cntrl->reset = qaic_mhi_soc_reset;
	cntrl->irq = &qm->irq;
	cntrl->nr_irqs = 1;
	/* MSI 0 carries BHI/state and the event ring: mhi.ko requests it twice */
	cntrl->irq_flags = IRQF_SHARED;
	/* the card may master all of host memory; it computes a size from it */
	cntrl->iova_start = 0;
	cntrl->iova_stop = PHYS_ADDR_MAX - 1;

	ret = mhi_register_controller(cntrl, &config);
	if (ret) {
		dev_err(dev, "mhi_register_controller: %d\n", ret);
		goto free;
	}
	ret = mhi_prepare_for_power_up(cntrl);
	if (ret) {
		dev_err(dev, "mhi_prepare_for_power_up: %d\n", ret);
		goto unregister;
	}
	ret = mhi_async_power_up(cntrl);
	if (ret) {
		dev_err(dev, "mhi_async_power_up: %d\n", ret);
		goto unprepare;
	}
	return cntrl;

unprepare:
	mhi_unprepare_after_power_down(cntrl);
unregister:
	mhi_unregister_controller(cntrl);
free:
	kfree(qm);
	return ERR_PTR(ret);
}

void qaic_mhi_free_controller(struct mhi_controller *mhi, bool link_up)
{
	mhi_power_down(mhi, link_up);
	mhi_unprepare_after_power_down(mhi);
	mhi_unregister_controller(mhi);
	kfree(to_qaic_mhi(mhi));
}

void qaic_mhi_start_reset(struct mhi_controller *mhi)
{
	mhi_power_down(mhi, true);
}

void qaic_mhi_reset_done(struct mhi_controller *mhi)
{
	int ret = mhi_async_power_up(mhi);

	if (ret)
		dev_err(mhi->cntrl_dev, "mhi_async_power_up after reset: %d\n", ret);
}
