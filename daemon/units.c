/*
 * The unit directory.  Names and aliases are folded (fold.c) into one
 * sorted index, so that a plan's "Phòng Văn hoá – Thông tin huyện" finds
 * the unit named "Phòng Văn hóa và Thông tin".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fold.h"
#include "inifile.h"
#include "mime.h"
#include "units.h"
#include "webhook-payload.h"
#include "xmalloc.h"

struct units_key {
	char		*folded;
	size_t		 index;
	int		 is_group;
	unsigned	 line;
};

struct units {
	struct unit_info	*units;
	size_t			 nunits;
	struct group_info	*groups;
	size_t			 ngroups;
	struct units_key	*keys;
	size_t			 nkeys;
};

struct units_parse {
	struct units		*u;
	struct inifile_errors	*errs;
	const char		*path;
	char			*section;	/* last section seen */
	int			 current;	/* index, or -1 for a bad one */
	int			 is_group;
};

int
units_valid_code(const char *s)
{
	size_t	n;

	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return (0);
	for (n = 0; s[n] != '\0'; n++) {
		if (!islower((unsigned char)s[n]) &&
		    !isdigit((unsigned char)s[n]) && s[n] != '-')
			return (0);
	}
	return (n <= 32);
}

/* Appends a trimmed copy of each piece of value split at sep. */
static void
units_add_list(char ***list, size_t *n, const char *value, const char *sep)
{
	char	*copy, *piece, *save = NULL, *end;

	copy = xstrdup(value);
	for (piece = strtok_r(copy, sep, &save); piece != NULL;
	    piece = strtok_r(NULL, sep, &save)) {
		while (isspace((unsigned char)*piece))
			piece++;
		end = piece + strlen(piece);
		while (end > piece && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*piece == '\0')
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = xstrdup(piece);
	}
	free(copy);
}

/* Starts a [unit CODE] or [group CODE] section. */
static void
units_begin(struct units_parse *p, const char *section, unsigned line)
{
	struct units	*u = p->u;
	const char	*code;

	free(p->section);
	p->section = xstrdup(section);
	p->current = -1;
	if (strncmp(section, "unit ", 5) == 0)
		p->is_group = 0;
	else if (strncmp(section, "group ", 6) == 0)
		p->is_group = 1;
	else {
		inifile_error(p->errs, p->path, line, "unknown section [%s] "
		    "(expected [unit CODE] or [group CODE])", section);
		return;
	}
	code = section + (p->is_group ? 6 : 5);
	if (!units_valid_code(code)) {
		inifile_error(p->errs, p->path, line, "bad code '%s' (lower-"
		    "case letters, digits and '-', at most 32)", code);
		return;
	}
	if (units_find(u, code) != NULL || units_find_group(u, code) != NULL) {
		inifile_error(p->errs, p->path, line, "code '%s' defined twice",
		    code);
		return;
	}
	if (p->is_group) {
		u->groups = xreallocarray(u->groups, u->ngroups + 1,
		    sizeof *u->groups);
		memset(&u->groups[u->ngroups], 0, sizeof *u->groups);
		u->groups[u->ngroups].code = xstrdup(code);
		u->groups[u->ngroups].line = line;
		p->current = (int)u->ngroups++;
	} else {
		u->units = xreallocarray(u->units, u->nunits + 1,
		    sizeof *u->units);
		memset(&u->units[u->nunits], 0, sizeof *u->units);
		u->units[u->nunits].code = xstrdup(code);
		u->units[u->nunits].line = line;
		p->current = (int)u->nunits++;
	}
}

/* Sets a single-valued string, refusing a second value. */
static void
units_set_once(struct units_parse *p, char **field, const char *key,
    const char *value, unsigned line)
{
	if (*field != NULL) {
		inifile_error(p->errs, p->path, line, "%s set twice", key);
		return;
	}
	*field = xstrdup(value);
}

