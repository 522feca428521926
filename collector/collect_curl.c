/* SPDX-License-Identifier: MIT */
/*
 * libcurl, loaded when the collector first needs it.
 *
 * libcurl brings some thirty shared libraries with it (TLS, HTTP/2,
 * Kerberos, LDAP, SSH, IDN, compression...); linking them into whc made
 * every command, `whc breakdown` and `whc check` included, spend about
 * 13 ms in the dynamic linker before main().  Only `whc collect` talks to
 * the network, so whc is not linked with libcurl: the few libcurl
 * functions the collector calls (collect_http.c) are defined here with
 * libcurl's own prototypes, from <curl/curl.h>, and each one calls the
 * real function, found with dlopen()/dlsym() on the first call.  (git
 * keeps libcurl out of its main binary for the same reason, in its
 * git-remote-http helper.)  collect_http.c is unchanged and keeps
 * libcurl's compile-time type checks of curl_easy_setopt().
 *
 * curl_easy_setopt() and curl_easy_getinfo() take one variable argument
 * whose type follows from the option's number (libcurl's own CURLOPTTYPE_
 * and CURLINFO_ ranges), which is how it is passed on.
 *
 * If libcurl cannot be loaded, every function fails the way libcurl's own
 * fails (CURLE_FAILED_INIT, NULL, -1) and collect_curl_error() says why.
 */
#define CURL_DISABLE_TYPECHECK 1

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * curl_url_get() took a CURLU * before libcurl 8 and takes a const one
 * since: its declaration is renamed out of the way, and the one below
 * (the same symbol and calling convention either way) is used instead.
 */
#define curl_url_get whc_curl_url_get_as_declared
#include <curl/curl.h>
#undef curl_url_get

#include "collector/collect_int.h"

CURLUcode curl_url_get(const CURLU *, CURLUPart, char **, unsigned int);

#ifndef WHC_LIBCURL
#define WHC_LIBCURL "libcurl.so.4"
#endif

typedef void (*curl_fn)(void);

static struct {
	CURLcode	(*global_init)(long);
	void		(*global_cleanup)(void);
	CURL		*(*easy_init)(void);
	CURLcode	(*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	(*easy_perform)(CURL *);
	void		(*easy_cleanup)(CURL *);
	CURLcode	(*easy_getinfo)(CURL *, CURLINFO, ...);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		(*slist_free_all)(struct curl_slist *);
	void		(*cfree)(void *);
	time_t		(*getdate)(const char *, const time_t *);
	CURLU		*(*url)(void);
	void		(*url_cleanup)(CURLU *);
	CURLUcode	(*url_set)(CURLU *, CURLUPart, const char *,
			    unsigned int);
	CURLUcode	(*url_get)(const CURLU *, CURLUPart, char **,
			    unsigned int);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char why[256];

/* Finds NAME in libcurl; 0, or -1 with why[] set. */
static int
sym(void *lib, const char *name, void *fp, size_t size)
{
	void *p = dlsym(lib, name);

	if (p == NULL) {
		snprintf(why, sizeof(why), "%s has no %s", WHC_LIBCURL, name);
		return -1;
	}
	/* A data pointer from dlsym() into a function pointer (POSIX). */
	memcpy(fp, &p, size);
	return 0;
}

#define SYM(field, name) sym(lib, name, &api.field, sizeof(api.field))

static void
load(void)
{
	void *lib = dlopen(WHC_LIBCURL, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		snprintf(why, sizeof(why), "cannot load %s: %s", WHC_LIBCURL,
		    dlerror());
		return;
	}
	if (SYM(global_init, "curl_global_init") ||
	    SYM(global_cleanup, "curl_global_cleanup") ||
	    SYM(easy_init, "curl_easy_init") ||
	    SYM(easy_setopt, "curl_easy_setopt") ||
	    SYM(easy_perform, "curl_easy_perform") ||
	    SYM(easy_cleanup, "curl_easy_cleanup") ||
	    SYM(easy_getinfo, "curl_easy_getinfo") ||
	    SYM(easy_strerror, "curl_easy_strerror") ||
	    SYM(slist_append, "curl_slist_append") ||
	    SYM(slist_free_all, "curl_slist_free_all") ||
	    SYM(cfree, "curl_free") ||
	    SYM(getdate, "curl_getdate") ||
	    SYM(url, "curl_url") ||
	    SYM(url_cleanup, "curl_url_cleanup") ||
	    SYM(url_set, "curl_url_set") ||
	    SYM(url_get, "curl_url_get"))
		return;		/* the library stays loaded: harmless */
	loaded = 1;
}

static int
ready(void)
{
	pthread_once(&once, load);
	return loaded;
}

const char *
collect_curl_error(void)
{
	return ready() ? NULL : why;
}

CURLcode
curl_global_init(long flags)
{
	return ready() ? api.global_init(flags) : CURLE_FAILED_INIT;
}

void
curl_global_cleanup(void)
{
	if (ready())
		api.global_cleanup();
}

CURL *
curl_easy_init(void)
{
	return ready() ? api.easy_init() : NULL;
}

CURLcode
curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	CURLcode rc = CURLE_FAILED_INIT;
	va_list ap;

	if (!ready())
		return rc;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = api.easy_setopt(curl, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = api.easy_setopt(curl, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = api.easy_setopt(curl, option, va_arg(ap, curl_fn));
	else if (option < CURLOPTTYPE_BLOB)
		rc = api.easy_setopt(curl, option, va_arg(ap, curl_off_t));
	else
		rc = api.easy_setopt(curl, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_perform(CURL *curl)
{
	return ready() ? api.easy_perform(curl) : CURLE_FAILED_INIT;
}

void
curl_easy_cleanup(CURL *curl)
{
	if (ready())
		api.easy_cleanup(curl);
}

/* Every CURLINFO_ kind is answered through a pointer. */
CURLcode
curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	CURLcode rc = CURLE_FAILED_INIT;
	va_list ap;

	if (!ready())
		return rc;
	va_start(ap, info);
	rc = api.easy_getinfo(curl, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

const char *
curl_easy_strerror(CURLcode code)
{
	return ready() ? api.easy_strerror(code) : why;
}

struct curl_slist *
curl_slist_append(struct curl_slist *list, const char *data)
{
	return ready() ? api.slist_append(list, data) : NULL;
}

void
curl_slist_free_all(struct curl_slist *list)
{
	if (ready())
		api.slist_free_all(list);
}

void
curl_free(void *p)
{
	if (ready())
		api.cfree(p);
}

time_t
curl_getdate(const char *p, const time_t *unused)
{
	return ready() ? api.getdate(p, unused) : (time_t)-1;
}

CURLU *
curl_url(void)
{
	return ready() ? api.url() : NULL;
}

void
curl_url_cleanup(CURLU *u)
{
	if (ready())
		api.url_cleanup(u);
}

CURLUcode
curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	return ready() ? api.url_set(u, what, part, flags) :
	    CURLUE_OUT_OF_MEMORY;
}

CURLUcode
curl_url_get(const CURLU *u, CURLUPart what, char **part, unsigned int flags)
{
	return ready() ? api.url_get(u, what, part, flags) :
	    CURLUE_OUT_OF_MEMORY;
}
