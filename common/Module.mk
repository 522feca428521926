LIB_OBJS += $(addprefix $(B)/common/, xalloc.o buf.o diag.o text.o csv.o \
	sha256.o strmap.o config.o fsutil.o proc.o store.o store_schema.o \
	store_quality.o store_collect.o store_cols.o store_release.o)
