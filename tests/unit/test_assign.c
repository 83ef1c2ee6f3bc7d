/*
 * Tests of assign.c: hand-written bullets against a small directory, then
 * every "Cơ quan thực hiện" cell of the seed plan against config/units.ini.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ini.h>

#include "assign.h"
#include "fold.h"
#include "utf8.h"
#include "plan.h"
#include "xmalloc.h"

/* A directory entry: a folded name and what it names. */
struct dir_entry {
	char	*folded;
	char	*code;
	int	 is_group;
};

struct dir {
	struct dir_entry	*v;
	size_t			 n;
};

/* Adds a name of a unit or group to a directory. */
static void
dir_add(struct dir *d, const char *name, const char *code, int is_group)
{
	d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
	d->v[d->n].folded = fold_name(name);
	d->v[d->n].code = xstrdup(code);
	d->v[d->n].is_group = is_group;
	d->n++;
}

/* Frees a directory's entries. */
static void
dir_free(struct dir *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].folded);
		free(d->v[i].code);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* The lookup handed to assign: folds the phrase, compares names. */
static const char *
dir_lookup(void *arg, const char *phrase, int *is_group)
{
	struct dir	*d = arg;
	char		*folded = fold_name(phrase);
	size_t		 i;

	for (i = 0; i < d->n; i++) {
		if (strcmp(d->v[i].folded, folded) == 0) {
			free(folded);
			*is_group = d->v[i].is_group;
			return (d->v[i].code);
		}
	}
	free(folded);
	return (NULL);
}

/* The small directory of the hand-written cases. */
static const struct {
	const char	*name;
	const char	*code;
	int		 is_group;
} small_dir[] = {
	{ "Phòng Nội vụ", "noivu", 0 },
	{ "Phòng Tư pháp", "tuphap", 0 },
	{ "Văn phòng HĐND và UBND huyện", "vp", 0 },
	{ "Phòng Tài chính – Kế hoạch", "tckh", 0 },
	{ "Phòng Kinh tế và Hạ tầng", "kthatang", 0 },
	{ "Phòng Văn hóa và Thông tin", "vhtt", 0 },
	{ "Trung tâm Văn hóa - Thông tin - Thể thao", "ttvhtt", 0 },
	{ "Ban Quản lý Dự án đầu tư xây dựng và PTQĐ", "bqlda", 0 },
	{ "Chi cục Thuế", "thue", 0 },
	{ "Trung tâm Trợ giúp pháp lý", "trogiup", 0 },
	{ "UBND các xã, thị trấn", "xa", 1 },
	{ "Các phòng, ban chuyên môn", "phongban", 1 },
	{ "Các phòng chuyên môn", "phongban", 1 },
	{ "Các phòng", "phongban", 1 },
	{ "Các cơ quan, đơn vị có liên quan", "lienquan", 1 },
	{ "Các cơ quan, đơn vị, địa phương có liên quan", "diaphuong", 1 }
};

/* Fills a directory with small_dir. */
static void
small_dir_load(struct dir *d)
{
	size_t	 i;

	for (i = 0; i < sizeof small_dir / sizeof small_dir[0]; i++)
		dir_add(d, small_dir[i].name, small_dir[i].code,
		    small_dir[i].is_group);
}

#define MAX_UNITS	4

/* An expected unit: code ("?" for none), role letter, phrase or NULL. */
struct want_unit {
	const char	*code;
	char		 role;		/* 'L', 'S', 'R' */
	const char	*phrase;	/* checked when not NULL */
};

struct parse_case {
	const char		*bullet;
	int			 unknown;
	size_t			 n;
	struct want_unit	 units[MAX_UNITS];
};

