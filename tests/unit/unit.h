/* SPDX-License-Identifier: MIT */
/*
 * The unit-test framework: TEST(name) { ... } defines a test, which must
 * also be listed in test_list.h.  runner.c runs each test in a forked child,
 * so a crash, an abort or a leak reported by the sanitizers fails that test
 * only, and prints TAP.  A failed ASSERT* prints file:line and the values
 * involved, then ends the test.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#define TEST(name)							\
	void test_##name(void);						\
	void test_##name(void)

/* Ends the current test as failed, after printing "file:line: " and fmt. */
void unit_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
void unit_check_str(const char *file, int line, const char *ea,
    const char *eb, const char *a, const char *b);
void unit_check_mem(const char *file, int line, const char *ea,
    const char *eb, const void *a, const void *b, size_t n);
void unit_check_near(const char *file, int line, const char *ea,
    const char *eb, double a, double b, double eps);
/* Forks for ASSERT_DIES; the child's stdio is flushed first. */
pid_t unit_fork(void);
/* Waits for pid and fails the test unless it was killed by a signal. */
void unit_check_died(const char *file, int line, const char *what,
    pid_t pid);

#define ASSERT(cond)							\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__,			\
			    "ASSERT(%s) failed", #cond);		\
	} while (0)

/* Integers of any type, compared and printed as intmax_t. */
#define ASSERT_EQ(a, b)							\
	do {								\
		intmax_t unit_a_ = (intmax_t)(a);			\
		intmax_t unit_b_ = (intmax_t)(b);			\
		if (unit_a_ != unit_b_)					\
			unit_fail(__FILE__, __LINE__,			\
			    "ASSERT_EQ(%s, %s) failed: %jd != %jd",	\
			    #a, #b, unit_a_, unit_b_);			\
	} while (0)

#define ASSERT_NE(a, b)							\
	do {								\
		intmax_t unit_a_ = (intmax_t)(a);			\
		intmax_t unit_b_ = (intmax_t)(b);			\
		if (unit_a_ == unit_b_)					\
			unit_fail(__FILE__, __LINE__,			\
			    "ASSERT_NE(%s, %s) failed: both %jd",	\
			    #a, #b, unit_a_);				\
	} while (0)

/* NUL-terminated strings; NULL is allowed and equals only NULL. */
#define ASSERT_STR_EQ(a, b)						\
	unit_check_str(__FILE__, __LINE__, #a, #b, (a), (b))

/* n bytes that may contain NULs. */
#define ASSERT_MEM_EQ(a, b, n)						\
	unit_check_mem(__FILE__, __LINE__, #a, #b, (a), (b), (n))

/* |a - b| <= eps; NaN never matches. */
#define ASSERT_NEAR(a, b, eps)						\
	unit_check_near(__FILE__, __LINE__, #a, #b, (a), (b), (eps))

/*
 * stmt must kill the process with a signal (BUG() and abort() do).  It
 * runs in a child of the test, so nothing it does survives.
 */
#define ASSERT_DIES(stmt)						\
	do {								\
		pid_t unit_pid_ = unit_fork();				\
		if (unit_pid_ == 0) {					\
			stmt;						\
			_exit(0);					\
		}							\
		unit_check_died(__FILE__, __LINE__, #stmt, unit_pid_);	\
	} while (0)

#endif /* UNIT_H */
