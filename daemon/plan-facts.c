/*
 * What a plan says of itself in the prose around its table: the title
 * after "KẾ HOẠCH", the year it names and its place-and-date line
 * ("Tuy Phước, ngày 12 tháng 3 năm 2024").
 */
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"
#include "xmalloc.h"


/* Finds the word w in folded text f; returns what follows it or NULL. */
static const char *
plan_find_word(const char *f, const char *w)
{
	const char	*p = f;
	size_t		 n = strlen(w);

	while ((p = strstr(p, w)) != NULL) {
		if ((p == f || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return (p + n);
		p += n;
	}
	return (NULL);
}

/* The year in "năm 2024" of text, or 0. */
static int
plan_find_year(const char *text)
{
	char		*f = plan_text_fold(text);
	const char	*p = f;
	int		 year = 0;

	while (year == 0 && (p = plan_find_word(p, "nam")) != NULL) {
		if (p[0] == ' ' && strspn(p + 1, "0123456789") == 4 &&
		    (p[5] == ' ' || p[5] == '\0') &&
		    (p[1] == '1' || p[1] == '2'))
			year = (int)strtol(p + 1, NULL, 10);
	}
	free(f);
	return (year);
}

/* Days of a month of the Gregorian calendar. */
static int
plan_month_days(int year, int month)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 ||
	    year % 400 == 0))
		return (29);
	return (days[month - 1]);
}

/* A number of one to four digits at p followed by a space or the end. */
static int
plan_number_at(const char *p, int max)
{
	size_t	n = strspn(p, "0123456789");
	int	v;

	if (n == 0 || n > 4 || (p[n] != ' ' && p[n] != '\0'))
		return (0);
	v = (int)strtol(p, NULL, 10);
	return (v >= 1 && v <= max ? v : 0);
}

/*
 * The day and month of the place-and-date line in folded text f,
 * "... ngay 12 thang 3 nam 2024" (also "ngay 05 thang 02"): 0 when the
 * words are not there in that order with valid numbers.
 */
static void
plan_find_day_month(const char *f, int *day, int *month)
{
	const char	*p = f;

	*day = *month = 0;
	while ((p = plan_find_word(p, "ngay")) != NULL) {
		if (*p != ' ' || (*day = plan_number_at(p + 1, 31)) == 0)
			continue;
		p += 1 + strspn(p + 1, "0123456789");
		if (strncmp(p, " thang ", 7) == 0 &&
		    (*month = plan_number_at(p + 7, 12)) != 0)
			return;
		*day = 0;
	}
}

/*
 * The document's number on a line "Số: 45/KH-UBND": the word before the
 * colon, then one word that starts with a digit and holds a '/' (a draft's
 * "Số: /KH-UBND" has none); caller frees, NULL if none.
 */
static char *
plan_find_number(const char *text)
{
	const char	*colon = strchr(text, ':'), *p, *end;
	char		*head, *f;
	int		 is_so;

	if (colon == NULL || colon - text > 16)
		return (NULL);
	head = xstrndup(text, (size_t)(colon - text));
	f = plan_text_fold(head);
	is_so = strcmp(f, "so") == 0;
	free(head);
	free(f);
	for (p = colon + 1; *p == ' '; p++)
		;
	end = p + strcspn(p, " ");
	if (!is_so || *p < '0' || *p > '9' || end - p > 40 ||
	    memchr(p, '/', (size_t)(end - p)) == NULL)
		return (NULL);
	return (xstrndup(p, (size_t)(end - p)));
}

/* A plan code from the document's number and year, or NULL. */
char *
plan_number_code(const struct plan_table *table)
{
	char	*f, *code;
	size_t	 i;
	int	 year = table->issued_year != 0 ? table->issued_year :
		    table->year;

	if (table->number == NULL)
		return (NULL);
	f = plan_text_fold(table->number);
	if (strlen(f) > 26)
		f[26] = '\0';
	for (i = strlen(f); i > 0 && f[i - 1] == ' '; i--)
		f[i - 1] = '\0';
	for (i = 0; f[i] != '\0'; i++) {
		if (f[i] == ' ' || f[i] == '#')
			f[i] = '-';
	}
	if (year != 0)
		xasprintf(&code, "%s-%d", f, year);
	else
		code = xstrdup(f);
	free(f);
	return (code);
}

/* Reads a line of prose (cleaned text): the title and the date line. */
void
plan_facts_line(struct plan_facts *pf, const char *text)
{
	char	*f, *title;

	if (*text == '\0') {
		if (pf->title_next == 2)
			pf->title_next = 3;
	} else if (pf->title_next == 0) {
		f = plan_text_fold(text);
		if (strcmp(f, "ke hoach") == 0)
			pf->title_next = 1;
		free(f);
	} else if (pf->title_next == 1) {
		pf->title = xstrdup(text);
		pf->title_next = 2;
	} else if (pf->title_next == 2 && strlen(pf->title) < 1024) {
		xasprintf(&title, "%s %s", pf->title, text);
		free(pf->title);
		pf->title = title;
	}
	if (pf->number == NULL && *text != '\0')
		pf->number = plan_find_number(text);
	if (pf->date_year == 0 && *text != '\0') {
		f = plan_text_fold(text);
		if (plan_find_word(f, "ngay") != NULL) {
			pf->date_year = plan_find_year(text);
			plan_find_day_month(f, &pf->date_day, &pf->date_month);
		}
		free(f);
	}
}

/* Gives the facts to the table: title (taken over), year, issue date. */
void
plan_facts_finish(struct plan_facts *pf, struct plan_table *table)
{
	table->year = pf->title != NULL ? plan_find_year(pf->title) : 0;
	if (table->year == 0)
		table->year = pf->date_year;
	if (pf->date_year != 0 && pf->date_month != 0 &&
	    pf->date_day <= plan_month_days(pf->date_year, pf->date_month)) {
		table->issued_year = pf->date_year;
		table->issued_month = pf->date_month;
		table->issued_day = pf->date_day;
	}
	table->title = pf->title;
	pf->title = NULL;
	table->number = pf->number;
	pf->number = NULL;
}

/* Frees what the facts hold. */
void
plan_facts_clear(struct plan_facts *pf)
{
	free(pf->title);
	free(pf->number);
	memset(pf, 0, sizeof *pf);
}
