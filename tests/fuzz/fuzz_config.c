/*
 * libFuzzer harness for the configuration reader: the input is written to
 * a temporary file (made once per process, rewritten for every input) and
 * read with config_load.  Either a config comes back with its invariants
 * kept, or NULL and a cause of "file:line: message" lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_path[] = "/tmp/fuzz_config.XXXXXX";
static int	fuzz_fd = -1;

/* Counts the dump's lines; every key has a section and a value. */
static void
fuzz_dump(const char *section, const char *key, const char *value,
    void *arg)
{
	if (section == NULL || key == NULL || value == NULL)
		abort();
	(*(size_t *)arg)++;
}

/* Aborts unless a loaded config keeps its ranges. */
static void
fuzz_check(const struct config *cf)
{
	size_t	keys = 0;
	int	i;

	if (cf->nlead < 0 || cf->nlead > CONFIG_MAX_LEAD)
		abort();
	for (i = 0; i < cf->nlead; i++) {
		if (cf->lead[i] < 0)
			abort();
	}
	if (cf->send_hour < 0 || cf->send_hour > 23 ||
	    cf->send_minute < 0 || cf->send_minute > 59)
		abort();
	if (cf->busy_timeout_ms < 0 || cf->backoff_base < 0 ||
	    cf->backoff_max < 0 || cf->lifetime_days < 0)
		abort();
	config_dump(cf, fuzz_dump, &keys);
	if (keys == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*cf;
	char		*cause = NULL;

	if (size > 64 * 1024)
		return (0);
	fuzz_file_write(fuzz_path, &fuzz_fd, data, size);
	if ((cf = config_load(fuzz_path, &cause)) == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		return (0);
	}
	if (cause != NULL)
		abort();
	fuzz_check(cf);
	config_free(cf);
	return (0);
}