/* Hand-written bullets and the units they name. */
static const struct parse_case parse_cases[] = {
	{ "Phòng Nội vụ", 0, 1, { { "noivu", 'L', "Phòng Nội vụ" } } },
	{ "Phòng Tư pháp; UBND các xã, thị trấn.", 0, 2, {
	    { "tuphap", 'L', "Phòng Tư pháp" },
	    { "xa", 'L', "UBND các xã, thị trấn" } } },
	{ "Các phòng, ban chuyên môn huyện, UBND các xã, thị trấn.", 0, 2, {
	    { "phongban", 'L', "Các phòng, ban chuyên môn huyện" },
	    { "xa", 'L', "UBND các xã, thị trấn" } } },
	{ "Phòng Văn hóa và Thông tin chủ trì phối hợp với các phòng, ban "
	    "chuyên môn có liên quan.", 0, 2, {
	    { "vhtt", 'L', "Phòng Văn hóa và Thông tin" },
	    { "phongban", 'S', "các phòng, ban chuyên môn có liên quan" } } },
	{ "Văn phòng HĐND và UBND chủ trì phối hợp với Phòng Nội vụ và các "
	    "phòng có liên quan", 0, 3, {
	    { "vp", 'L', "Văn phòng HĐND và UBND" },
	    { "noivu", 'S', "Phòng Nội vụ" },
	    { "phongban", 'S', "các phòng có liên quan" } } },
	{ "Phòng Nội vụ, Văn phòng HĐND và UBND huyện và các phòng chuyên "
	    "môn có liên quan.", 0, 3, {
	    { "noivu", 'L', NULL },
	    { "vp", 'L', "Văn phòng HĐND và UBND huyện" },
	    { "phongban", 'L', "các phòng chuyên môn có liên quan" } } },
	{ "Phòng Nội vụ phối hợp với UBND các xã, thị trấn, các cơ quan, đơn "
	    "vị có liên quan", 0, 3, {
	    { "noivu", 'L', NULL },
	    { "xa", 'S', "UBND các xã, thị trấn" },
	    { "lienquan", 'S', "các cơ quan, đơn vị có liên quan" } } },
	{ "X chủ trì, phối hợp với Phòng Tư pháp; Chi cục thuế", 1, 3, {
	    { "?", 'L', "X" },
	    { "tuphap", 'S', NULL },
	    { "thue", 'S', "Chi cục thuế" } } },
	{ "Phòng Tư pháp chủ trì", 0, 1, { { "tuphap", 'L', NULL } } },
	{ "Phối hợp với Phòng Tư pháp", 0, 1, { { "tuphap", 'S', NULL } } },
	{ "UBND các xã, thị trấn (qua Phòng Nội vụ)", 0, 2, {
	    { "xa", 'L', "UBND các xã, thị trấn" },
	    { "noivu", 'R', "Phòng Nội vụ" } } },
	{ "Phòng Tư pháp và Sở Tư pháp", 1, 2, {
	    { "tuphap", 'L', "Phòng Tư pháp" },
	    { "?", 'L', "Sở Tư pháp" } } },
	{ "Sở Nội vụ, Phòng Nội vụ", 1, 2, {
	    { "?", 'L', "Sở Nội vụ" }, { "noivu", 'L', NULL } } },
	{ "Phòng Tài chính – Kế hoạch; Chi cục thuế huyện; UBND các xã, thị "
	    "trấn", 0, 3, {
	    { "tckh", 'L', NULL }, { "thue", 'L', "Chi cục thuế huyện" },
	    { "xa", 'L', NULL } } },
	{ "PHO\xcc\x80NG NO\xcc\xa3\xcc\x82I VU\xcc\xa3", 0, 1, {
	    { "noivu", 'L', NULL } } },
	{ "UBND các xã, thị trấn có liên quan", 0, 1, {
	    { "xa", 'L', "UBND các xã, thị trấn có liên quan" } } },
	{ "Phòng Kinh tế và Hạ tầng phối hợp với Phòng Tài chính - Kế hoạch, "
	    "Ban Quản lý Dự án đầu tư xây dựng và PTQĐ huyện.", 0, 3, {
	    { "kthatang", 'L', NULL },
	    { "tckh", 'S', "Phòng Tài chính - Kế hoạch" },
	    { "bqlda", 'S', "Ban Quản lý Dự án đầu tư xây dựng và PTQĐ "
	    "huyện" } } },
	{ "Các cơ quan, đơn vị, địa phương có liên quan", 0, 1, {
	    { "diaphuong", 'L', NULL } } },
	{ "Trung tâm Văn hóa - Thông tin - Thể thao.", 0, 1, {
	    { "ttvhtt", 'L', "Trung tâm Văn hóa - Thông tin - Thể thao" } } },
	{ "UBND các xã, thị trấn trấn; Phòng Tư pháp", 0, 2, {
	    { "xa", 'L', "UBND các xã, thị trấn trấn" },
	    { "tuphap", 'L', NULL } } },
	{ "Phòng Nội vụ;; ; Phòng Tư pháp", 0, 2, {
	    { "noivu", 'L', NULL }, { "tuphap", 'L', NULL } } },
	/* Commas inside a collective: reported whole when unknown. */
	{ "Các phòng, ban, ngành", 1, 1, {
	    { "?", 'L', "Các phòng, ban, ngành" } } },
	{ "Các cơ quan, đơn vị liên quan, UBND các xã, thị trấn", 1, 2, {
	    { "?", 'L', "Các cơ quan, đơn vị liên quan" },
	    { "xa", 'L', NULL } } },
	{ "Phòng Nội vụ, các sở, ban, ngành tỉnh; Phòng Tư pháp", 1, 3, {
	    { "noivu", 'L', NULL }, { "?", 'L', "các sở, ban, ngành tỉnh" },
	    { "tuphap", 'L', NULL } } },
	{ "Phòng Tư pháp và các sở, ban, ngành tỉnh, Phòng Nội vụ", 1, 3, {
	    { "tuphap", 'L', "Phòng Tư pháp" },
	    { "?", 'L', "các sở, ban, ngành tỉnh" }, { "noivu", 'L', NULL } } },
	{ "Sở Văn hóa, Thể thao và Du lịch; Phòng Nội vụ", 1, 2, {
	    { "?", 'L', "Sở Văn hóa, Thể thao và Du lịch" },
	    { "noivu", 'L', NULL } } },
	{ "Sở Nội vụ, Sở Tư pháp", 2, 2, {
	    { "?", 'L', "Sở Nội vụ" }, { "?", 'L', "Sở Tư pháp" } } },
	/* Role words: "tham mưu", "giúp", not inside a name. */
	{ "Phòng Tư pháp tham mưu, Phòng Nội vụ phối hợp", 0, 2, {
	    { "tuphap", 'L', NULL }, { "noivu", 'S', NULL } } },
	{ "Phòng Nội vụ, Phòng Tư pháp chủ trì; Chi cục Thuế phối hợp", 0, 3, {
	    { "noivu", 'L', NULL }, { "tuphap", 'L', NULL },
	    { "thue", 'S', NULL } } },
	{ "Phòng Nội vụ giúp, Trung tâm Trợ giúp pháp lý", 0, 2, {
	    { "noivu", 'L', NULL }, { "trogiup", 'S', NULL } } },
	{ "Trung tâm Trợ giúp pháp lý, Phòng Tư pháp", 0, 2, {
	    { "trogiup", 'L', NULL }, { "tuphap", 'L', NULL } } },
	{ "", 0, 0, { { NULL, 0, NULL } } },
	{ " ; . ", 0, 0, { { NULL, 0, NULL } } }
};

