/* SPDX-License-Identifier: MIT */
/*
 * The statistics of a breakdown (see score_stats.h): normal quantiles by
 * Acklam's rational approximation polished with one Halley step, Wilson
 * and Newcombe intervals, the pooled two-proportion z-test, chi-square
 * tails by the regularised incomplete gamma function (series below a + 1,
 * Lentz's continued fraction above), and Holm / Benjamini-Hochberg.
 */
#include <math.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "scorer/score_stats.h"

double
score_phi(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Acklam's coefficients for the inverse normal distribution function. */
static const double ia[] = { -3.969683028665376e+01, 2.209460984245205e+02,
    -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
    2.506628277459239e+00 };
static const double ib[] = { -5.447609879822406e+01, 1.615858368580409e+02,
    -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
static const double ic[] = { -7.784894002430293e-03, -3.223964580411365e-01,
    -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
    2.938163982698783e+00 };
static const double id[] = { 7.784695709041462e-03, 3.224671290700398e-01,
    2.445134137142996e+00, 3.754408661907416e+00 };

static double
tail_ratio(double q)
{
	return (((((ic[0] * q + ic[1]) * q + ic[2]) * q + ic[3]) * q +
	    ic[4]) * q + ic[5]) / ((((id[0] * q + id[1]) * q + id[2]) * q +
	    id[3]) * q + 1);
}

/* The inverse of Phi, for 0 < u < 1. */
static double
probit(double u)
{
	double q, r, x, e;

	if (u < 0.02425) {
		x = tail_ratio(sqrt(-2 * log(u)));
	} else if (u > 1 - 0.02425) {
		x = -tail_ratio(sqrt(-2 * log(1 - u)));
	} else {
		q = u - 0.5;
		r = q * q;
		x = (((((ia[0] * r + ia[1]) * r + ia[2]) * r + ia[3]) * r +
		    ia[4]) * r + ia[5]) * q / (((((ib[0] * r + ib[1]) * r +
		    ib[2]) * r + ib[3]) * r + ib[4]) * r + 1);
	}
	/* One Halley step brings it to full double precision. */
	e = score_phi(x) - u;
	r = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - r / (1 + x * r / 2);
}

double
score_z(double level)
{
	return probit(1 - (1 - level) / 2);
}

void
score_wilson(double x, double n, double z, double *lo, double *hi)
{
	double p, z2, den, centre, half;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	p = x / n;
	z2 = z * z;
	den = 1 + z2 / n;
	centre = (p + z2 / (2 * n)) / den;
	half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / den;
	*lo = centre - half;
	*hi = centre + half;
	/* At p = 0 or 1 one limit is exact; keep rounding from moving it. */
	if (*lo < 0 || x <= 0)
		*lo = 0;
	if (*hi > 1 || x >= n)
		*hi = 1;
}

double
score_fpc(unsigned long n, unsigned long N)
{
	if (N == 0)
		return 1;
	if (N <= 1 || n >= N)
		return 0;
	return (double)(N - n) / (double)(N - 1);
}

void
score_wilson_fpc(unsigned long x, unsigned long n, unsigned long N, double z,
    double *lo, double *hi)
{
	double f = score_fpc(n, N);

	if (n > 0 && f <= 0) {
		*lo = *hi = (double)x / (double)n;
		return;
	}
	score_wilson((double)x / f, (double)n / f, z, lo, hi);
}

double
score_moe_fpc(double p, unsigned long n, unsigned long N, double z)
{
	if (n == 0)
		return 1;
	return z * sqrt(score_fpc(n, N) * p * (1 - p) / (double)n);
}

void
score_two_prop(unsigned long x1, unsigned long n1, unsigned long x2,
    unsigned long n2, double zc, struct score_change *out)
{
	double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
	double pbar = (double)(x1 + x2) / (double)(n1 + n2);
	double se = sqrt(pbar * (1 - pbar) * (1.0 / (double)n1 +
	    1.0 / (double)n2));
	double l1, u1, l2, u2;

	out->diff = p2 - p1;
	if (se > 0) {
		out->z = out->diff / se;
		/* 2 * (1 - Phi(|z|)), by erfc to keep digits far out. */
		out->p = erfc(fabs(out->z) / sqrt(2.0));
	} else {
		out->z = 0;
		out->p = 1;
	}
	score_wilson((double)x1, (double)n1, zc, &l1, &u1);
	score_wilson((double)x2, (double)n2, zc, &l2, &u2);
	out->lo = out->diff - sqrt((p2 - l2) * (p2 - l2) +
	    (u1 - p1) * (u1 - p1));
	out->hi = out->diff + sqrt((u2 - p2) * (u2 - p2) +
	    (p1 - l1) * (p1 - l1));
}

/* The regularised lower incomplete gamma P(a, x) by its series. */
static double
gamma_p_series(double a, double x)
{
	double sum = 1 / a, term = sum, ap = a;

	for (int i = 0; i < 1000; i++) {
		ap += 1;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * 1e-16)
			break;
	}
	return sum * exp(-x + a * log(x) - lgamma(a));
}

/* The regularised upper incomplete gamma Q(a, x) by a continued fraction. */
static double
gamma_q_cf(double a, double x)
{
	const double tiny = 1e-300;
	double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d, an, del;

	for (int i = 1; i < 1000; i++) {
		an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-16)
			break;
	}
	return exp(-x + a * log(x) - lgamma(a)) * h;
}

