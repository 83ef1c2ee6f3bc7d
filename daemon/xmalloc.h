#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

/* Allocators that die on failure; the caller frees what they return. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* The folder part of a path ("." for a bare name, "/" at the root). */
char	*xdirname(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};
void	 buf_init(struct buf *);
void	 buf_add(struct buf *, const char *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' escaped for HTML; br: line breaks as <br>. */
void	 buf_add_html(struct buf *, const char *, int);
char	*buf_steal(struct buf *);	/* caller frees */
void	 buf_free(struct buf *);

#endif