/* Returns the letter of a role. */
static char
role_letter(enum assign_role role)
{
	return (role == ASSIGN_LEAD ? 'L' : role == ASSIGN_SUPPORT ? 'S' : 'R');
}

/* Checks one parsed unit against what is wanted. */
static void
check_unit(const char *bullet, const struct assign_unit *u,
    const struct want_unit *w)
{
	const char	*code = (u->code != NULL) ? u->code : "?";

	if (strcmp(code, w->code) != 0 || role_letter(u->role) != w->role ||
	    (w->phrase != NULL && strcmp(u->phrase, w->phrase) != 0))
		print_error("'%s': got %s/%c '%s', want %s/%c '%s'\n", bullet,
		    code, role_letter(u->role), u->phrase, w->code, w->role,
		    w->phrase != NULL ? w->phrase : "");
	assert_string_equal(code, w->code);
	assert_int_equal(role_letter(u->role), w->role);
	if (w->phrase != NULL)
		assert_string_equal(u->phrase, w->phrase);
	assert_int_equal(u->is_group, strcmp(w->code, "xa") == 0 ||
	    strcmp(w->code, "phongban") == 0 ||
	    strcmp(w->code, "lienquan") == 0 ||
	    strcmp(w->code, "diaphuong") == 0);
}

/* Hand-written bullets read into units and roles. */
static void
test_assign_parse(void **state)
{
	struct dir		 d = { NULL, 0 };
	struct assign_list	 list = { NULL, 0 };
	const struct parse_case	*c;
	size_t			 i, j;
	int			 unknown;

	small_dir_load(&d);
	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		c = &parse_cases[i];
		unknown = assign_parse(c->bullet, dir_lookup, &d, &list);
		if (list.n != c->n)
			print_error("'%s': %zu units, want %zu\n", c->bullet,
			    list.n, c->n);
		assert_int_equal(list.n, c->n);
		assert_int_equal(unknown, c->unknown);
		for (j = 0; j < c->n; j++)
			check_unit(c->bullet, &list.v[j], &c->units[j]);
		assign_list_clear(&list);
		assert_int_equal(list.n, 0);
	}
	dir_free(&d);
}

