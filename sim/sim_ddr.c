// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card's DDR: a sparse byte store. Pages are allocated on first write;
 * reads of never-written memory return zeros, as after the firmware clears
 * DDR at boot. The size is nominal (module parameter), so a network can
 * place buffers anywhere below it while the host pays only for what it uses.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

static unsigned long long ddr_size = 16ULL << 30;
module_param(ddr_size, ullong, 0444);
MODULE_PARM_DESC(ddr_size, "Simulated device DDR size in bytes (default 16 GiB)");

static unsigned long max_resident_mb = 1024;
module_param(max_resident_mb, ulong, 0444);
MODULE_PARM_DESC(max_resident_mb, "Host memory the DDR model may use per card, MiB");

int sim_ddr_init(struct sim_card *card)
{
	xa_init(&card->ddr.pages);
	atomic_long_set(&card->ddr.resident, 0);
	return 0;
}

void sim_ddr_clear(struct sim_card *card)
{
	struct page *page;
	unsigned long idx;

	xa_for_each(&card->ddr.pages, idx, page) {
		xa_erase(&card->ddr.pages, idx);
		__free_page(page);
	}
	atomic_long_set(&card->ddr.resident, 0);
}

void sim_ddr_fini(struct sim_card *card)
{
	sim_ddr_clear(card);
	xa_destroy(&card->ddr.pages);
}

u64 sim_ddr_size(void)
{
	return ddr_size;
}

static bool ddr_range_ok(u64 addr, size_t len)
{
	return len <= ddr_size && addr <= ddr_size - len;
}

static struct page *ddr_page(struct sim_card *card, unsigned long idx, bool create)
{
	struct page *page = xa_load(&card->ddr.pages, idx);
	struct page *old;

	if (page || !create)
		return page;
	if (atomic_long_read(&card->ddr.resident) >= (long)(max_resident_mb << (20 - PAGE_SHIFT)))
		return NULL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	old = xa_cmpxchg(&card->ddr.pages, idx, NULL, page, GFP_KERNEL);
	if (old) {
		/* another writer won the race, or the store failed */
		__free_page(page);
		return xa_is_err(old) ? NULL : old;
	}
	atomic_long_inc(&card->ddr.resident);
	return page;
}

int sim_ddr_write(struct sim_card *card, u64 addr, const void *src, size_t len)
{
	if (!ddr_range_ok(addr, len))
		return -EFAULT;
	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = ddr_page(card, addr >> PAGE_SHIFT, true);

		if (!page)
			return -ENOMEM;
		memcpy_to_page(page, off, src, n);
		addr += n;
		src += n;
		len -= n;
	}
	return 0;
}

int sim_ddr_read(struct sim_card *card, u64 addr, void *dst, size_t len)
{
	if (!ddr_range_ok(addr, len))
		return -EFAULT;
	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = ddr_page(card, addr >> PAGE_SHIFT, false);

		if (page)
			memcpy_from_page(dst, page, off, n);
		else
			memset(dst, 0, n);
		addr += n;
		dst += n;
		len -= n;
	}
	return 0;
}
