/* SPDX-License-Identifier: MIT */
/*
 * The numbers behind a chart as CSV, one line per plotted value: what a
 * committee clerk pastes into a spreadsheet.  Text cells are cleaned of
 * control characters and defused when a spreadsheet would read them as a
 * formula; withheld values are empty with the reason in "status".
 */
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "reports/report.h"

void
report_csv_header(struct buf *out)
{
	buf_adds(out, "group,year,measure,value,low,high,n,status\n");
}

void
report_csv_row(struct buf *out, const char *group, int year,
    const char *measure, int shown, double value, double lo, double hi,
    unsigned long n, const char *status)
{
	text_csv_field(out, group);
	buf_addf(out, ",%d,", year);
	text_csv_field(out, measure);
	if (shown)
		buf_addf(out, ",%.2f,%.2f,%.2f,%lu,", value, lo, hi, n);
	else if (n > 0)
		buf_addf(out, ",,,,%lu,", n);
	else
		buf_adds(out, ",,,,,");
	text_csv_field(out, status);
	buf_addc(out, '\n');
}
