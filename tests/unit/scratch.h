/*
 * The scratch folder of a unit test program: made at its setup under
 * /tmp, removed whole at its teardown.
 */
#ifndef SCRATCH_H
#define SCRATCH_H

extern char	 scratch_dir[64];

int	 scratch_make(const char *);
int	 scratch_remove(void);
char	*scratch_path(const char *);
void	 scratch_write(const char *, const char *);
void	 scratch_sql(const char *, const char *);

#endif
