/* The unit directory written into the store. */
#include <stdint.h>
#include <stdlib.h>

#include "directory.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

/* The store's row of a unit. */
static void
directory_unit(struct store_unit_def *d, const struct unit_info *u)
{
	d->code = u->code;
	d->name = u->name;
	d->lang = u->lang;
	d->emails = u->emails;
	d->nemails = u->nemails;
	d->webhook = u->webhook;
	d->webhook_secret_file = u->webhook_secret_file;
	d->webhook_template = u->webhook_template;
	d->parent = u->parent;
	d->aliases = u->aliases;
	d->naliases = u->naliases;
}

/* The store's row of a group: its members, no address, Vietnamese. */
static void
directory_group(struct store_unit_def *d, const struct group_info *g)
{
	d->code = g->code;
	d->name = g->name;
	d->is_group = 1;
	d->lang = "vi";
	d->aliases = g->aliases;
	d->naliases = g->naliases;
	d->members = g->members;
	d->nmembers = g->nmembers;
}

int
directory_sync(struct store *s, const struct units *u,
    struct store_sync_stats *stats, char **cause)
{
	struct store_unit_def	*v;
	size_t			 nu = units_count(u), ng = units_group_count(u);
	size_t			 i;
	int			 rc;

	v = xcalloc(nu + ng + 1, sizeof *v);
	for (i = 0; i < nu; i++)
		directory_unit(&v[i], units_unit(u, i));
	for (i = 0; i < ng; i++)
		directory_group(&v[nu + i], units_group(u, i));
	rc = store_sync_units(s, v, nu + ng, stats, cause);
	free(v);
	return (rc);
}
