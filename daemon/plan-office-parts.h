#ifndef PLAN_OFFICE_PARTS_H
#define PLAN_OFFICE_PARTS_H

/*
 * What the readers of office documents share below them: errors naming
 * the document, parts closed at their end, OOXML relationships, list
 * numbers and bullets (plan-office-parts.c); and the readers themselves,
 * which plan-office.c chooses among.
 */
#include <stddef.h>

struct plan_reader;
struct xmlpart;
struct zipfile;

/* The document's errors, "NAME: message"; returns -1. */
int	 plan_office_error(char **, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A list item's number n in a style: '1' (3), '0' (03), 'a' (c), 'A',
 * 'i' (iii), 'I'; into out.
 */
void	 plan_office_number(char, int, char *, size_t);
/* A bullet character as a house marker ("-", "+", "•"...) into out. */
void	 plan_office_bullet(const char *, char *, size_t);

/* Closes a part read to its end: 0, or -1 and *cause if rv is -1. */
int	 plan_office_part_end(struct xmlpart *, struct zipfile *, int,
	    char **);

/* OOXML relationships: the target of the first of a type, resolved. */
char	*plan_office_rel(struct zipfile *, const char *, const char *,
	    char **);				/* caller frees */
char	*plan_office_rel_id(struct zipfile *, const char *, const char *,
	    char **);				/* caller frees */

/* The readers; each fills the builder or *cause. */
int	 plan_docx_read(struct plan_reader *, struct zipfile *, const char *,
	    char **);
int	 plan_xlsx_read(struct plan_reader *, struct zipfile *, const char *,
	    const char *, char **);
int	 plan_odf_read(struct plan_reader *, struct zipfile *, int,
	    const char *, char **);

#endif
