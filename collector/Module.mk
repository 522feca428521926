LIB_OBJS += $(addprefix $(B)/collector/, collect_import.o collect_renorm.o \
	collect_odd.o collect_check.o collect_scan.o)
