/* SPDX-License-Identifier: MIT */
/* The documented exit statuses of whc (also in `whc --help` and README). */
#ifndef EXIT_H
#define EXIT_H

enum whc_exit {
	EXIT_OK = 0,		/* success (warnings allowed) */
	EXIT_DATA = 1,		/* the input had errors */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ENV = 3,		/* I/O, database, network or gnuplot failed */
};

#endif /* EXIT_H */
