LIB_OBJS += $(addprefix $(B)/questionnaires/, qn_json.o qn_load.o qn_norm.o \
	qn_teams.o qn_tally.o)
