// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compute times of sim networks: a seeded PRNG per network and the
 * distributions of qaic_sim_net.h, in integer and fixed-point arithmetic
 * only (no floating point in the kernel).
 *
 *   PRNG       splitmix64; the state starts at the descriptor's seed, so a
 *              network's sequence of draws is reproducible
 *   normal     Marsaglia's polar method; logarithms by the binary
 *              (repeated squaring) algorithm, square roots by int_sqrt
 *   lognormal  median * exp(sigma * z), exp as 2^x from a table of
 *              2^(2^-i); sigma = stddev_ns / 1e9
 *   bimodal    one uniform draw picks the mode, then a normal draw
 *
 * Fixed-point formats: Qn means value * 2^n. Every draw is clamped to
 * 0 .. SIM_MAX_COMPUTE_NS.
 */
#include <linux/bitops.h>
#include <linux/math.h>
#include <linux/math64.h>

#include "sim_dp.h"

#define ONE_Q31		(1ULL << 31)
#define ONE_Q32		(1ULL << 32)
#define LN2_Q32		2977044472ULL	/* ln(2) */
#define LOG2E_Q32	6196328019ULL	/* log2(e) */

/* 2^(2^-i) in Q31, i = 1..31 */
static const u32 exp2_table_q31[31] = {
	3037000500U, 2553802834U, 2341847524U, 2242560872U, 2194507417U,
	2170868212U, 2159144272U, 2153306067U, 2150392887U, 2148937775U,
	2148210589U, 2147847087U, 2147665360U, 2147574502U, 2147529075U,
	2147506361U, 2147495005U, 2147489326U, 2147486487U, 2147485068U,
	2147484358U, 2147484003U, 2147483825U, 2147483737U, 2147483692U,
	2147483670U, 2147483659U, 2147483654U, 2147483651U, 2147483649U,
	2147483649U,
};

u64 sim_dist_next(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* log2(x / 2^32) in Q32, x > 0 */
static s64 log2_q32(u64 x)
{
	int msb = fls64(x) - 1;
	s64 res = (s64)(msb - 32) * (s64)ONE_Q32;
	u64 y;
	int i;

	/* y: x scaled into [1, 2), Q31 */
	y = msb >= 31 ? x >> (msb - 31) : x << (31 - msb);
	for (i = 31; i >= 0; i--) {
		y = (y * y) >> 31;	/* y < 2^32: no overflow */
		if (y >= 2 * ONE_Q31) {
			y >>= 1;
			res += 1LL << i;
		}
	}
	return res;
}

/* 2^f for f in [0, 1), f and the result in Q32 and Q31 */
static u64 exp2_frac_q31(u32 f)
{
	u64 acc = ONE_Q31;
	int i;

	for (i = 1; i <= 31; i++)
		if (f & (1U << (32 - i)))
			acc = (acc * exp2_table_q31[i - 1]) >> 31;
	return acc;
}

/* A standard normal deviate in Q16. */
static s64 normal_q16(u64 *state)
{
	for (;;) {
		u64 r = sim_dist_next(state);
		s64 u = (s32)lower_32_bits(r);	/* Q31, [-1, 1) */
		s64 v = (s32)upper_32_bits(r);
		u64 s = ((u64)(u * u) + (u64)(v * v)) >> 30;	/* Q32 */
		u64 neg_ln, t;

		/* reject outside the unit disc, and the tiny radii whose
		 * -2 ln(s) / s would not fit (probability about 2^-21)
		 */
		if (s >= ONE_Q32 || s < (1ULL << 12))
			continue;
		neg_ln = mul_u64_u64_shr((u64)-log2_q32(s), LN2_Q32, 32);
		t = mul_u64_u64_div_u64(2 * neg_ln, ONE_Q32, s);	/* Q32 */
		return div64_s64(u * (s64)int_sqrt(t), 1LL << 31);	/* Q31 * Q16 -> Q16 */
	}
}

/* @scale * z for z in Q16, as signed nanoseconds */
static s64 scale_q16(u64 scale, s64 z)
{
	u64 m = mul_u64_u64_shr(scale, z < 0 ? -z : z, 16);

	m = min_t(u64, m, SIM_MAX_COMPUTE_NS);
	return z < 0 ? -(s64)m : (s64)m;
}

static u64 clamp_ns(s64 ns)
{
	if (ns < 0)
		return 0;
	return min_t(u64, ns, SIM_MAX_COMPUTE_NS);
}

static u64 draw_normal(u64 mean, u64 stddev, u64 *state)
{
	mean = min_t(u64, mean, SIM_MAX_COMPUTE_NS);
	if (!stddev)
		return mean;
	return clamp_ns((s64)mean + scale_q16(stddev, normal_q16(state)));
}

/* median * exp(sigma * z), sigma = stddev_ns / 1e9 */
static u64 draw_lognormal(u64 median, u64 stddev, u64 *state)
{
	u64 sigma_q32, y, f, m;
	s64 z = normal_q16(state);
	s64 k;

	median = min_t(u64, median, SIM_MAX_COMPUTE_NS);
	if (!stddev || !median)
		return median;
	sigma_q32 = mul_u64_u64_div_u64(min_t(u64, stddev, 64ULL * NSEC_PER_SEC), ONE_Q32,
					NSEC_PER_SEC);
	y = mul_u64_u64_shr(sigma_q32, z < 0 ? -z : z, 16);	/* |sigma z|, Q32 */
	f = mul_u64_u64_shr(y, LOG2E_Q32, 32);			/* |log2 of the factor| */
	if (z < 0) {
		/* 2^-f = 2^(ceil(f) - f) * 2^-ceil(f) */
		k = -(s64)(f >> 32);
		if (lower_32_bits(f)) {
			k--;
			f = ONE_Q32 - lower_32_bits(f);
		} else {
			f = 0;
		}
	} else {
		k = f >> 32;
	}
	m = mul_u64_u64_shr(median, exp2_frac_q31(lower_32_bits(f)), 31);
	if (k < 0)
		return k <= -64 ? 0 : m >> -k;
	if (k >= 40 || m > (SIM_MAX_COMPUTE_NS >> k))
		return SIM_MAX_COMPUTE_NS;
	return m << k;
}

u64 sim_dist_draw(const struct sim_net *net, u64 *state)
{
	switch (net->dist) {
	case SIMNET_DIST_NORMAL:
		return draw_normal(net->mean_ns, net->stddev_ns, state);
	case SIMNET_DIST_LOGNORMAL:
		return draw_lognormal(net->mean_ns, net->stddev_ns, state);
	case SIMNET_DIST_BIMODAL:
		/* P(alternative) = alt_permille / 1000 */
		if (((sim_dist_next(state) & U32_MAX) * 1000) >> 32 < net->alt_permille)
			return draw_normal(net->alt_mean_ns, net->alt_stddev_ns, state);
		return draw_normal(net->mean_ns, net->stddev_ns, state);
	case SIMNET_DIST_FIXED:
	default:
		return min_t(u64, net->mean_ns, SIM_MAX_COMPUTE_NS);
	}
}
