/*
 * The check every plan harness makes of a cell (fuzz_plan.c, and the
 * office readers' through office_zip.h): its bullets are non-empty and
 * trimmed.
 */
#ifndef PLAN_BULLETS_H
#define PLAN_BULLETS_H

#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* Splits a cell and checks the items are non-empty and trimmed. */
static void
fuzz_check_bullets(const char *cell)
{
	char	**items;
	size_t	  n, i, len;

	n = plan_split_bullets(cell, &items);
	for (i = 0; i < n; i++) {
		len = strlen(items[i]);
		if (len == 0 || items[i][0] == ' ' || items[i][len - 1] == ' ')
			abort();
	}
	plan_bullets_free(items, n);
}

#endif
