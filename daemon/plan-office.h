#ifndef PLAN_OFFICE_H
#define PLAN_OFFICE_H

/*
 * Office documents by content: plan-office.c recognises the format and
 * hands the archive to its reader (plan-docx.c, plan-xlsx.c, plan-odf.c).
 */
#include <stddef.h>

#include "plan-private.h"

/* Called by plan.c. */
int	 plan_office_probe(const char *, size_t);
int	 plan_office_read(const char *, const char *, size_t, const char *,
	    struct plan_table *, char **);

#endif
