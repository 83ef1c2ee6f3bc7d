#ifndef ZIPFILE_H
#define ZIPFILE_H

#include <stddef.h>

/*
 * Read-only access to a ZIP archive held in memory (an office document),
 * through libzip, with the limits that keep a hostile archive from costing
 * more than a real document would: at most ZIPFILE_MAX_ENTRIES entries, an
 * entry at most ZIPFILE_MAX_ENTRY bytes once inflated, all the entries read
 * at most ZIPFILE_MAX_TOTAL bytes, and past ZIPFILE_RATIO_FLOOR bytes no
 * entry inflating more than ZIPFILE_MAX_RATIO times its compressed size.
 * The limits count the bytes actually inflated, not what the archive's
 * directory claims.  Encrypted entries are refused.  Errors fill *cause
 * with "NAME: message" or "NAME: ENTRY: message" (caller frees); an
 * entry's own error is "ENTRY: message".
 */
#define ZIPFILE_MAX_ENTRIES	10000
#define ZIPFILE_MAX_ENTRY	(256 * 1024 * 1024)
#define ZIPFILE_MAX_TOTAL	(512 * 1024 * 1024)
#define ZIPFILE_MAX_RATIO	200
#define ZIPFILE_RATIO_FLOOR	(4 * 1024 * 1024)

struct zipfile;
struct zipfile_entry;

/* 1 if the bytes start like a ZIP archive ("PK\3\4" or an empty one). */
int	 zipfile_magic(const void *, size_t);
/* Opens the archive in data (borrowed until zipfile_close); NULL on error. */
struct zipfile *zipfile_open(const char *, const void *, size_t, char **);
void	 zipfile_close(struct zipfile *);
const char *zipfile_name(const struct zipfile *);
/* 1 if the archive has an entry of that name (ASCII case ignored). */
int	 zipfile_has(const struct zipfile *, const char *);

/* An entry opened for reading as a stream; NULL and *cause on error. */
struct zipfile_entry *zipfile_entry_open(struct zipfile *, const char *,
	    char **);
/*
 * Reads up to n bytes: their count, 0 at the end, -1 on error (a damaged
 * entry, a limit passed), whose message zipfile_entry_error() keeps.
 */
long	 zipfile_entry_read(struct zipfile_entry *, void *, size_t);
const char *zipfile_entry_error(const struct zipfile_entry *);
const char *zipfile_entry_name(const struct zipfile_entry *);
void	 zipfile_entry_close(struct zipfile_entry *);
/* A whole (small) entry: at most max bytes, NUL-terminated; caller frees. */
char	*zipfile_read_all(struct zipfile *, const char *, size_t, size_t *,
	    char **);

#endif
