#ifndef REPORT_XLSX_H
#define REPORT_XLSX_H

#include <stddef.h>

struct report;

/*
 * The report as an .xlsx workbook (units worst first, the total, header
 * frozen, widths set) into *data, caller frees; 0, or -1 and *cause.
 */
int	 report_xlsx_build(const struct report *, char **, size_t *, char **);

#endif
