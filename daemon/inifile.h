#ifndef INIFILE_H
#define INIFILE_H

/*
 * INI files read through inih with what inih lacks: line numbers in the
 * handler, and a check of the whole file first (size, NUL bytes, UTF-8,
 * line length) so that a bad file is refused with FILE:LINE before any
 * value is used.
 */
#define INIFILE_MAX_SIZE	(4 * 1024 * 1024)
#define INIFILE_MAX_LINE	198	/* Debian's inih: 200 bytes with LF, NUL */

/* Called per key; returns 0 or -1 after adding a message with inifile_error. */
typedef int (*inifile_cb)(void *, const char *, const char *, const char *,
	    unsigned);

struct inifile_errors;

/* Parses path; every problem goes to errs. Returns 0 if none was found. */
int	 inifile_parse(const char *, inifile_cb, void *, struct inifile_errors *);
struct inifile_errors *inifile_errors_new(void);
void	 inifile_errors_free(struct inifile_errors *);
void	 inifile_error(struct inifile_errors *, const char *, unsigned,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
int	 inifile_error_count(const struct inifile_errors *);
const char *inifile_errors_text(const struct inifile_errors *);	/* lines */
char	*inifile_errors_steal(struct inifile_errors *);	/* caller frees */

#endif
