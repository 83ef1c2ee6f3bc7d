/*
 * libFuzzer harness for the unit directory reader: the input is written to
 * a temporary file (made once per process) and read with units_load.  A
 * loaded directory must hold valid codes only, its lookups must answer
 * with codes it holds, and every failure must say why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"
#include "units.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_path[] = "/tmp/fuzz_units.XXXXXX";
static int	fuzz_fd = -1;

/* Aborts unless phrase resolves to nothing or to a code u holds. */
static void
fuzz_lookup(struct units *u, const char *phrase)
{
	const char	*code;
	int		 is_group = -1;

	if ((code = units_lookup(u, phrase, &is_group)) == NULL)
		return;
	if (is_group == 1 && units_find_group(u, code) == NULL)
		abort();
	if (is_group == 0 && units_find(u, code) == NULL)
		abort();
	if (is_group != 0 && is_group != 1)
		abort();
}

/* Aborts unless every unit and group is well formed. */
static void
fuzz_check(struct units *u)
{
	const struct unit_info	*ui;
	const struct group_info	*gi;
	size_t			 i, j;

	if (units_count(u) == 0)
		abort();
	for (i = 0; i < units_count(u); i++) {
		ui = units_unit(u, i);
		if (!units_valid_code(ui->code) || units_find(u, ui->code) != ui)
			abort();
		if (ui->parent != NULL && units_find(u, ui->parent) == NULL)
			abort();
		if (ui->name != NULL)
			fuzz_lookup(u, ui->name);
		for (j = 0; j < ui->naliases; j++)
			fuzz_lookup(u, ui->aliases[j]);
	}
	for (i = 0; i < units_group_count(u); i++) {
		gi = units_group(u, i);
		if (!units_valid_code(gi->code) ||
		    units_find_group(u, gi->code) != gi)
			abort();
		for (j = 0; j < gi->nmembers; j++) {
			if (units_find(u, gi->members[j]) == NULL &&
			    units_find_group(u, gi->members[j]) == NULL)
				abort();
		}
		for (j = 0; j < gi->naliases; j++)
			fuzz_lookup(u, gi->aliases[j]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct units	*u;
	char		*cause = NULL, *text;

	if (size > 64 * 1024)
		return (0);
	fuzz_file_write(fuzz_path, &fuzz_fd, data, size);
	if ((u = units_load(fuzz_path, &cause)) == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		return (0);
	}
	if (cause != NULL)
		abort();
	fuzz_check(u);
	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_lookup(u, text);
	free(text);
	units_free(u);
	return (0);
}
