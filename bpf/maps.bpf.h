/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Map helpers for the BPF programs (include after vmlinux.h and bpf_helpers.h). */
#ifndef MAPS_BPF_H_
#define MAPS_BPF_H_

#ifndef EEXIST
#define EEXIST 17
#endif

/*
 * The value of @key in @map, inserted as a copy of @init if absent. NULL when
 * the map is full (or out of memory). @init may be a read-only global: a
 * zeroed histogram is far too big for the 512-byte BPF stack.
 */
static __always_inline void *map_lookup_or_init(void *map, const void *key, const void *init)
{
	void *val;
	long err;

	val = bpf_map_lookup_elem(map, key);
	if (val)
		return val;
	err = bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	if (err && err != -EEXIST)	/* EEXIST: another CPU inserted it first */
		return NULL;
	return bpf_map_lookup_elem(map, key);
}

#endif /* MAPS_BPF_H_ */
