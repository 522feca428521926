# SPDX-License-Identifier: MIT
# collector/: getting responses in.  collect_import.c reads CSV files,
# collect_run.c runs `whc collect` through one driver per provider
# (collect_<provider>.c) and the libcurl transport (collect_http.c, with
# libcurl loaded on first use by collect_curl.c); both
# paths store responses through collect_ingest.c.  collect_renorm.c
# re-derives normalised answers from stored raw values; collect_check.c,
# collect_scan.c and collect_odd.c are `whc check`'s pass over exports.
LIB_OBJS += $(addprefix $(B)/collector/, collect_import.o collect_ingest.o \
	collect_run.o collect_http.o collect_curl.o collect_util.o collect_surveymonkey.o \
	collect_smartsurvey.o collect_qualtrics.o collect_limesurvey.o \
	collect_typeform.o collect_renorm.o collect_odd.o collect_check.o \
	collect_scan.o)

$(B)/collector/collect_curl.o: CPPFLAGS += -DWHC_LIBCURL='"$(CURL_SONAME)"'
