/* SPDX-License-Identifier: MIT */
/*
 * Growable arrays: VEC_GROW(a, nr, cap) makes room for nr elements in the
 * array a whose allocated length is cap, growing by half again each time.
 */
#ifndef VEC_H
#define VEC_H

#include "common/xalloc.h"

#define VEC_GROW(a, nr, cap)						\
	do {								\
		if ((size_t)(nr) > (size_t)(cap)) {			\
			size_t vec_n_ = (size_t)(cap) * 3 / 2 + 16;	\
			if (vec_n_ < (size_t)(nr))			\
				vec_n_ = (size_t)(nr);			\
			(a) = xreallocarray((a), vec_n_, sizeof(*(a)));	\
			(cap) = vec_n_;					\
		}							\
	} while (0)

#endif /* VEC_H */
