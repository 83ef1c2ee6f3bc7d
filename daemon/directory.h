#ifndef DIRECTORY_H
#define DIRECTORY_H

/*
 * The unit directory (units.ini, read by units.c) written into the store:
 * the one place that knows both, so that neither knows the other.
 */
struct store;
struct store_sync_stats;
struct units;

/* Makes the store's units those of the directory, inside a transaction. */
int	directory_sync(struct store *, const struct units *,
	    struct store_sync_stats *, char **);

#endif
