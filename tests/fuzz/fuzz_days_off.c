/*
 * libFuzzer harness for the days-off overrides reader: the input is
 * written to a temporary file (made once per process) and read with
 * calendar_load_overrides.  After a successful read every year the file
 * can name is laid out, and the working-day arithmetic must stay sane.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "date.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_path[] = "/tmp/fuzz_days_off.XXXXXX";
static int	fuzz_fd = -1;

/* Lays out one year and checks its days and the arithmetic around it. */
static void
fuzz_year(struct calendar *cal, int year)
{
	struct calendar_day	*days = NULL;
	const char		*name;
	size_t			 n, i;
	date_t			 first, d;

	n = calendar_year(cal, year, &days);
	for (i = 0; i < n; i++) {
		if (memchr(days[i].name, '\0', sizeof days[i].name) == NULL)
			abort();
		if (calendar_holiday(cal, days[i].date, &name) == 1 &&
		    name == NULL)
			abort();
	}
	free(days);
	first = date_from_ymd(year, 1, 1);
	d = calendar_next_working_day(cal, first);
	if (d < first || !calendar_is_working_day(cal, d))
		abort();
	d = calendar_previous_working_day(cal, first);
	if (d > first || !calendar_is_working_day(cal, d))
		abort();
	if (calendar_add_working_days(cal, first, 5) <= first)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar_options	 opt;
	struct calendar		*cal;
	char			*cause = NULL;

	if (size > 64 * 1024)
		return (0);
	fuzz_file_write(fuzz_path, &fuzz_fd, data, size);
	calendar_default_options(&opt);
	cal = calendar_new(&opt);
	if (calendar_load_overrides(cal, fuzz_path, &cause) == -1) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
	} else {
		if (cause != NULL)
			abort();
		fuzz_year(cal, 2024);
		fuzz_year(cal, 1900 + (int)(size % 201));
	}
	calendar_free(cal);
	return (0);
}
