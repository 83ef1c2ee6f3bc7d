/*
 * The items of a cell: bullets, numbered items and inline " - " bullets,
 * which pair the Nth task, unit and time of a row (see plan.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "plan-private.h"
#include "utf8.h"
#include "xmalloc.h"

/* Length of a leading bullet marker ("- ", "+ ", "• ", "– ") or 0. */
static size_t
plan_marker(const char *s)
{
	if ((s[0] == '-' || s[0] == '+' || s[0] == '*') && s[1] == ' ')
		return (2);
	if ((strncmp(s, "\xe2\x80\xa2", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x93", 3) == 0) && s[3] == ' ')
		return (4);
	return (0);
}

/* Length of a leading "N. " (N from 1 to 999); sets *number. */
static size_t
plan_number_marker(const char *s, int *number)
{
	size_t	 i = 0;
	int	 n = 0;

	while (i < 3 && s[i] >= '0' && s[i] <= '9')
		n = n * 10 + (s[i++] - '0');
	if (i == 0 || s[0] == '0' || s[i] != '.' || s[i + 1] != ' ')
		return (0);
	*number = n;
	return (i + 2);
}

/* 1 if continuation text starts a new bullet or numbered item. */
int
plan_bullets_starts_item(const char *s)
{
	int	 number;

	return (plan_marker(s) != 0 || plan_number_marker(s, &number) != 0);
}

/* Appends the trimmed text s..e to the item list unless empty. */
static void
plan_push_item(char ***items, size_t *n, const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e)
		return;
	*items = xreallocarray(*items, *n + 1, sizeof **items);
	(*items)[(*n)++] = xstrndup(s, (size_t)(e - s));
}

/*
 * 1 if the bullet separator " m " at s splits a bulleted line: it must be
 * followed by an upper-case letter, or by a digit not preceded by a digit
 * ("Tháng 6/2024 - Tháng 6/2024" splits, "2021 - 2025" does not).
 */
static int
plan_inline_bullet(const char *line, const char *s, const char *marker,
    size_t mlen)
{
	const char	*next;
	uint32_t	 cp;

	if (s[0] != ' ' || strncmp(s + 1, marker, mlen - 1) != 0 ||
	    s[mlen] != ' ')
		return (0);
	next = s + mlen + 1;
	if (*next >= '0' && *next <= '9')
		return (s == line || !(s[-1] >= '0' && s[-1] <= '9'));
	if (utf8_decode(next, strlen(next), &cp) == 0)
		return (0);
	return (fold_is_upper(cp));
}

/* Splits one line of a cell into items; *next is the expected number. */
static void
plan_split_line(const char *line, int *next, char ***items, size_t *n)
{
	const char	*s = line, *item, *marker = NULL;
	size_t		 mlen, len;
	int		 number;

	if ((mlen = plan_marker(s)) != 0) {
		marker = s;
		s += mlen;
	} else if ((len = plan_number_marker(s, &number)) != 0 &&
	    (number == *next || number == 1)) {
		*next = number + 1;
		s += len;
	}
	item = s;
	for (; *s != '\0'; s++) {
		if (marker != NULL && plan_inline_bullet(line, s, marker,
		    mlen)) {
			plan_push_item(items, n, item, s);
			s += mlen;
			item = s + 1;
		} else if (*next > 1 && s[0] == '.' && s[1] == ' ' &&
		    (len = plan_number_marker(s + 2, &number)) != 0 &&
		    number == *next) {
			plan_push_item(items, n, item, s + 1);
			*next = number + 1;
			s += 1 + len;
			item = s + 1;
		}
	}
	plan_push_item(items, n, item, s);
}

/* Splits a cell into its items (see plan.h); caller frees the items. */
size_t
plan_split_bullets(const char *cell, char ***items)
{
	const char	*line, *eol;
	char		*copy;
	size_t		 n = 0;
	int		 next = 1;

	*items = NULL;
	if (cell == NULL)
		return (0);
	for (line = cell; *line != '\0'; line = eol + (*eol != '\0')) {
		if ((eol = strchr(line, '\n')) == NULL)
			eol = line + strlen(line);
		while (line < eol && (*line == ' ' || *line == '\t'))
			line++;
		copy = xstrndup(line, (size_t)(eol - line));
		plan_split_line(copy, &next, items, &n);
		free(copy);
	}
	return (n);
}

/* Frees the items of plan_split_bullets(). */
void
plan_bullets_free(char **items, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
}
