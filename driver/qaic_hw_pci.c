// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI provider of struct qaic_hw: an AIC100 function (17cb:a100) with
 * its MHI registers in BAR0, the DMA bridge channels in BAR2 and up to 32
 * MSIs (vector 0 for MHI, 1 + n for DBC n; with fewer vectors all share
 * vector 0, as upstream does).
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/math64.h>
#include <linux/pci.h>

#include "qaic.h"

#define PCI_VENDOR_ID_QCOM_AIC	0x17cb
#define PCI_DEVICE_ID_AIC100	0xa100
#define QAIC_MHI_BAR		0
#define QAIC_DBC_BAR		2

struct qaic_pci {
	struct qaic_hw hw;
	struct pci_dev *pdev;
	void __iomem *mhi_bar;
	void __iomem *dbc_bar;
};

static struct qaic_pci *to_qpci(struct qaic_hw *hw)
{
	return container_of(hw, struct qaic_pci, hw);
}

static int pci_mhi_read(struct qaic_hw *hw, u32 offset, u32 *val)
{
	u32 v = readl_relaxed(to_qpci(hw)->mhi_bar + offset);

	if (v == U32_MAX)
		return -EIO;	/* all ones: the link is down */
	*val = v;
	return 0;
}

static void pci_mhi_write(struct qaic_hw *hw, u32 offset, u32 val)
{
	writel_relaxed(val, to_qpci(hw)->mhi_bar + offset);
}

static u32 pci_dbc_read(struct qaic_hw *hw, u32 offset)
{
	return readl(to_qpci(hw)->dbc_bar + offset);
}

static void pci_dbc_write(struct qaic_hw *hw, u32 offset, u32 val)
{
	writel(val, to_qpci(hw)->dbc_bar + offset);
}

/* Line rate after 8b/10b (Gen1-2) or 128b/130b (Gen3+) encoding. */
static void pci_link_info(struct qaic_hw *hw, struct qaic_hw_link *link)
{
	static const u32 mts[] = { 2500, 5000, 8000, 16000, 32000 };
	struct pci_dev *pdev = to_qpci(hw)->pdev;
	u16 lnksta = 0;
	u64 bits;

	memset(link, 0, sizeof(*link));
	if (pcie_capability_read_word(pdev, PCI_EXP_LNKSTA, &lnksta))
		return;
	link->gen = lnksta & PCI_EXP_LNKSTA_CLS;
	link->lanes = FIELD_GET(PCI_EXP_LNKSTA_NLW, lnksta);
	if (link->gen < 1 || link->gen > ARRAY_SIZE(mts)) {
		link->gen = 0;
		return;
	}
	bits = (u64)mts[link->gen - 1] * 1000000 * link->lanes;
	bits = link->gen <= 2 ? div_u64(bits * 8, 10) : div_u64(bits * 128, 130);
	link->bytes_per_sec = div_u64(bits, 8);
}

static const struct qaic_hw_ops qaic_pci_ops = {
	.mhi_read = pci_mhi_read,
	.mhi_write = pci_mhi_write,
	.dbc_read = pci_dbc_read,
	.dbc_write = pci_dbc_write,
	.link_info = pci_link_info,
};

static int qaic_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct qaic_pci *qpci;
	int nvec, i, ret;

	qpci = devm_kzalloc(&pdev->dev, sizeof(*qpci), GFP_KERNEL);
	if (!qpci)
		return -ENOMEM;
	qpci->pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(QAIC_MHI_BAR) | BIT(QAIC_DBC_BAR), "qaic");
	if (ret)
		return ret;
	qpci->mhi_bar = pcim_iomap_table(pdev)[QAIC_MHI_BAR];
	qpci->dbc_bar = pcim_iomap_table(pdev)[QAIC_DBC_BAR];
	if (pci_resource_len(pdev, QAIC_DBC_BAR) < QAIC_HW_DBC_REG_LEN)
		return -ENODEV;

	nvec = pci_alloc_irq_vectors(pdev, 1, QAIC_HW_MAX_IRQS, PCI_IRQ_MSI);
	if (nvec < 0)
		return nvec;
	qpci->hw.nr_irqs = nvec;
	for (i = 0; i < nvec; i++)
		qpci->hw.irq[i] = pci_irq_vector(pdev, i);
	qpci->hw.ops = &qaic_pci_ops;
	qpci->hw.dma_dev = &pdev->dev;
	strscpy(qpci->hw.name, pci_name(pdev), sizeof(qpci->hw.name));

	ret = qaic_device_probe(&pdev->dev, &qpci->hw);
	if (ret)
		pci_free_irq_vectors(pdev);
	return ret;
}

static void qaic_pci_remove(struct pci_dev *pdev)
{
	qaic_device_remove(&pdev->dev);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id qaic_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_QCOM_AIC, PCI_DEVICE_ID_AIC100) },
	{ }
};
MODULE_DEVICE_TABLE(pci, qaic_pci_ids);

static struct pci_driver qaic_pci_driver = {
	.name = "qaic",
	.id_table = qaic_pci_ids,
	.probe = qaic_pci_probe,
	.remove = qaic_pci_remove,
	.driver = {
		.dev_groups = qaic_dev_groups,
	},
};

int qaic_pci_register(void)
{
	return pci_register_driver(&qaic_pci_driver);
}

void qaic_pci_unregister(void)
{
	pci_unregister_driver(&qaic_pci_driver);
}
