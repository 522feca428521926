/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for scorer/score_stats.c: the check values of
 * docs/reporting.md Appendix A and section 3 (critical values, Wilson,
 * the finite-population correction, the two-proportion z-test and the
 * Newcombe interval) to 4 decimal places or better, chi-square tails at
 * textbook critical values, and Holm and Benjamini-Hochberg on a family
 * worked by hand.
 */
#include <math.h>
#include <stddef.h>

#include "scorer/score_stats.h"
#include "tests/unit/unit.h"

#define E4	0.00005		/* agreement to 4 decimal places */

TEST(stats_critical_values)
{
	ASSERT_NEAR(score_z(0.95), 1.959963985, 1e-9);
	ASSERT_NEAR(score_z(0.90), 1.644853627, 1e-9);
	ASSERT_NEAR(score_z(0.99), 2.575829304, 1e-9);
	ASSERT_NEAR(score_phi(0), 0.5, 1e-15);
	ASSERT_NEAR(score_phi(1.959963985), 0.975, 1e-9);
	/* The quantile is the inverse of Phi far into both tails. */
	for (double u = 1e-9; u < 1; u = u < 0.5 ? u * 10 : 1 - (1 - u) / 10)
		ASSERT_NEAR(score_phi(score_z(1 - 2 * (1 - u))), u, 1e-12);
}

TEST(stats_wilson_check_values)
{
	double z = score_z(0.95), lo, hi;

	score_wilson(32, 32, z, &lo, &hi);
	ASSERT_NEAR(lo, 0.892821, 1e-6);
	ASSERT_NEAR(hi, 1, 1e-12);
	score_wilson(0, 32, z, &lo, &hi);
	ASSERT_NEAR(lo, 0, 1e-12);
	ASSERT_NEAR(hi, 0.107179, 1e-6);
	score_wilson(5, 10, score_z(0.90), &lo, &hi);
	ASSERT_NEAR(lo, 0.269272, 1e-6);
	ASSERT_NEAR(hi, 0.730728, 1e-6);
	/* reporting.md 3.1: a team of 22, 18 answered, 7 "often". */
	score_wilson(7, 18, z, &lo, &hi);
	ASSERT_NEAR(lo, 0.2031, E4);
	ASSERT_NEAR(hi, 0.6138, E4);
	/* No answers: the whole range. */
	score_wilson(0, 0, z, &lo, &hi);
	ASSERT_NEAR(lo, 0, 0);
	ASSERT_NEAR(hi, 1, 0);
}

TEST(stats_fpc_check_values)
{
	double z = 1.96, lo, hi;

	/* CSPS worked margins of error (reporting.md 2.1, Appendix A). */
	ASSERT_NEAR(score_moe_fpc(0.43, 120, 200, z), 0.056, 0.0005);
	ASSERT_NEAR(score_moe_fpc(0.5, 80, 150, z), 0.075, 0.0005);
	ASSERT_NEAR(score_moe_fpc(0.3, 40, 50, z), 0.064, 0.0005);
	ASSERT_NEAR(score_moe_fpc(0.6, 375, 500, z), 0.025, 0.0005);
	/* ... and to 4 dp against the formula worked independently. */
	ASSERT_NEAR(score_moe_fpc(0.43, 120, 200, z), 0.0562, E4);
	ASSERT_NEAR(score_moe_fpc(0.5, 80, 150, z), 0.0751, E4);
	ASSERT_NEAR(score_moe_fpc(0.3, 40, 50, z), 0.0642, E4);
	ASSERT_NEAR(score_moe_fpc(0.6, 375, 500, z), 0.0248, E4);
	/* Unknown headcount: no correction. */
	ASSERT_NEAR(score_fpc(18, 0), 1, 0);
	ASSERT_NEAR(score_fpc(18, 22), 4.0 / 21, 1e-15);
	ASSERT_NEAR(score_fpc(22, 22), 0, 0);
	/* The team of 22: Wald with FPC 29.1-48.7% (reporting.md 3.1). */
	z = score_z(0.95);
	ASSERT_NEAR(7.0 / 18 - score_moe_fpc(7.0 / 18, 18, 22, z), 0.2906,
	    E4);
	ASSERT_NEAR(7.0 / 18 + score_moe_fpc(7.0 / 18, 18, 22, z), 0.4872,
	    E4);
	/* Wilson with the effective size n / f. */
	score_wilson_fpc(7, 18, 22, z, &lo, &hi);
	ASSERT_NEAR(lo, 0.2968, E4);
	ASSERT_NEAR(hi, 0.4897, E4);
	/* Everyone answered: no sampling error at all. */
	score_wilson_fpc(7, 22, 22, z, &lo, &hi);
	ASSERT_NEAR(lo, 7.0 / 22, 1e-15);
	ASSERT_NEAR(hi, 7.0 / 22, 1e-15);
	/* N unknown: plain Wilson. */
	score_wilson_fpc(7, 18, 0, z, &lo, &hi);
	ASSERT_NEAR(lo, 0.2031, E4);
}

