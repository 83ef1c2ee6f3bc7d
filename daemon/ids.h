#ifndef IDS_H
#define IDS_H

#include <stddef.h>
#include <stdint.h>

/* Orders int64_t ids ascending, for qsort and bsearch. */
int	 id_cmp(const void *, const void *);
/* Sorts n ids and keeps each once, in place; the count kept. */
size_t	 ids_sort_unique(int64_t *, size_t);

#endif
