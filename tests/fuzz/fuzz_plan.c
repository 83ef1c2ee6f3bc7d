/*
 * libFuzzer harness for the plan reader: each input is read as the text
 * export and as CSV, and every cell of the result is split into bullets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_bullets.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Reads data under name and walks the records. */
static void
fuzz_read(const char *name, const uint8_t *data, size_t size)
{
	struct plan_table	 table;
	char			*cause = NULL;
	size_t			 i;

	if (plan_read_buffer(name, (const char *)data, size, &table,
	    &cause) == -1) {
		if (cause == NULL || table.n != 0 || table.records != NULL)
			abort();
		free(cause);
		return;
	}
	for (i = 0; i < table.n; i++) {
		fuzz_check_bullets(table.records[i].action);
		fuzz_check_bullets(table.records[i].time);
		fuzz_check_bullets(table.records[i].units);
		fuzz_check_bullets(table.records[i].support);
		if (strchr(table.records[i].content, '\t') != NULL)
			abort();
	}
	plan_table_free(&table);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text;

	fuzz_read("fuzz.txt", data, size);
	fuzz_read("fuzz.csv", data, size);
	text = xstrndup((const char *)data, size);
	fuzz_check_bullets(text);
	free(text);
	return (0);
}
