LIB_OBJS += $(addprefix $(B)/collector/, collect_import.o collect_renorm.o)