/* Checks a webhook URL: https, or http to a loopback address. */
static int
units_valid_webhook(const char *url)
{
	static const char *loopback[] = { "http://127.0.0.1", "http://[::1]",
	    "http://localhost" };
	size_t	i, n;

	if (strpbrk(url, " \t\r\n\"<>\\") != NULL)
		return (0);
	if (strncmp(url, "https://", 8) == 0 && url[8] != '\0' &&
	    url[8] != '/')
		return (1);
	for (i = 0; i < 3; i++) {
		n = strlen(loopback[i]);
		if (strncmp(url, loopback[i], n) == 0 &&
		    (url[n] == ':' || url[n] == '/' || url[n] == '\0'))
			return (1);
	}
	return (0);
}

/* One key of a [unit CODE] section. */
static void
units_unit_key(struct units_parse *p, struct unit_info *ui, const char *key,
    const char *value, unsigned line)
{
	char	*cause = NULL;
	size_t	 first = ui->nemails, i;

	if (strcmp(key, "name") == 0)
		units_set_once(p, &ui->name, key, value, line);
	else if (strcmp(key, "aliases") == 0)
		units_add_list(&ui->aliases, &ui->naliases, value, "|");
	else if (strcmp(key, "email") == 0) {
		units_add_list(&ui->emails, &ui->nemails, value, ",");
		for (i = first; i < ui->nemails; i++) {
			if (mime_check_address(ui->emails[i], &cause) == 0)
				continue;
			inifile_error(p->errs, p->path, line, "malformed email "
			    "address '%s': %s", ui->emails[i], cause);
			free(cause);
			cause = NULL;
		}
	} else if (strcmp(key, "webhook") == 0) {
		if (!units_valid_webhook(value))
			inifile_error(p->errs, p->path, line, "webhook must be "
			    "an https:// URL (http:// only to loopback): '%s'",
			    value);
		units_set_once(p, &ui->webhook, key, value, line);
	} else if (strcmp(key, "webhook_secret_file") == 0)
		units_set_once(p, &ui->webhook_secret_file, key, value, line);
	else if (strcmp(key, "webhook_template") == 0) {
		if (webhook_payload_format(value) < 0)
			inifile_error(p->errs, p->path, line, "webhook_template "
			    "must be json, slack, telegram, teams or googlechat");
		units_set_once(p, &ui->webhook_template, key, value, line);
	} else if (strcmp(key, "parent") == 0)
		units_set_once(p, &ui->parent, key, value, line);
	else if (strcmp(key, "lang") == 0) {
		if (strcmp(value, "vi") != 0 && strcmp(value, "en") != 0)
			inifile_error(p->errs, p->path, line, "lang must be vi "
			    "or en");
		units_set_once(p, &ui->lang, key, value, line);
		ui->lang_set = 1;
	} else
		inifile_error(p->errs, p->path, line, "unknown key '%s' in "
		    "[unit %s]", key, ui->code);
}

/* One key of a [group CODE] section. */
static void
units_group_key(struct units_parse *p, struct group_info *gi, const char *key,
    const char *value, unsigned line)
{
	if (strcmp(key, "name") == 0)
		units_set_once(p, &gi->name, key, value, line);
	else if (strcmp(key, "aliases") == 0)
		units_add_list(&gi->aliases, &gi->naliases, value, "|");
	else if (strcmp(key, "members") == 0)
		units_add_list(&gi->members, &gi->nmembers, value, " \t,");
	else
		inifile_error(p->errs, p->path, line, "unknown key '%s' in "
		    "[group %s]", key, gi->code);
}

/* The inih callback. */
static int
units_handler(void *arg, const char *section, const char *key,
    const char *value, unsigned line)
{
	struct units_parse	*p = arg;

	if (p->section == NULL || strcmp(p->section, section) != 0)
		units_begin(p, section, line);
	if (p->current < 0)
		return (-1);
	if (p->is_group)
		units_group_key(p, &p->u->groups[p->current], key, value, line);
	else
		units_unit_key(p, &p->u->units[p->current], key, value, line);
	return (0);
}

