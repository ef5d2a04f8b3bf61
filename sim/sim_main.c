// SPDX-License-Identifier: GPL-2.0-only
/*
 * qaic_sim: simulated AIC100 cards. Each card is a platform device named
 * QAIC_HW_SIM_NAME whose platform data points at the card's struct qaic_hw:
 * register access (MHI window, DBC window), the MSIs of a software irq
 * domain, and the struct device the driver does its DMA with. The card
 * itself is the sum of the parts listed in sim.h.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "sim.h"
#include "sim_mhi_int.h"

#define SIM_MAX_CARDS	16

static unsigned int num_cards = 1;
module_param(num_cards, uint, 0444);
MODULE_PARM_DESC(num_cards, "Number of simulated cards (1..16, default 1)");

static struct sim_card **cards;
static unsigned int cards_up;
static struct dentry *sim_debugfs_root;

static struct sim_card *hw_to_card(struct qaic_hw *hw)
{
	return container_of(hw, struct sim_card, hw);
}

static int sim_hw_mhi_read(struct qaic_hw *hw, u32 offset, u32 *val)
{
	return sim_mhi_reg_read(hw_to_card(hw), offset, val);
}

/*
 * A write that resets the device or puts it in SYS_ERR stops the DMA
 * bridge before it takes effect: the host frees the DBC queues and buffers
 * after such a reset, possibly before the firmware's own reset work
 * (sim_card_reset) has run.
 */
static bool stops_dma(u32 offset, u32 val)
{
	if (offset == SIM_MHICTRL)
		return (val & SIM_MHICTRL_RESET) ||
		       FIELD_GET(SIM_MHICTRL_STATE, val) == SIM_MHI_SYS_ERR;
	return offset == SIM_SOC_RESET_REQ && (val & BIT(0));
}

static void sim_hw_mhi_write(struct qaic_hw *hw, u32 offset, u32 val)
{
	struct sim_card *card = hw_to_card(hw);

	if (stops_dma(offset, val))
		sim_dbc_halt(card);
	sim_mhi_reg_write(card, offset, val);
}

static u32 sim_hw_dbc_read(struct qaic_hw *hw, u32 offset)
{
	return sim_dbc_reg_read(hw_to_card(hw), offset);
}

static void sim_hw_dbc_write(struct qaic_hw *hw, u32 offset, u32 val)
{
	sim_dbc_reg_write(hw_to_card(hw), offset, val);
}

static void sim_hw_soc_reset(struct qaic_hw *hw)
{
	struct sim_card *card = hw_to_card(hw);

	sim_dbc_halt(card);
	sim_mhi_soc_reset(card);
}

static void sim_hw_link_info(struct qaic_hw *hw, struct qaic_hw_link *link)
{
	sim_link_info(link);
}

static const struct qaic_hw_ops sim_hw_ops = {
	.mhi_read = sim_hw_mhi_read,
	.mhi_write = sim_hw_mhi_write,
	.dbc_read = sim_hw_dbc_read,
	.dbc_write = sim_hw_dbc_write,
	.soc_reset = sim_hw_soc_reset,
	.link_info = sim_hw_link_info,
};

void sim_chan_receive(struct sim_card *card, unsigned int chan, const void *buf, size_t len)
{
	switch (chan) {
	case SIM_CH_CONTROL_UL:
		sim_qsm_receive(card, buf, len);
		break;
	case SIM_CH_TIMESYNC_UL:
		sim_timesync_receive(card, buf, len);
		break;
	default:
		/* a channel no firmware service listens on: dropped */
		break;
	}
}

/* Process context (the firmware's workqueue); DMA bridge first, then QSM. */
void sim_card_reset(struct sim_card *card)
{
	sim_dp_reset(card);
	sim_qsm_reset(card);
}

static int sim_card_pdev_add(struct sim_card *card)
{
	struct qaic_hw_pdata pdata = { .hw = &card->hw };
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(QAIC_HW_SIM_NAME, card->index);
	if (!pdev)
		return -ENOMEM;
	ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
	if (ret)
		goto put;
	/* the card masters all of host memory */
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto put;
	card->hw.dma_dev = &pdev->dev;
	card->pdev = pdev;
	ret = platform_device_add(pdev);
	if (ret)
		goto clear;
	return 0;

clear:
	card->pdev = NULL;
	card->hw.dma_dev = NULL;
put:
	platform_device_put(pdev);
	return ret;
}

