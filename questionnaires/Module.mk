LIB_OBJS += $(addprefix $(B)/questionnaires/, qn_load.o qn_norm.o)