/* Orders index keys by folded text. */
static int
units_key_cmp(const void *a, const void *b)
{
	const struct units_key	*ka = a, *kb = b;

	return (strcmp(ka->folded, kb->folded));
}

/* Adds one folded name to the index. */
static void
units_index_add(struct units *u, const char *name, size_t index, int is_group,
    unsigned line)
{
	char	*folded;

	if (name == NULL)
		return;		/* reported as "has no name" */
	folded = fold_name(name);
	if (*folded == '\0') {
		free(folded);
		return;
	}
	u->keys = xreallocarray(u->keys, u->nkeys + 1, sizeof *u->keys);
	u->keys[u->nkeys].folded = folded;
	u->keys[u->nkeys].index = index;
	u->keys[u->nkeys].is_group = is_group;
	u->keys[u->nkeys].line = line;
	u->nkeys++;
}

/* Code of the unit or group an index key names. */
static const char *
units_key_code(const struct units *u, const struct units_key *k)
{
	return (k->is_group ? u->groups[k->index].code :
	    u->units[k->index].code);
}

/* Builds the sorted index and reports names two entries share. */
static void
units_index(struct units_parse *p)
{
	struct units	*u = p->u;
	size_t		 i, j;

	for (i = 0; i < u->nunits; i++) {
		units_index_add(u, u->units[i].code, i, 0, u->units[i].line);
		units_index_add(u, u->units[i].name, i, 0, u->units[i].line);
		for (j = 0; j < u->units[i].naliases; j++)
			units_index_add(u, u->units[i].aliases[j], i, 0,
			    u->units[i].line);
	}
	for (i = 0; i < u->ngroups; i++) {
		units_index_add(u, u->groups[i].code, i, 1, u->groups[i].line);
		units_index_add(u, u->groups[i].name, i, 1, u->groups[i].line);
		for (j = 0; j < u->groups[i].naliases; j++)
			units_index_add(u, u->groups[i].aliases[j], i, 1,
			    u->groups[i].line);
	}
	if (u->nkeys > 1)
		qsort(u->keys, u->nkeys, sizeof *u->keys, units_key_cmp);
	for (i = 1; i < u->nkeys; i++) {
		if (strcmp(u->keys[i - 1].folded, u->keys[i].folded) != 0)
			continue;
		if (u->keys[i - 1].is_group == u->keys[i].is_group &&
		    u->keys[i - 1].index == u->keys[i].index)
			continue;
		inifile_error(p->errs, p->path, u->keys[i].line, "duplicate "
		    "name or alias '%s': also used by '%s' (line %u)",
		    u->keys[i].folded, units_key_code(u, &u->keys[i - 1]),
		    u->keys[i - 1].line);
	}
}

/* Cross-entry checks: names present, parents and members exist. */
static void
units_cross_check(struct units_parse *p)
{
	struct units	*u = p->u;
	size_t		 i, j;

	for (i = 0; i < u->nunits; i++) {
		if (u->units[i].name == NULL)
			inifile_error(p->errs, p->path, u->units[i].line,
			    "unit %s has no name", u->units[i].code);
		if (u->units[i].lang == NULL)
			u->units[i].lang = xstrdup("vi");
		if (u->units[i].parent != NULL &&
		    units_find(u, u->units[i].parent) == NULL)
			inifile_error(p->errs, p->path, u->units[i].line,
			    "unit %s: unknown parent '%s'", u->units[i].code,
			    u->units[i].parent);
	}
	for (i = 0; i < u->ngroups; i++) {
		if (u->groups[i].name == NULL)
			inifile_error(p->errs, p->path, u->groups[i].line,
			    "group %s has no name", u->groups[i].code);
		if (u->groups[i].nmembers == 0)
			inifile_error(p->errs, p->path, u->groups[i].line,
			    "group %s has no members", u->groups[i].code);
		for (j = 0; j < u->groups[i].nmembers; j++)
			if (units_find(u, u->groups[i].members[j]) == NULL)
				inifile_error(p->errs, p->path,
				    u->groups[i].line, "group %s: member '%s' "
				    "is no unit", u->groups[i].code,
				    u->groups[i].members[j]);
	}
}

