// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card's MSIs: a software irq domain with one Linux interrupt per
 * vector (QAIC_HW_MAX_IRQS), handed to the driver in qaic_hw.irq[]. The
 * driver requests them like any interrupt; sim_irq_raise() runs their
 * handlers as an MSI would. (Debian's kernels lack CONFIG_IRQ_SIM, so the
 * domain is built here from the generic irq API.)
 *
 * msi_vectors=1 models a host that granted the card a single MSI (as
 * upstream's qaic handles): every vector is raised on MSI 0, which the DBCs
 * then share with MHI.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/preempt.h>

#include "sim.h"

static unsigned int msi_vectors = QAIC_HW_MAX_IRQS;
module_param(msi_vectors, uint, 0444);
MODULE_PARM_DESC(msi_vectors, "MSI vectors the host grants each card: 1 (all share MSI 0) or 32 (default)");

/* An MSI has nothing to mask or acknowledge at the interrupt controller. */
static void sim_irq_noop(struct irq_data *d)
{
}

static const struct irq_chip sim_irq_chip = {
	.name = "qaic-sim-msi",
	.irq_mask = sim_irq_noop,
	.irq_unmask = sim_irq_noop,
	.irq_ack = sim_irq_noop,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static int sim_irq_map(struct irq_domain *d, unsigned int virq, irq_hw_number_t hw)
{
	/*
	 * MSIs are edges: handle_edge_irq keeps one that arrives while its
	 * handler runs on another CPU (it runs the handler again) or while the
	 * driver has the line disabled (resent on enable). handle_simple_irq
	 * would drop the first kind, and the driver would wait forever for a
	 * response the device reported only once.
	 */
	irq_set_chip_and_handler(virq, &sim_irq_chip, handle_edge_irq);
	irq_set_chip_data(virq, d->host_data);
	/* requestable, not probeable, enabled on request */
	irq_modify_status(virq, IRQ_NOREQUEST | IRQ_NOAUTOEN, IRQ_NOPROBE);
	return 0;
}

static void sim_irq_unmap(struct irq_domain *d, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

static const struct irq_domain_ops sim_irq_ops = {
	.map = sim_irq_map,
	.unmap = sim_irq_unmap,
};

int sim_irq_init(struct sim_card *card)
{
	struct fwnode_handle *fwnode;
	unsigned int i;
	int ret;

	if (msi_vectors != 1 && msi_vectors != QAIC_HW_MAX_IRQS) {
		pr_err("qaic_sim: msi_vectors must be 1 or %d\n", QAIC_HW_MAX_IRQS);
		return -EINVAL;
	}
	fwnode = irq_domain_alloc_named_id_fwnode("qaic-sim-card", card->index);
	if (!fwnode)
		return -ENOMEM;
	card->irq_domain = irq_domain_create_linear(fwnode, QAIC_HW_MAX_IRQS, &sim_irq_ops, card);
	if (!card->irq_domain) {
		ret = -ENOMEM;
		goto free_fwnode;
	}
	for (i = 0; i < QAIC_HW_MAX_IRQS; i++) {
		unsigned int virq = irq_create_mapping(card->irq_domain, i);

		if (!virq) {
			ret = -ENOSPC;
			goto dispose;
		}
		card->hw.irq[i] = virq;
	}
	card->hw.nr_irqs = msi_vectors;
	return 0;

dispose:
	while (i--)
		irq_dispose_mapping(card->hw.irq[i]);
	irq_domain_remove(card->irq_domain);
	card->irq_domain = NULL;
free_fwnode:
	irq_domain_free_fwnode(fwnode);
	return ret;
}

void sim_irq_fini(struct sim_card *card)
{
	struct fwnode_handle *fwnode;
	unsigned int i;

	if (!card->irq_domain)
		return;
	fwnode = card->irq_domain->fwnode;
	for (i = 0; i < QAIC_HW_MAX_IRQS; i++)
		irq_dispose_mapping(card->hw.irq[i]);
	card->hw.nr_irqs = 0;
	irq_domain_remove(card->irq_domain);
	irq_domain_free_fwnode(fwnode);
	card->irq_domain = NULL;
}

/*
 * Deliver MSI @vector. From any context. From process context with
 * interrupts on, a bottom-half section around the handlers lets the
 * tasklets they schedule (mhi.ko's event processing) run on its exit,
 * rather than waiting for ksoftirqd.
 */
void sim_irq_raise(struct sim_card *card, unsigned int vector)
{
	int irq;

	if (vector >= QAIC_HW_MAX_IRQS)
		return;
	if (vector >= card->hw.nr_irqs)
		vector = 0;	/* a single MSI carries every vector */
	irq = card->hw.irq[vector];
	if (!in_interrupt() && !irqs_disabled()) {
		local_bh_disable();
		generic_handle_irq_safe(irq);
		local_bh_enable();
	} else {
		generic_handle_irq_safe(irq);
	}
}
