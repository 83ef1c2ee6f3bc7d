/*
 * libFuzzer harness for the time-expression parser: any bytes are parsed
 * as a time bullet and as task text with plan year 2024, and the results
 * must keep the parser's promises: items well formed, a range that runs
 * forward, a rule libical accepts, and a quality that agrees with the
 * words left over.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "rule.h"
#include "timeexpr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless d is a real date. */
static void
fuzz_check_date(date_t d)
{
	int	y, m, day;

	if (d == DATE_NONE)
		abort();
	date_to_ymd(d, &y, &m, &day);
	if (!date_valid(y, m, day))
		abort();
}

/* Aborts unless every item is well formed. */
static void
fuzz_check_items(const struct timeexpr *te)
{
	const struct timeexpr_item	*it;
	char				*cause = NULL;
	size_t				 i;

	if (te->n > TIMEEXPR_MAX_ITEMS)
		abort();
	for (i = 0; i < te->n; i++) {
		it = &te->items[i];
		if (it->label == NULL)
			abort();
		if (it->kind == TIMEEXPR_ONCE)
			fuzz_check_date(it->due);
		if (it->start != DATE_NONE) {
			fuzz_check_date(it->start);
			if (it->kind != TIMEEXPR_ONCE || it->start > it->due)
				abort();
		}
		if (it->kind == TIMEEXPR_RECURRING && (it->rrule == NULL ||
		    strncmp(it->rrule, "FREQ=", 5) != 0 ||
		    rule_check(it->rrule, &cause) != 0))
			abort();
		if (it->kind != TIMEEXPR_RECURRING && it->rrule != NULL)
			abort();
	}
}

/* Aborts unless the quality agrees with the items and the leftover. */
static void
fuzz_check_quality(const struct timeexpr *te)
{
	int	unread = te->n == 1 && te->items[0].kind == TIMEEXPR_UNPARSED;

	if (unread != (te->quality == TIMEEXPR_UNREAD))
		abort();
	if ((te->leftover != NULL) != (te->quality != TIMEEXPR_EXACT))
		abort();
}

/* Parses the bytes both ways and checks the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timeexpr_options	 opt = { 2024, 0, 0 };
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
	fuzz_check_quality(&te);
	timeexpr_clear(&te);

	opt.period_day = (int)(size % 33);
	opt.start = date_from_ymd(2024, 1 + (int)(size % 12), 1);
	timeexpr_milestones(text, &opt, &te);
	fuzz_check_items(&te);
	timeexpr_clear(&te);

	free(text);
	return (0);
}