/* Units of several bullets accumulate in one list. */
static void
test_assign_parse_appends(void **state)
{
	struct dir		 d = { NULL, 0 };
	struct assign_list	 list = { NULL, 0 };

	small_dir_load(&d);
	assert_int_equal(assign_parse("Phòng Nội vụ", dir_lookup, &d, &list),
	    0);
	assert_int_equal(assign_parse("Phòng Tư pháp; Sở Y tế", dir_lookup, &d,
	    &list), 1);
	assert_int_equal(list.n, 3);
	assert_int_equal(list.v[1].role, ASSIGN_LEAD);
	assert_int_equal(list.v[2].role, ASSIGN_LEAD);
	assert_null(list.v[2].code);
	assert_string_equal(list.v[2].phrase, "Sở Y tế");
	assign_list_clear(&list);
	/* A support column's cell: every doer supports, (qua X) receives. */
	assert_int_equal(assign_parse_support("Phòng Nội vụ; UBND các xã, thị "
	    "trấn (qua Phòng Tư pháp)", dir_lookup, &d, &list), 0);
	assert_int_equal(list.n, 3);
	assert_int_equal(list.v[0].role, ASSIGN_SUPPORT);
	assert_int_equal(list.v[1].role, ASSIGN_SUPPORT);
	assert_string_equal(list.v[2].code, "tuphap");
	assert_int_equal(list.v[2].role, ASSIGN_REPORT_TO);
	assign_list_clear(&list);
	assign_list_clear(NULL);
	dir_free(&d);
	assert_string_equal(assign_role_name(ASSIGN_LEAD), "lead");
	assert_string_equal(assign_role_name(ASSIGN_SUPPORT), "support");
	assert_string_equal(assign_role_name(ASSIGN_REPORT_TO), "report_to");
}

#define MAX_BULLETS	3

struct split_case {
	const char	*cell;
	size_t		 n;
	const char	*items[MAX_BULLETS];
};

