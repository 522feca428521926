CLI_OBJS += $(addprefix $(B)/cli/, main.o cmd_breakdown.o cmd_check.o \
	cmd_collect.o cmd_import.o cmd_quality.o cmd_releases.o \
	cmd_renormalise.o cmd_report.o)
