# SPDX-License-Identifier: MIT
# collector/: getting responses in.  collect_import.c reads CSV files,
# collect_run.c runs `whc collect` through one driver per provider
# (collect_<provider>.c) and the libcurl transport (collect_http.c); both
# paths store responses through collect_ingest.c.
LIB_OBJS += $(addprefix $(B)/collector/, collect_import.o collect_ingest.o \
	collect_run.o collect_http.o collect_util.o collect_surveymonkey.o \
	collect_smartsurvey.o collect_qualtrics.o collect_limesurvey.o \
	collect_typeform.o)
