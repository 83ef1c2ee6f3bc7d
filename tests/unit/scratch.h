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

#endif