/* Hand-written cells and their bullets. */
static const struct split_case split_cases[] = {
	{ "- Trung tâm Văn hóa - Thông tin - Thể thao - Các phòng, ban chuyên "
	    "môn huyện; UBND các xã, thị trấn", 2, {
	    "Trung tâm Văn hóa - Thông tin - Thể thao",
	    "Các phòng, ban chuyên môn huyện; UBND các xã, thị trấn" } },
	{ "- Phòng Kinh tế và Hạ tầng phối hợp với Phòng Tài chính\n"
	    "- Kế hoạch, Ban Quản lý Dự án đầu tư xây dựng và PTQĐ huyện. - Các "
	    "phòng, ban chuyên môn có liên quan", 2, {
	    "Phòng Kinh tế và Hạ tầng phối hợp với Phòng Tài chính - Kế hoạch, "
	    "Ban Quản lý Dự án đầu tư xây dựng và PTQĐ huyện.",
	    "Các phòng, ban chuyên môn có liên quan" } },
	{ "- Phòng Văn hoá – Thông tin - UBND các xã, thị trấn", 2, {
	    "Phòng Văn hoá – Thông tin", "UBND các xã, thị trấn" } },
	{ "Phòng Tài chính - Kế hoạch", 1, { "Phòng Tài chính - Kế hoạch" } },
	{ "Sở A - Sở B", 1, { "Sở A - Sở B" } },
	{ "- UBND các xã, thị trấn; Phòng Tư pháp - Phòng Tư pháp ", 2, {
	    "UBND các xã, thị trấn; Phòng Tư pháp", "Phòng Tư pháp" } },
	{ "Các phòng chuyên môn huyện; UBND các xã, thị trấn\n"
	    "- Văn phòng HĐND và UBND\n", 2, {
	    "Các phòng chuyên môn huyện; UBND các xã, thị trấn",
	    "Văn phòng HĐND và UBND" } },
	{ " - Phòng Nội vụ\r\n\n  \n• Phòng Tư pháp\n-Phòng Y tế", 3, {
	    "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Y tế" } },
	{ "- A - B - C", 3, { "A", "B", "C" } },
	{ "", 0, { NULL } },
	{ " \n - \n-\n", 0, { NULL } }
};

/* Hand-written cells split into bullets. */
static void
test_assign_split(void **state)
{
	struct dir		 d = { NULL, 0 };
	const struct split_case	*c;
	char			**items;
	size_t			 i, j, n;

	small_dir_load(&d);
	for (i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
		c = &split_cases[i];
		n = assign_split_bullets(c->cell, dir_lookup, &d, &items);
		if (n != c->n)
			print_error("'%s': %zu bullets, want %zu\n", c->cell, n,
			    c->n);
		assert_int_equal(n, c->n);
		for (j = 0; j < n; j++)
			assert_string_equal(items[j], c->items[j]);
		for (j = 0; j < n; j++)
			free(items[j]);
		free(items);
	}
	dir_free(&d);
}

/* What the INI handler collects from config/units.ini. */
struct ini_state {
	struct dir	 dir;
	char		*code;		/* of the current section */
	int		 is_group;
	char		**units;	/* unit codes seen */
	size_t		 nunits;
	char		**members;	/* member codes named by groups */
	size_t		 nmembers;
};

/* Appends a copy of s to a list of strings. */
static void
list_push(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

/* Frees a list of strings. */
static void
list_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Adds each piece of value split at one of seps, trimmed, to a list. */
static void
split_push(char ***v, size_t *n, const char *value, const char *seps)
{
	const char	*p = value, *end;
	size_t		 len;

	while (*p != '\0') {
		len = strcspn(p, seps);
		end = p + len;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len > 0)
			list_push(v, n, p, len);
		p = end + (*end != '\0');
	}
}

/* inih handler: names and aliases of [unit X] and [group X]. */
static int
units_ini_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct ini_state	*st = arg;
	char			**names = NULL;
	size_t			 n = 0, i;

	if (st->code == NULL || strcmp(section, st->code) != 0) {
		free(st->code);
		st->code = xstrdup(section);
		st->is_group = strncmp(section, "group ", 6) == 0;
		if (strncmp(section, "unit ", 5) == 0)
			list_push(&st->units, &st->nunits, section + 5,
			    strlen(section + 5));
	}
	if (strcmp(key, "name") == 0)
		list_push(&names, &n, value, strlen(value));
	else if (strcmp(key, "aliases") == 0)
		split_push(&names, &n, value, "|");
	else if (strcmp(key, "members") == 0)
		split_push(&st->members, &st->nmembers, value, " \t");
	for (i = 0; i < n; i++)
		dir_add(&st->dir, names[i], strchr(section, ' ') + 1,
		    st->is_group);
	list_free(names, n);
	return (1);
}

