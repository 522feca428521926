# SPDX-License-Identifier: MIT
# reports/: committee charts drawn by gnuplot (report_gnuplot.c is the only
# file that speaks gnuplot's language).  common/proc.o, which runs gnuplot,
# is listed by common/Module.mk.  tests/report-demo.c is a stand-alone
# driver built by hand (see its header), not part of this build.
LIB_OBJS += $(addprefix $(B)/reports/, report_gnuplot.o report_stacked.o \
	report_label.o report_frame.o report_csv.o \
	report_chart.o report_share.o report_trend.o report_grouped.o \
	report_pack.o report_png.o)
