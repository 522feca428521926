LIB_OBJS += $(addprefix $(B)/scorer/, score_breakdown.o score_rows.o \
	score_suppress.o score_ledger.o score_tests.o score_stats.o \
	score_where.o score_headcount.o score_format.o score_doc.o \
	score_releases.o score_changes.o)