/* Reads a whole file; caller frees. */
static char *
read_whole(const char *path)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return (buf_steal(&b));
}

/* Builds SRCDIR/rel; caller frees. */
static char *
source_path(const char *rel)
{
	const char	*srcdir = getenv("SRCDIR");
	char		*path;

	xasprintf(&path, "%s/%s", srcdir != NULL ? srcdir : ".", rel);
	return (path);
}

/* Loads config/units.ini into st with inih. */
static void
units_ini_load(struct ini_state *st)
{
	char	*path = source_path("config/units.ini");

	memset(st, 0, sizeof *st);
	if (ini_parse(path, units_ini_handler, st) != 0)
		fail_msg("%s: inih error", path);
	free(path);
}

/* Frees what units_ini_load read. */
static void
units_ini_free(struct ini_state *st)
{
	dir_free(&st->dir);
	free(st->code);
	list_free(st->units, st->nunits);
	list_free(st->members, st->nmembers);
}

/* The example directory: short lines, unique names, known members. */
static void
test_units_ini(void **state)
{
	struct ini_state	 st;
	char			*path, *text, *line;
	size_t			 i, j, len;

	path = source_path("config/units.ini");
	text = read_whole(path);
	assert_true(utf8_text_valid(text, strcspn(text, "\n")));
	for (line = text; *line != '\0'; line += len + (line[len] != '\0')) {
		len = strcspn(line, "\n");
		assert_true(len < 200);
		assert_true(utf8_text_valid(line, len));
	}
	free(text);
	free(path);
	units_ini_load(&st);
	assert_int_equal(st.nunits, 17 + 13);
	for (i = 0; i < st.dir.n; i++) {
		assert_true(st.dir.v[i].folded[0] != '\0');
		for (j = i + 1; j < st.dir.n; j++) {
			if (strcmp(st.dir.v[i].folded, st.dir.v[j].folded) != 0 ||
			    strcmp(st.dir.v[i].code, st.dir.v[j].code) == 0)
				continue;
			fail_msg("'%s' names both %s and %s",
			    st.dir.v[i].folded, st.dir.v[i].code,
			    st.dir.v[j].code);
		}
	}
	for (i = 0; i < st.nmembers; i++) {
		for (j = 0; j < st.nunits; j++)
			if (strcmp(st.members[i], st.units[j]) == 0)
				break;
		if (j == st.nunits)
			fail_msg("member '%s' is no unit", st.members[i]);
	}
	units_ini_free(&st);
}

/* Seed bullets checked in full: a piece of the bullet, its units. */
static const struct {
	const char	*bullet;
	const char	*units;		/* "code:role ..." */
} seed_checks[] = {
	{ "Phòng Kinh tế và Hạ tầng phối hợp", "kthatang:L tckh:S bqlda:S" },
	{ "Phòng Văn hóa và Thông tin chủ trì", "vhtt:L phongban:S" },
	{ "Văn phòng HĐND và UBND chủ trì", "vp:L noivu:S phongban:S" },
	{ "Phòng Nội vụ, Văn phòng HĐND", "noivu:L vp:L phongban:L" },
	{ "Phòng Nội vụ phối hợp với UBND",
	    "noivu:L xa:S lienquan:S" },
	{ "Phòng Tư pháp và các cơ quan", "tuphap:L lienquan:L xa:L" },
	{ "Trung tâm Văn hóa - Thông tin - Thể thao", "ttvhtt:L" },
	{ "Phòng Văn hoá – Thông tin", "vhtt:L" },
	{ "UBND các xã, thị trấn; các đơn vị trường học",
	    "xa:L truonghoc:L" },
	{ "Phòng Tài chính – Kế hoạch; Chi cục thuế",
	    "tckh:L thue:L xa:L" },
	{ "Các cơ quan, đơn vị, địa phương có liên quan", "diaphuong:L" },
	{ "Các cơ quan, đơn vị được kiểm tra", "diaphuong:L" },
	{ "Bộ phận Một cửa huyện; Phòng Tài chính", "motcua:L tckh:L" }
};

