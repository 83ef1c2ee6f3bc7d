/* The names of the units a task is assigned to, by role. */
#include <stdlib.h>
#include <string.h>

#include "assignees.h"
#include "store.h"
#include "xmalloc.h"

/* One name of a task's units: a unit, or the group that brought it in. */
struct assignees_name {
	int	 lead;
	char	*name;
	char	*code;
};

/* The names gathered from the store. */
struct assignees {
	struct assignees_name	*v;
	size_t			 n;
	size_t			 size;
};

/* Keeps a copy of one row of the store. */
static int
assignees_add(const struct store_task_unit *u, void *arg)
{
	struct assignees	*a = arg;

	if (a->n == a->size) {
		a->size = a->size == 0 ? 8 : a->size * 2;
		a->v = xreallocarray(a->v, a->size, sizeof *a->v);
	}
	a->v[a->n].lead = u->lead;
	a->v[a->n].name = xstrdup(u->name);
	a->v[a->n++].code = xstrdup(u->code);
	return (0);
}

/* Orders names as they are listed: leads first, then by code. */
static int
assignees_cmp(const void *a, const void *b)
{
	const struct assignees_name	*x = a, *y = b;
	int				 c;

	if (x->lead != y->lead)
		return (y->lead - x->lead);
	if ((c = strcmp(x->code, y->code)) != 0)
		return (c);
	return (strcmp(x->name, y->name));
}

/* 1 if a name comes earlier in v for the same role. */
static int
assignees_seen(const struct assignees_name *v, size_t i)
{
	size_t	j;

	for (j = 0; j < i; j++) {
		if (v[j].lead == v[i].lead && strcmp(v[j].name, v[i].name) == 0)
			return (1);
	}
	return (0);
}

/* Joins the names in order, each once per role, into two lists. */
static void
assignees_join(struct assignees_name *v, size_t n, char **lead,
    char **support)
{
	struct buf	b[2];
	size_t		i;
	int		k;

	if (n > 1)
		qsort(v, n, sizeof *v, assignees_cmp);
	buf_init(&b[0]);
	buf_init(&b[1]);
	for (i = 0; i < n; i++) {
		k = v[i].lead ? 0 : 1;
		if (!assignees_seen(v, i)) {
			if (b[k].len != 0)
				buf_adds(&b[k], "; ");
			buf_adds(&b[k], v[i].name);
		}
	}
	*lead = buf_steal(&b[0]);
	*support = buf_steal(&b[1]);
}

int
assignees_names(struct store *s, int64_t task_id, char **lead,
    char **support, char **cause)
{
	struct assignees	a;
	size_t			i;
	int			rc;

	*lead = *support = NULL;
	memset(&a, 0, sizeof a);
	if ((rc = store_task_units(s, task_id, assignees_add, &a,
	    cause)) == 0)
		assignees_join(a.v, a.n, lead, support);
	for (i = 0; i < a.n; i++) {
		free(a.v[i].name);
		free(a.v[i].code);
	}
	free(a.v);
	return (rc == 0 ? 0 : -1);
}