struct units *
units_load(const char *path, char **cause)
{
	struct units_parse	 p;

	memset(&p, 0, sizeof p);
	p.u = xcalloc(1, sizeof *p.u);
	p.errs = inifile_errors_new();
	p.path = path;
	p.current = -1;
	/* A file that could not be read has no entries to check. */
	if (inifile_parse(path, units_handler, &p, p.errs) == 0 ||
	    p.u->nunits + p.u->ngroups > 0) {
		units_cross_check(&p);
		units_index(&p);
	}
	if (inifile_error_count(p.errs) == 0 && p.u->nunits == 0)
		inifile_error(p.errs, path, 0, "no [unit CODE] section");
	free(p.section);
	if (inifile_error_count(p.errs) != 0) {
		*cause = inifile_errors_steal(p.errs);
		inifile_errors_free(p.errs);
		units_free(p.u);
		return (NULL);
	}
	inifile_errors_free(p.errs);
	return (p.u);
}

/* Frees an array of strings. */
static void
units_free_list(char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
units_default_lang(struct units *u, const char *lang)
{
	size_t	i;

	for (i = 0; i < u->nunits; i++) {
		if (u->units[i].lang_set)
			continue;
		free(u->units[i].lang);
		u->units[i].lang = xstrdup(lang);
	}
}

void
units_free(struct units *u)
{
	size_t	i;

	if (u == NULL)
		return;
	for (i = 0; i < u->nunits; i++) {
		free(u->units[i].code);
		free(u->units[i].name);
		units_free_list(u->units[i].aliases, u->units[i].naliases);
		units_free_list(u->units[i].emails, u->units[i].nemails);
		free(u->units[i].webhook);
		free(u->units[i].webhook_secret_file);
		free(u->units[i].webhook_template);
		free(u->units[i].parent);
		free(u->units[i].lang);
	}
	for (i = 0; i < u->ngroups; i++) {
		free(u->groups[i].code);
		free(u->groups[i].name);
		units_free_list(u->groups[i].aliases, u->groups[i].naliases);
		units_free_list(u->groups[i].members, u->groups[i].nmembers);
	}
	for (i = 0; i < u->nkeys; i++)
		free(u->keys[i].folded);
	free(u->units);
	free(u->groups);
	free(u->keys);
	free(u);
}

size_t
units_count(const struct units *u)
{
	return (u->nunits);
}

const struct unit_info *
units_unit(const struct units *u, size_t i)
{
	return (i < u->nunits ? &u->units[i] : NULL);
}

size_t
units_group_count(const struct units *u)
{
	return (u->ngroups);
}

const struct group_info *
units_group(const struct units *u, size_t i)
{
	return (i < u->ngroups ? &u->groups[i] : NULL);
}

const struct unit_info *
units_find(const struct units *u, const char *code)
{
	size_t	i;

	for (i = 0; i < u->nunits; i++)
		if (strcmp(u->units[i].code, code) == 0)
			return (&u->units[i]);
	return (NULL);
}

const struct group_info *
units_find_group(const struct units *u, const char *code)
{
	size_t	i;

	for (i = 0; i < u->ngroups; i++)
		if (strcmp(u->groups[i].code, code) == 0)
			return (&u->groups[i]);
	return (NULL);
}

const char *
units_lookup(void *arg, const char *phrase, int *is_group)
{
	const struct units	*u = arg;
	struct units_key	 key, *found;

	if (u->nkeys == 0)
		return (NULL);
	key.folded = fold_name(phrase);
	found = bsearch(&key, u->keys, u->nkeys, sizeof *u->keys,
	    units_key_cmp);
	free(key.folded);
	if (found == NULL)
		return (NULL);
	*is_group = found->is_group;
	return (units_key_code(u, found));
}
