/*
 * The scratch folder of a unit test program: made at its setup under
 * /tmp, removed whole at its teardown; and the plain SQLite and file
 * access the tests use beside the store (old schemas, raw rows).
 */
#ifndef SCRATCH_H
#define SCRATCH_H

#include <stddef.h>

extern char	 scratch_dir[64];

int	 scratch_make(const char *);
int	 scratch_remove(void);
char	*scratch_path(const char *);
void	 scratch_write(const char *, const char *);
void	 scratch_sql(const char *, const char *);
void	 scratch_exec(const char *, const char *);
char	*scratch_read(const char *, size_t *);
void	 scratch_schema(const char *, int);

struct calendar;
struct config;
struct store;
/*
 * Syncs units.ini of the scratch folder (text written there first unless
 * NULL) into the store, in the caller's transaction; fails the test.
 */
void	 scratch_units(struct store *, const char *);
/*
 * Writes deadlined.ini: the database db and units.ini of the scratch
 * folder, the coordinator, the tests' reminder policy (lead 7 3 1 0,
 * overdue every 3 working days at most 5 times, escalation after 5, at
 * 08:00, spool), no report, no HTTP.
 */
void	 scratch_policy_config(const char *, const char *);
/*
 * A fixture's teardown: closes the store, frees the calendar and the
 * configuration (each may be NULL) and fx, removes the scratch folder;
 * 0, or -1 if it could not be removed.
 */
int	 scratch_teardown(struct store *, struct calendar *, struct config *,
	     void *);

#endif
