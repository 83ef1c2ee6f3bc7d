/*
 * The temporary file through which the harnesses of file readers
 * (fuzz_config.c, fuzz_units.c, fuzz_days_off.c) hand over their input:
 * made once per process from a mkstemp template, rewritten for every
 * input.
 */
#ifndef FUZZ_FILE_H
#define FUZZ_FILE_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Replaces the file's contents with data; *fd -1: makes it from path. */
static void
fuzz_file_write(char *path, int *fd, const uint8_t *data, size_t size)
{
	size_t	done = 0;
	ssize_t	n;

	if (*fd == -1 && (*fd = mkstemp(path)) == -1)
		abort();
	if (ftruncate(*fd, 0) == -1 || lseek(*fd, 0, SEEK_SET) == -1)
		abort();
	while (done < size) {
		if ((n = write(*fd, data + done, size - done)) <= 0)
			abort();
		done += (size_t)n;
	}
}

#endif
