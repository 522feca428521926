/* SPDX-License-Identifier: MIT */
/*
 * scorer/score_stats.h: the statistics behind a breakdown, as pure
 * functions of counts (no I/O, no allocation): normal quantiles, Wilson
 * score intervals with an optional finite-population correction, the
 * two-proportion z-test with Newcombe's hybrid score interval for the
 * difference, Pearson's chi-square test of independence, and Holm and
 * Benjamini-Hochberg adjustment of a family of p-values.  The formulas
 * are those of docs/reporting.md section 3; the unit tests reproduce its
 * check values (Appendix A).  Private to scorer/ (and tests/unit/): a
 * small self-contained part of the module, hence its own header.
 */
#ifndef SCORE_STATS_H
#define SCORE_STATS_H

#include <stddef.h>

/* The standard normal distribution function Phi(x). */
double score_phi(double x);
/*
 * The two-sided critical value for a confidence level in (0, 1): z with
 * Phi(z) = 1 - (1 - level) / 2, e.g. 1.959964 for 0.95.
 */
double score_z(double level);

/*
 * The Wilson score interval for x successes in n trials at critical
 * value z, into *lo and *hi (proportions, 0..1).  n == 0 gives [0, 1].
 */
void score_wilson(double x, double n, double z, double *lo, double *hi);

/*
 * The finite-population factor f = (N - n) / (N - 1) of a census of a
 * group of N people of whom n answered; 1 when N is unknown (0), and 0
 * when everyone answered.  N < n is the caller's error (checked there).
 */
double score_fpc(unsigned long n, unsigned long N);

/*
 * Wilson with a finite-population correction: the variance is multiplied
 * by f = score_fpc(n, N), which for Wilson means using the effective size
 * n / f (reporting.md 3.1).  f == 0 (everyone answered) gives the point
 * [p, p]; N == 0 (unknown) is plain Wilson.
 */
void score_wilson_fpc(unsigned long x, unsigned long n, unsigned long N,
    double z, double *lo, double *hi);

/* The Wald margin of error with the correction: z*sqrt(f*p(1-p)/n). */
double score_moe_fpc(double p, unsigned long n, unsigned long N, double z);

/* A change between two proportions, p2 - p1 (the later minus the earlier). */
struct score_change {
	double	 diff;		/* p2 - p1 */
	double	 lo, hi;	/* Newcombe hybrid score interval (method 10) */
	double	 z;		/* pooled two-proportion z statistic */
	double	 p;		/* two-sided p-value, 2 * (1 - Phi(|z|)) */
};

/*
 * The change from x1 of n1 to x2 of n2 at critical value zc.  Both n must
 * be positive.  When both proportions are 0 or both 1 the pooled variance
 * is 0: z is 0 and p is 1 (no evidence of change).
 */
void score_two_prop(unsigned long x1, unsigned long n1, unsigned long x2,
    unsigned long n2, double zc, struct score_change *out);

/*
 * The two-sided critical value of Student's t with df degrees of freedom
 * for a confidence level in (0, 1), e.g. 2.228139 for 0.95 and df = 10.
 */
double score_t(double level, double df);

/*
 * The distribution-free interval for a median of n sorted values: the
 * 1-based rank r such that (x_(r), x_(n+1-r)) covers the median with at
 * least the given confidence (binomial with p = 1/2, exact up to 2,000
 * values, normal beyond).  Returns 0 when only r = 1 (the minimum and
 * maximum) would do, or none would: no interval is then given, since the
 * extremes are single people's answers.
 */
size_t score_median_rank(size_t n, double level);

/* The upper tail P(X > x) of a chi-square distribution with df degrees. */
double score_chisq_q(double x, double df);

/*
 * Pearson's chi-square test of independence on an r x c table of counts
 * (row-major).  Rows and columns that are all zero are left out (they
 * carry no information and would divide by zero).  Sets *stat, *df and
 * returns the p-value; returns -1 when fewer than 2 rows or columns
 * remain (no test).  *sparse gets the number of expected counts below 5,
 * for the usual validity rule (at most 20% below 5, none below 1).
 */
double score_chisq(const unsigned long *obs, size_t r, size_t c,
    double *stat, unsigned *df, size_t *sparse, double *minexp);

enum score_adjust {
	SCORE_HOLM,		/* step-down, family-wise error rate */
	SCORE_BH,		/* Benjamini-Hochberg, false discovery rate */
};

/*
 * Adjusted p-values of a family of m p-values, into adj (may be p): a
 * hypothesis is rejected at alpha when its adjusted p-value is <= alpha.
 * Holm: max over j <= i of min(1, (m - j + 1) p_(j)) in ascending order;
 * BH: min over j >= i of min(1, m p_(j) / j).
 */
void score_adjust(enum score_adjust how, const double *p, size_t m,
    double *adj);

#endif /* SCORE_STATS_H */
