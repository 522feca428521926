/* SPDX-License-Identifier: MIT */
/*
 * A "libcurl.so.4" with nothing in it, for t1000: with it first on
 * LD_LIBRARY_PATH, whc collect must say that libcurl is unusable, and the
 * commands that do not use the network must not notice.
 */
int whc_not_libcurl;
