/*
 * Archives built in memory by the unit tests of the office readers and of
 * zipfile.c.
 */
#ifndef ZIPMEM_H
#define ZIPMEM_H

#include <stddef.h>

/* An entry of an archive to build. */
struct zipmem_entry {
	const char	*name;
	const char	*data;
	size_t		 len;		/* 0: strlen(data) */
	int		 deflate;	/* else stored */
	const char	*password;	/* AES-256 when set */
};

/* Builds an archive of n entries in memory, *len its size; caller frees. */
char	*zipmem_build(const struct zipmem_entry *, size_t, size_t *);

#endif