TEST(stats_two_proportion_check_values)
{
	struct score_change c;

	/* 60/200 last year against 75/210 this year. */
	score_two_prop(60, 200, 75, 210, score_z(0.95), &c);
	ASSERT_NEAR(c.diff, 75.0 / 210 - 0.3, 1e-15);
	ASSERT_NEAR(c.z, 1.2307, E4);
	ASSERT_NEAR(c.p, 0.2184, E4);
	ASSERT_NEAR(c.lo, -0.0338, E4);
	ASSERT_NEAR(c.hi, 0.1465, E4);
	/* Swapping the years negates the change and mirrors the interval. */
	score_two_prop(75, 210, 60, 200, score_z(0.95), &c);
	ASSERT_NEAR(c.z, -1.2307, E4);
	ASSERT_NEAR(c.lo, -0.1465, E4);
	ASSERT_NEAR(c.hi, 0.0338, E4);
	/* Nobody either year: no evidence of a change. */
	score_two_prop(0, 40, 0, 35, score_z(0.95), &c);
	ASSERT_NEAR(c.z, 0, 0);
	ASSERT_NEAR(c.p, 1, 0);
	ASSERT(c.lo < 0 && c.hi > 0);
}

TEST(stats_chisq)
{
	unsigned long t22[] = { 60, 140, 75, 135 };
	unsigned long t23[] = { 10, 20, 30, 30, 20, 10 };
	unsigned long zero[] = { 0, 0, 5, 7, 0, 0, 3, 9 };
	double x2, minexp;
	unsigned df;
	size_t sparse;

	/* Textbook 5% critical values. */
	ASSERT_NEAR(score_chisq_q(3.841458821, 1), 0.05, 1e-9);
	ASSERT_NEAR(score_chisq_q(5.991464547, 2), 0.05, 1e-9);
	ASSERT_NEAR(score_chisq_q(7.814727903, 3), 0.05, 1e-9);
	ASSERT_NEAR(score_chisq_q(16.918977605, 9), 0.05, 1e-9);
	ASSERT_NEAR(score_chisq_q(124.342113404, 100), 0.05, 1e-8);
	ASSERT_NEAR(score_chisq_q(0, 3), 1, 0);
	/* A 2x2 table is the two-proportion test: X^2 = z^2. */
	ASSERT_NEAR(score_chisq(t22, 2, 2, &x2, &df, &sparse, &minexp),
	    0.2184, E4);
	ASSERT_NEAR(x2, 1.2307 * 1.2307, 0.001);
	ASSERT_EQ(df, 1);
	ASSERT_EQ(sparse, 0);
	/* 2x3 worked by hand: expected 20,20,20 / 20,20,20; X^2 = 20. */
	ASSERT_NEAR(score_chisq(t23, 2, 3, &x2, &df, &sparse, &minexp),
	    exp(-10), 1e-12);
	ASSERT_NEAR(x2, 20, 1e-12);
	ASSERT_EQ(df, 2);
	/* Empty rows and columns are left out: a 2x2 test remains. */
	ASSERT(score_chisq(zero, 4, 2, &x2, &df, &sparse, &minexp) >= 0);
	ASSERT_EQ(df, 1);
	ASSERT(sparse > 0);
	/* One row: no test. */
	ASSERT(score_chisq(t23, 1, 3, &x2, &df, &sparse, &minexp) < 0);
}

TEST(stats_holm_and_bh)
{
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];

	/* Holm: sorted .005 .01 .03 .04 times 4 3 2 1 = .02 .03 .06 .04,
	 * made monotone: .02 .03 .06 .06. */
	score_adjust(SCORE_HOLM, p, 4, adj);
	ASSERT_NEAR(adj[3], 0.02, 1e-15);
	ASSERT_NEAR(adj[0], 0.03, 1e-15);
	ASSERT_NEAR(adj[2], 0.06, 1e-15);
	ASSERT_NEAR(adj[1], 0.06, 1e-15);
	/* BH: m p / rank = .02 .02 .04 .04, monotone from the top. */
	score_adjust(SCORE_BH, p, 4, adj);
	ASSERT_NEAR(adj[3], 0.02, 1e-15);
	ASSERT_NEAR(adj[0], 0.02, 1e-15);
	ASSERT_NEAR(adj[2], 0.04, 1e-15);
	ASSERT_NEAR(adj[1], 0.04, 1e-15);
	/* Capped at 1; a family of one is unadjusted. */
	p[0] = 0.6;
	p[1] = 0.7;
	score_adjust(SCORE_HOLM, p, 2, adj);
	ASSERT_NEAR(adj[0], 1, 0);
	ASSERT_NEAR(adj[1], 1, 0);
	score_adjust(SCORE_BH, p, 1, adj);
	ASSERT_NEAR(adj[0], 0.6, 0);
}

TEST(stats_t_and_median_rank)
{
	/* Student's t, two-sided 95% (tables to 6 places). */
	ASSERT_NEAR(score_t(0.95, 1), 12.706205, 1e-5);
	ASSERT_NEAR(score_t(0.95, 10), 2.228139, 1e-6);
	ASSERT_NEAR(score_t(0.95, 29), 2.045230, 1e-6);
	ASSERT_NEAR(score_t(0.90, 5), 2.015048, 1e-6);
	ASSERT_NEAR(score_t(0.95, 1e6), 1.959966, 1e-5);
	/*
	 * Median ranks: n = 20 gives (x_(6), x_(15)), P(B <= 5) = 0.0207;
	 * n = 8 would need the extremes, so no interval.
	 */
	ASSERT_EQ(score_median_rank(20, 0.95), 6);
	ASSERT_EQ(score_median_rank(8, 0.95), 0);
	ASSERT_EQ(score_median_rank(9, 0.95), 2);
	ASSERT_EQ(score_median_rank(100, 0.95), 40);
	ASSERT_EQ(score_median_rank(1, 0.95), 0);
}