/* Returns a list's units as "code:role ..."; caller frees. */
static char *
units_text(const struct assign_list *list)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < list->n; i++)
		buf_printf(&b, "%s%s:%c", i > 0 ? " " : "",
		    list->v[i].code != NULL ? list->v[i].code : "?",
		    role_letter(list->v[i].role));
	return (buf_steal(&b));
}

/* Checks a seed bullet against seed_checks; counts the checks it meets. */
static size_t
seed_check(const char *bullet, const struct assign_list *list)
{
	char	*got;
	size_t	 i, met = 0;

	got = units_text(list);
	for (i = 0; i < sizeof seed_checks / sizeof seed_checks[0]; i++) {
		if (strstr(bullet, seed_checks[i].bullet) != bullet)
			continue;
		if (strcmp(got, seed_checks[i].units) != 0)
			fail_msg("'%s': got '%s', want '%s'", bullet, got,
			    seed_checks[i].units);
		met |= (size_t)1 << i;
	}
	free(got);
	return (met);
}

/* Reads a cell's bullets into units; prints and counts unmatched ones. */
static size_t
seed_cell_units(const char *cell, struct dir *d, size_t *units,
    size_t *met)
{
	struct assign_list	 list = { NULL, 0 };
	char			**items;
	size_t			 n, i, j, unknown = 0;

	n = assign_split_bullets(cell, dir_lookup, d, &items);
	for (i = 0; i < n; i++) {
		assign_parse(items[i], dir_lookup, d, &list);
		for (j = 0; j < list.n; j++) {
			if (list.v[j].code != NULL)
				continue;
			print_error("unmatched: '%s' in bullet '%s'\n",
			    list.v[j].phrase, items[i]);
			unknown++;
		}
		*units += list.n;
		*met |= seed_check(items[i], &list);
		assign_list_clear(&list);
	}
	plan_bullets_free(items, n);
	return (unknown);
}

/*
 * Every unit phrase of the seed, read by plan.c, matches the example
 * directory.
 */
static void
test_assign_seed(void **state)
{
	struct ini_state	 st;
	struct plan_table	 table;
	char			*path, *cause = NULL;
	size_t			 i, cells = 0, unknown = 0, units = 0, met = 0;
	size_t			 nchecks;

	units_ini_load(&st);
	path = source_path("tests/fixtures/seed-tuyphuoc-2024.txt");
	memset(&table, 0, sizeof table);
	if (plan_read_file(path, &table, &cause) != 0)
		fail_msg("%s", cause);
	for (i = 0; i < table.n; i++) {
		if (table.records[i].type != PLAN_TASK ||
		    table.records[i].units == NULL)
			continue;
		cells++;
		unknown += seed_cell_units(table.records[i].units, &st.dir,
		    &units, &met);
	}
	plan_table_free(&table);
	free(path);
	units_ini_free(&st);
	assert_int_equal(unknown, 0);
	assert_int_equal(cells, 51);	/* rows with a number in STT */
	assert_true(units >= 120);
	nchecks = sizeof seed_checks / sizeof seed_checks[0];
	assert_int_equal(met, ((size_t)1 << nchecks) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign_parse),
		cmocka_unit_test(test_assign_parse_appends),
		cmocka_unit_test(test_assign_split),
		cmocka_unit_test(test_units_ini),
		cmocka_unit_test(test_assign_seed)
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
