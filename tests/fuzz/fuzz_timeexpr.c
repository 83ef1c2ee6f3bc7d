/*
 * libFuzzer harness for the time-expression parser: any bytes are parsed
 * as a time bullet and as task text with plan year 2024, and the results
 * must keep the parser's promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "timeexpr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless every item is well formed. */
static void
fuzz_check_items(const struct timeexpr *te)
{
	const struct timeexpr_item	*it;
	size_t				 i;
	int				 y, m, d;

	if (te->n > TIMEEXPR_MAX_ITEMS)
		abort();
	for (i = 0; i < te->n; i++) {
		it = &te->items[i];
		if (it->label == NULL)
			abort();
		if (it->kind == TIMEEXPR_ONCE) {
			if (it->due == DATE_NONE)
				abort();
			date_to_ymd(it->due, &y, &m, &d);
			if (!date_valid(y, m, d))
				abort();
		}
		if (it->kind == TIMEEXPR_RECURRING && (it->rrule == NULL ||
		    strncmp(it->rrule, "FREQ=", 5) != 0))
			abort();
	}
}

/* Parses the bytes both ways and checks the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timeexpr_options	 opt = { 2024, 0 };
	struct timeexpr		 te;
	char			*text;

	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';

	timeexpr_parse(text, &opt, &te);
	if (te.n < 1)
		abort();
	fuzz_check_items(&te);
	timeexpr_clear(&te);

	opt.period_day = (int)(size % 33);
	timeexpr_milestones(text, &opt, &te);
	fuzz_check_items(&te);
	timeexpr_clear(&te);

	free(text);
	return (0);
}
