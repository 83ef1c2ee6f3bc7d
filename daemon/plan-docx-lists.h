#ifndef PLAN_DOCX_LISTS_H
#define PLAN_DOCX_LISTS_H

#include <stddef.h>

struct zipfile;

/* plan-docx-lists.c: list markers of Word paragraphs. */
struct plan_docx_lists;
struct plan_docx_lists *plan_docx_lists_load(struct zipfile *, const char *,
	    char **);
void	 plan_docx_lists_marker(struct plan_docx_lists *, int, int,
	    const char *, char *, size_t);
void	 plan_docx_lists_free(struct plan_docx_lists *);

#endif
