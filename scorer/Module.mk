LIB_OBJS += $(addprefix $(B)/scorer/, score_breakdown.o score_suppress.o score_format.o score_where.o \
	score_stats.o)