static void sim_card_destroy(struct sim_card *card)
{
	/* debugfs first: its files poke the parts torn down below */
	debugfs_remove_recursive(card->debugfs);
	card->debugfs = NULL;
	/* no DMA into memory the driver frees while it unbinds */
	sim_dbc_halt(card);
	if (card->pdev) {
		/* unbinds the driver, which powers MHI down */
		platform_device_unregister(card->pdev);
		card->pdev = NULL;
		card->hw.dma_dev = NULL;
	}
	sim_mhi_fini(card);
	sim_irq_fini(card);
	sim_qsm_fini(card);
	sim_dp_fini(card);
	sim_fault_fini(card);
	kfree(card);
}

static struct sim_card *sim_card_create(int index)
{
	struct sim_card *card;
	char name[16];
	int ret;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);
	card->index = index;
	card->hw.ops = &sim_hw_ops;
	card->hw.priv = card;
	snprintf(card->hw.name, sizeof(card->hw.name), "sim%d", index);

	sim_clock_init(card);
	ret = sim_fault_init(card);
	if (ret)
		goto free;
	ret = sim_dp_init(card);
	if (ret)
		goto fault_fini;
	ret = sim_qsm_init(card);
	if (ret)
		goto dp_fini;
	ret = sim_irq_init(card);
	if (ret)
		goto qsm_fini;
	ret = sim_mhi_init(card);
	if (ret)
		goto irq_fini;

	snprintf(name, sizeof(name), "card%d", index);
	card->debugfs = debugfs_create_dir(name, sim_debugfs_root);
	sim_mhi_debugfs_init(card);
	sim_qsm_debugfs_init(card);
	sim_dp_debugfs_init(card);
	sim_fault_debugfs_init(card);
	sim_clock_debugfs_init(card);

	ret = sim_card_pdev_add(card);
	if (ret)
		goto debugfs;
	return card;

debugfs:
	debugfs_remove_recursive(card->debugfs);
	card->debugfs = NULL;
	sim_mhi_fini(card);
irq_fini:
	sim_irq_fini(card);
qsm_fini:
	sim_qsm_fini(card);
dp_fini:
	sim_dp_fini(card);
fault_fini:
	sim_fault_fini(card);
free:
	kfree(card);
	return ERR_PTR(ret);
}

static int __init qaic_sim_init(void)
{
	unsigned int i;
	int ret;

	if (!num_cards || num_cards > SIM_MAX_CARDS) {
		pr_err("qaic_sim: num_cards must be 1..%d\n", SIM_MAX_CARDS);
		return -EINVAL;
	}
	cards = kcalloc(num_cards, sizeof(*cards), GFP_KERNEL);
	if (!cards)
		return -ENOMEM;
	sim_debugfs_root = debugfs_create_dir("qaic_sim", NULL);

	for (i = 0; i < num_cards; i++) {
		struct sim_card *card = sim_card_create(i);

		if (IS_ERR(card)) {
			ret = PTR_ERR(card);
			pr_err("qaic_sim: card %u: %d\n", i, ret);
			goto unwind;
		}
		cards[i] = card;
		cards_up++;
	}
	pr_info("qaic_sim: %u simulated AIC100 card(s)\n", num_cards);
	return 0;

unwind:
	while (cards_up)
		sim_card_destroy(cards[--cards_up]);
	debugfs_remove_recursive(sim_debugfs_root);
	kfree(cards);
	return ret;
}

static void __exit qaic_sim_exit(void)
{
	while (cards_up)
		sim_card_destroy(cards[--cards_up]);
	debugfs_remove_recursive(sim_debugfs_root);
	kfree(cards);
}

module_init(qaic_sim_init);
module_exit(qaic_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("qaic-scope: simulated Qualcomm Cloud AI 100 (AIC100) cards");
