/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Log-linear latency histogram buckets, shared by the BPF programs and
 * qaic-prof. Values (ns) below QP_HIST_SUB land in a bucket of their own;
 * above, each power of two [2^k, 2^(k+1)) is cut into QP_HIST_SUB equal
 * buckets, so a bucket is at most 1/QP_HIST_SUB (1.6%) of the values it holds
 * wide. Values of 2^QP_HIST_MAX_LOG ns (18 minutes) and more share the last
 * bucket.
 *
 * Plain C with no includes: the includer brings __u64/__u32 (vmlinux.h or
 * <linux/types.h>).
 */
#ifndef QAIC_HIST_H_
#define QAIC_HIST_H_

#define QP_HIST_SUB_BITS	6
#define QP_HIST_SUB		(1u << QP_HIST_SUB_BITS)
#define QP_HIST_MAX_LOG		40
#define QP_HIST_SLOTS		((QP_HIST_MAX_LOG - QP_HIST_SUB_BITS + 1) * QP_HIST_SUB)

/* floor(log2(v)) for v > 0, without loops (the BPF verifier likes that). */
static inline __u32 qp_log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xffff) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* The bucket a value of v ns is counted in. */
static inline __u32 qp_hist_slot(__u64 v)
{
	__u32 k;

	if (v < QP_HIST_SUB)
		return (__u32)v;
	k = qp_log2_u64(v);
	if (k >= QP_HIST_MAX_LOG)
		return QP_HIST_SLOTS - 1;
	return (k - QP_HIST_SUB_BITS + 1) * QP_HIST_SUB +
	       (__u32)((v >> (k - QP_HIST_SUB_BITS)) - QP_HIST_SUB);
}

/* Lowest value counted in a bucket; the bucket ends where the next begins. */
static inline __u64 qp_hist_slot_low(__u32 slot)
{
	__u32 group = slot / QP_HIST_SUB, sub = slot % QP_HIST_SUB;

	if (group == 0)
		return sub;
	return (__u64)(QP_HIST_SUB + sub) << (group - 1);
}

#endif /* QAIC_HIST_H_ */
