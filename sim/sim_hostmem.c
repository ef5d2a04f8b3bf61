// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card as a bus master: it reads and writes host memory at the bus
 * addresses the driver got from the DMA API on the card's device. The
 * platform device uses dma-direct (no IOMMU in the test VM), so a bus
 * address translates to a physical address with dma_to_phys().
 *
 * The host may hand the card any address, so every page is checked
 * (pfn_valid) and copied with fault-tolerant accessors: a bad address makes
 * the copy fail with -EFAULT, never an oops. Copies go word by word (8 bytes,
 * then 4, then single bytes), so an aligned ring pointer is stored whole, as
 * a PCIe device's posted write would be. Callable from any context.
 */
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "sim.h"

static int write_nofault(void *dst, const void *src, size_t n)
{
	pagefault_disable();
	for (; n >= 8; n -= 8, dst += 8, src += 8)
		__put_kernel_nofault(dst, src, u64, fault);
	for (; n >= 4; n -= 4, dst += 4, src += 4)
		__put_kernel_nofault(dst, src, u32, fault);
	for (; n; n--, dst++, src++)
		__put_kernel_nofault(dst, src, u8, fault);
	pagefault_enable();
	return 0;

fault:
	pagefault_enable();
	return -EFAULT;
}

static int host_copy(struct sim_card *card, u64 bus_addr, void *buf, size_t len, bool to_host)
{
	struct device *dev = card->hw.dma_dev;
	phys_addr_t pa;
	int ret = 0;

	if (!len)
		return 0;
	if (bus_addr + len - 1 < bus_addr)
		return -EFAULT;
	pa = dev ? dma_to_phys(dev, bus_addr) : bus_addr;

	while (len) {
		unsigned long pfn = PHYS_PFN(pa);
		size_t off = offset_in_page(pa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		void *va;

		if (!pfn_valid(pfn))
			return -EFAULT;
		va = kmap_local_page(pfn_to_page(pfn));
		if (to_host)
			ret = write_nofault(va + off, buf, n);
		else if (copy_from_kernel_nofault(buf, va + off, n))
			ret = -EFAULT;
		kunmap_local(va);
		if (ret)
			return ret;
		pa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int sim_host_read(struct sim_card *card, u64 bus_addr, void *dst, size_t len)
{
	return host_copy(card, bus_addr, dst, len, false);
}

int sim_host_write(struct sim_card *card, u64 bus_addr, const void *src, size_t len)
{
	return host_copy(card, bus_addr, (void *)src, len, true);
}
