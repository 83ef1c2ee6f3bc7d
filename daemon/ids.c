/*
 * Lists of row ids (units, tasks, occurrences) sorted for bsearch or
 * walked once each: what the change log's readers and the digest's
 * lists of said and past items share.
 */
#include <stdlib.h>

#include "ids.h"

int
id_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

size_t
ids_sort_unique(int64_t *v, size_t n)
{
	size_t	i, kept = 0;

	if (n > 1)
		qsort(v, n, sizeof *v, id_cmp);
	for (i = 0; i < n; i++)
		if (kept == 0 || v[kept - 1] != v[i])
			v[kept++] = v[i];
	return (kept);
}
