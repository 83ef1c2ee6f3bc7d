#ifndef REPORT_MAIL_H
#define REPORT_MAIL_H

#include <stddef.h>

/*
 * The report mailed to the coordinator: subject, a plain text body that
 * fits 76 columns and an HTML body (units worst first), and the full
 * figures as CSV (UTF-8 with BOM) and .xlsx attachments.
 */
struct report;
struct report_row;

struct report_mail {
	char	*subject;
	char	*text;
	char	*html;
	char	*csv;		/* with a UTF-8 BOM */
	size_t	 csv_len;
	char	*csv_name;	/* "bao-cao-2024-05.csv" */
	char	*xlsx;		/* the workbook, or NULL */
	size_t	 xlsx_len;
	char	*xlsx_name;
};

/* The rows of a report worst first (lowest rate); caller frees. */
const struct report_row **report_mail_worst_first(const struct report *);
/* Renders everything but the workbook; report_mail_clear frees. */
void	 report_mail_render(const struct report *, struct report_mail *);
void	 report_mail_clear(struct report_mail *);

#endif