double
score_chisq_q(double x, double df)
{
	double a = df / 2, h = x / 2;

	if (x <= 0)
		return 1;
	if (h < a + 1)
		return 1 - gamma_p_series(a, h);
	return gamma_q_cf(a, h);
}

double
score_chisq(const unsigned long *obs, size_t r, size_t c, double *stat,
    unsigned *df, size_t *sparse, double *minexp)
{
	double *rs = xcalloc(r, sizeof(*rs)), *cs = xcalloc(c, sizeof(*cs));
	double tot = 0, x2 = 0, e;
	size_t nr = 0, nc = 0;

	for (size_t i = 0; i < r; i++)
		for (size_t j = 0; j < c; j++) {
			rs[i] += (double)obs[i * c + j];
			cs[j] += (double)obs[i * c + j];
			tot += (double)obs[i * c + j];
		}
	for (size_t i = 0; i < r; i++)
		nr += rs[i] > 0;
	for (size_t j = 0; j < c; j++)
		nc += cs[j] > 0;
	*stat = 0;
	*df = 0;
	*sparse = 0;
	*minexp = 0;
	if (nr < 2 || nc < 2) {
		free(rs);
		free(cs);
		return -1;
	}
	*minexp = tot;
	for (size_t i = 0; i < r; i++)
		for (size_t j = 0; j < c; j++) {
			if (rs[i] <= 0 || cs[j] <= 0)
				continue;
			e = rs[i] * cs[j] / tot;
			x2 += ((double)obs[i * c + j] - e) *
			    ((double)obs[i * c + j] - e) / e;
			*sparse += e < 5;
			if (e < *minexp)
				*minexp = e;
		}
	free(rs);
	free(cs);
	*stat = x2;
	*df = (unsigned)((nr - 1) * (nc - 1));
	return score_chisq_q(x2, (double)*df);
}

struct ranked {
	double	 p;
	size_t	 i;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
score_adjust(enum score_adjust how, const double *p, size_t m, double *adj)
{
	struct ranked *r;
	double run, v;

	if (m == 0)
		return;
	r = xcalloc(m, sizeof(*r));
	for (size_t i = 0; i < m; i++) {
		r[i].p = p[i];
		r[i].i = i;
	}
	qsort(r, m, sizeof(*r), cmp_ranked);
	if (how == SCORE_HOLM) {
		run = 0;
		for (size_t j = 0; j < m; j++) {
			v = (double)(m - j) * r[j].p;
			if (v > run)
				run = v;
			adj[r[j].i] = run < 1 ? run : 1;
		}
	} else {
		run = 1;
		for (size_t j = m; j-- > 0;) {
			v = (double)m * r[j].p / (double)(j + 1);
			if (v < run)
				run = v;
			adj[r[j].i] = run;
		}
	}
	free(r);
}

/*
 * The regularised incomplete beta function I_x(a, b), by its continued
 * fraction (modified Lentz), using the symmetry for x past the mean.
 */
static double
ibeta(double x, double a, double b)
{
	double lbeta, front, c, d, f, num;
	int flip = 0;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	if (x > (a + 1) / (a + b + 2)) {
		double t = a;

		a = b;
		b = t;
		x = 1 - x;
		flip = 1;
	}
	lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
	front = exp(log(x) * a + log(1 - x) * b - lbeta) / a;
	f = 1;
	c = 1;
	d = 0;
	for (int i = 0; i <= 400; i++) {
		int m = i / 2;
		double cd;

		if (i == 0)
			num = 1;
		else if (i % 2 == 0)
			num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		else
			num = -((a + m) * (a + b + m) * x) /
			    ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + num * d;
		if (fabs(d) < 1e-300)
			d = 1e-300;
		d = 1 / d;
		c = 1 + num / c;
		if (fabs(c) < 1e-300)
			c = 1e-300;
		cd = c * d;
		f *= cd;
		if (fabs(1 - cd) < 1e-12)
			break;
	}
	f = front * (f - 1);
	return flip ? 1 - f : f;
}

/* P(T <= t) for Student's t with df degrees of freedom. */
static double
t_cdf(double t, double df)
{
	double tail = 0.5 * ibeta(df / (df + t * t), df / 2, 0.5);

	return t > 0 ? 1 - tail : tail;
}

double
score_t(double level, double df)
{
	double want = 1 - (1 - level) / 2, lo = 0, hi = 1;

	if (df <= 0)
		return NAN;
	while (t_cdf(hi, df) < want && hi < 1e7)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-10 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (t_cdf(mid, df) < want)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

size_t
score_median_rank(size_t n, double level)
{
	double alpha = 1 - level, cum = 0, lp;
	size_t r;

	if (n < 2)
		return 0;
	if (n > 2000) {
		double z = score_z(level);

		r = (size_t)floor((n - z * sqrt((double)n)) / 2);
		return r >= 2 ? r : 0;
	}
	/*
	 * (x_(r), x_(n+1-r)) misses the median with probability
	 * 2 P(B <= r - 1), B ~ Bin(n, 1/2): take the largest r it allows.
	 */
	for (r = 0; r < n / 2; r++) {
		lp = lgamma(n + 1.0) - lgamma(r + 1.0) - lgamma(n - r + 1.0) +
		    n * log(0.5);
		cum += exp(lp);
		if (2 * cum > alpha)
			break;
	}
	/* P(B <= r - 1) <= alpha / 2 holds for ranks up to r. */
	return r >= 2 ? r : 0;
}
