#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>

/*
 * The unit directory (units.ini): units with their addresses, groups of
 * units, and the aliases plans use for them.
 */
struct units;

struct unit_info {
	char		*code;
	char		*name;
	char		**aliases;
	size_t		 naliases;
	char		**emails;
	size_t		 nemails;
	char		*webhook;
	char		*webhook_secret_file;
	char		*webhook_template;
	char		*parent;
	char		*lang;		/* vi or en */
	int		 lang_set;	/* lang written in the file */
	unsigned	 line;
};

struct group_info {
	char		*code;
	char		*name;
	char		**aliases;
	size_t		 naliases;
	char		**members;
	size_t		 nmembers;
	unsigned	 line;
};

/* Reads and checks a directory; NULL and *cause ("FILE:LINE: ..." lines). */
struct units	*units_load(const char *, char **);
void		 units_free(struct units *);
/* Gives lang (vi or en) to every unit whose entry names no language. */
void		 units_default_lang(struct units *, const char *);
size_t		 units_count(const struct units *);
const struct unit_info *units_unit(const struct units *, size_t);
size_t		 units_group_count(const struct units *);
const struct group_info *units_group(const struct units *, size_t);
const struct unit_info *units_find(const struct units *, const char *);
const struct group_info *units_find_group(const struct units *, const char *);
/* Matches a phrase by folded name or alias (assign_lookup's shape). */
const char	*units_lookup(void *, const char *, int *);
/* 1 if s is a valid unit or group code: [a-z0-9][a-z0-9-]*, <= 32. */
int		 units_valid_code(const char *);

#endif
