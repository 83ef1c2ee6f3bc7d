/*
 * Tests of config.c and inifile.c: defaults against the documented example,
 * every value type, every error path with its FILE:LINE, several errors at
 * once, the cross-field checks and secret files.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <ini.h>

#include "config.h"
#include "inifile.h"
#include "route.h"
#include "scratch.h"
#include "xmalloc.h"


/* Writes len bytes to scratch_dir/name with mode; caller frees the path. */
static char *
write_file_mode(const char *name, const char *data, size_t len, mode_t mode)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", scratch_dir, name);
	unlink(path);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return (path);
}

/* Writes a text file with mode 0644; caller frees the path. */
static char *
write_file(const char *name, const char *text)
{
	return (write_file_mode(name, text, strlen(text), 0644));
}

/* Loads text as name and expects success; caller frees the config. */
static struct config *
load_ok(const char *name, const char *text)
{
	struct config	*cf;
	char		*path, *cause = NULL;

	path = write_file(name, text);
	cf = config_load(path, &cause);
	if (cf == NULL)
		fail_msg("unexpected error: %s", cause);
	free(path);
	return (cf);
}

/* Loads text as name and expects an error; caller frees the cause. */
static char *
load_bad(const char *name, const char *text)
{
	struct config	*cf;
	char		*path, *cause = NULL;

	path = write_file(name, text);
	cf = config_load(path, &cause);
	if (cf != NULL) {
		config_free(cf);
		free(path);
		fail_msg("%s loaded but should not have", name);
	}
	assert_non_null(cause);
	free(path);
	return (cause);
}

/* Checks that cause contains "TMPDIR/name:line: " followed by msg. */
static void
expect_error(const char *cause, const char *name, unsigned line,
    const char *msg)
{
	char	*want;

	if (line > 0)
		xasprintf(&want, "%s/%s:%u: %s", scratch_dir, name, line, msg);
	else
		xasprintf(&want, "%s/%s: %s", scratch_dir, name, msg);
	if (strstr(cause, want) == NULL)
		fail_msg("expected '%s' in '%s'", want, cause);
	free(want);
}

/* Loads text and checks the one error it gives. */
static void
check_bad(const char *text, unsigned line, const char *msg)
{
	char	*cause;

	cause = load_bad("bad.ini", text);
	expect_error(cause, "bad.ini", line, msg);
	free(cause);
}

/* Defaults: a few values written by hand from config/deadlined.ini. */
static void
test_defaults(void **state)
{
	struct config	*cf;
	char		*cause = NULL;

	cf = config_load(NULL, &cause);
	assert_non_null(cf);
	assert_null(cf->path);
	assert_string_equal(cf->timezone, "Asia/Ho_Chi_Minh");
	assert_string_equal(cf->units_file, "units.ini");
	assert_int_equal(cf->verbose, 0);
	assert_int_equal(cf->busy_timeout_ms, 5000);
	assert_string_equal(cf->weekend, "sat sun");
	assert_int_equal(cf->dayoff_rule, CALENDAR_NEXT);
	assert_int_equal(cf->national_day_extra, -1);
	assert_int_equal(cf->horizon_days, 400);
	assert_int_equal(cf->nlead, 4);
	assert_int_equal(cf->lead[0], 7);
	assert_int_equal(cf->lead[1], 3);
	assert_int_equal(cf->lead[2], 1);
	assert_int_equal(cf->lead[3], 0);
	assert_int_equal(cf->send_hour, 8);
	assert_int_equal(cf->send_minute, 0);
	assert_int_equal(cf->overdue_every, 3);
	assert_int_equal(cf->overdue_max, 5);
	assert_int_equal(cf->escalate_after, 5);
	assert_int_equal(cf->working_days_only, 1);
	assert_int_equal(cf->channel, CONFIG_CHANNEL_SPOOL);
	assert_int_equal(cf->lifetime_days, 3);
	assert_int_equal(cf->backoff_base, 60);
	assert_int_equal(cf->backoff_max, 21600);
	assert_int_equal(cf->lease_seconds, 300);
	assert_int_equal(cf->smtp_starttls, 1);
	assert_string_equal(cf->smtp_from_name, "Nhắc hạn công việc");
	assert_int_equal(cf->webhook_allow_http_loopback, 0);
	assert_string_equal(cf->http_listen, "127.0.0.1:8087");
	assert_int_equal(cf->http_link_days, 30);
	assert_int_equal(cf->report_schedule, CONFIG_REPORT_MONTHLY);
	/* Empty database, spool and feeds paths live under state_dir. */
	assert_non_null(strstr(cf->db_path, "/deadlined.db"));
	assert_memory_equal(cf->db_path, cf->state_dir, strlen(cf->state_dir));
	config_free(cf);
	config_free(NULL);
}

struct key_list {
	char	**keys;
	char	**values;
	size_t	  n;
};

/* Adds "section.key" and its value to a list. */
static void
key_list_add(struct key_list *l, const char *section, const char *key,
    const char *value)
{
	l->keys = xreallocarray(l->keys, l->n + 1, sizeof *l->keys);
	l->values = xreallocarray(l->values, l->n + 1, sizeof *l->values);
	xasprintf(&l->keys[l->n], "%s.%s", section, key);
	l->values[l->n++] = xstrdup(value);
}

/* inih handler over the example file. */
static int
example_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	key_list_add(arg, section, key, value);
	return (1);
}

/* config_dump callback. */
static void
dump_handler(const char *section, const char *key, const char *value,
    void *arg)
{
	key_list_add(arg, section, key, value);
}

/* Index of key in l, or -1. */
static ssize_t
key_list_find(const struct key_list *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->keys[i], key) == 0)
			return ((ssize_t)i);
	return (-1);
}

/* Frees a list. */
static void
key_list_free(struct key_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->keys[i]);
		free(l->values[i]);
	}
	free(l->keys);
	free(l->values);
}

/*
 * Every key of the table is documented in config/deadlined.ini and every key
 * there is in the table; documented non-empty values are the defaults.
 */
static void
test_example_matches_table(void **state)
{
	struct key_list	 example = { NULL, NULL, 0 };
	struct key_list	 dump = { NULL, NULL, 0 };
	struct config	*cf;
	const char	*srcdir = getenv("SRCDIR");
	char		*path, *cause = NULL;
	ssize_t		 j;
	size_t		 i;

	if (srcdir == NULL)
		skip();
	xasprintf(&path, "%s/config/deadlined.ini", srcdir);
	assert_int_equal(ini_parse(path, example_handler, &example), 0);
	cf = config_load(NULL, &cause);
	assert_non_null(cf);
	config_dump(cf, dump_handler, &dump);
	assert_true(example.n > 40);
	for (i = 0; i < example.n; i++) {
		if ((j = key_list_find(&dump, example.keys[i])) < 0)
			fail_msg("%s is in deadlined.ini, not in the table",
			    example.keys[i]);
		/*
		 * state_dir's default is the build's localstatedir; the
		 * example names the shipped days-off.ini, the built-in
		 * default is none.
		 */
		if (*example.values[i] == '\0' ||
		    strcmp(example.keys[i], "daemon.state_dir") == 0 ||
		    strcmp(example.keys[i], "calendar.days_off_file") == 0)
			continue;
		if (strcmp(example.values[i], dump.values[j]) != 0)
			fail_msg("%s: documented '%s', default '%s'",
			    example.keys[i], example.values[i], dump.values[j]);
	}
	for (i = 0; i < dump.n; i++)
		if (key_list_find(&example, dump.keys[i]) < 0)
			fail_msg("%s is in the table, not in deadlined.ini",
			    dump.keys[i]);
	config_free(cf);
	/* The example itself loads. */
	cf = config_load(path, &cause);
	if (cf == NULL)
		fail_msg("%s", cause);
	assert_int_equal(cf->nlead, 4);
	config_free(cf);
	key_list_free(&example);
	key_list_free(&dump);
	free(path);
}

/* Whole numbers: range limits and junk. */
static void
test_int(void **state)
{
	struct config	*cf;

	cf = load_ok("int.ini", "[daemon]\nverbose = 2\n[calendar]\n"
	    "national_day_extra = 1\nhorizon_days = 3660\n");
	assert_int_equal(cf->verbose, 2);
	assert_int_equal(cf->national_day_extra, 1);
	assert_int_equal(cf->horizon_days, 3660);
	config_free(cf);
	check_bad("[daemon]\nverbose = 3\n", 2,
	    "daemon.verbose = '3': expected a whole number in range 0..2");
	check_bad("; c\n[calendar]\nnational_day_extra = -2\n", 3,
	    "calendar.national_day_extra = '-2': expected a whole number in "
	    "range -1..1");
	check_bad("[calendar]\nhorizon_days = 0\n", 2, "calendar.horizon_days");
	check_bad("[outbox]\nlease_seconds = 5x\n", 2,
	    "outbox.lease_seconds = '5x'");
	check_bad("[outbox]\nbatch_size = 99999999999999999999\n", 2,
	    "outbox.batch_size");
	check_bad("[database]\nbusy_timeout_ms =\n", 2,
	    "database.busy_timeout_ms = ''");
	check_bad("[database]\nbusy_timeout_ms = 1.5\n", 2,
	    "database.busy_timeout_ms = '1.5'");
}

/* Booleans: yes/no and friends, any case. */
static void
test_bool(void **state)
{
	struct config	*cf;

	cf = load_ok("bool.ini", "[reminders]\nworking_days_only = OFF\n"
	    "[webhook]\nallow_http_loopback = True\n[feeds]\ntodo = 0\n"
	    "[smtp]\nstarttls = no\n");
	assert_int_equal(cf->working_days_only, 0);
	assert_int_equal(cf->webhook_allow_http_loopback, 1);
	assert_int_equal(cf->feeds_todo, 0);
	assert_int_equal(cf->smtp_starttls, 0);
	config_free(cf);
	check_bad("[http]\nenabled = maybe\n", 2,
	    "http.enabled = 'maybe': expected yes or no");
	check_bad("[http]\nenabled = 2\n", 2, "http.enabled = '2'");
}

/* Enumerations: only the listed words, whole. */
static void
test_enum(void **state)
{
	struct config	*cf;
	char		*word;

	cf = load_ok("enum.ini", "[calendar]\ndayoff_rule = none\n"
	    "[reminders]\nchannel = auto\ndefault_lang = en\n"
	    "ongoing_digest = weekly\n[report]\nschedule = quarterly\n");
	assert_int_equal(cf->dayoff_rule, CALENDAR_NONE);
	assert_int_equal(cf->channel, CONFIG_CHANNEL_AUTO);
	assert_int_equal(cf->default_lang, CONFIG_LANG_EN);
	assert_int_equal(cf->ongoing_digest, CONFIG_ONGOING_WEEKLY);
	assert_int_equal(cf->report_schedule, CONFIG_REPORT_QUARTERLY);
	config_free(cf);
	cf = load_ok("enum.ini", "[calendar]\ndayoff_rule = previous\n"
	    "[reminders]\nchannel = webhook\nongoing_digest = never\n");
	assert_int_equal(cf->dayoff_rule, CALENDAR_PREVIOUS);
	assert_int_equal(cf->channel, CONFIG_CHANNEL_WEBHOOK);
	assert_int_equal(cf->ongoing_digest, CONFIG_ONGOING_NEVER);
	config_free(cf);
	/* A value back to its word, as check-config and messages say it. */
	word = config_enum_word("reminders", "channel", CONFIG_CHANNEL_SMTP);
	assert_string_equal(word, "smtp");
	free(word);
	word = config_enum_word("report", "schedule", CONFIG_REPORT_BOTH);
	assert_string_equal(word, "both");
	free(word);
	assert_null(config_enum_word("report", "schedule", 4));
	assert_null(config_enum_word("report", "to", 0));
	check_bad("[calendar]\ndayoff_rule = later\n", 2,
	    "calendar.dayoff_rule = 'later': not one of the allowed values "
	    "(next previous none)");
	check_bad("[calendar]\ndayoff_rule = nex\n", 2,
	    "calendar.dayoff_rule = 'nex'");
	check_bad("[reminders]\ndefault_lang = VI\n", 2,
	    "reminders.default_lang = 'VI'");
}

/* Two allowed words together are not one allowed value. */
static void
test_enum_two_words(void **state)
{
	check_bad("[calendar]\ndayoff_rule = next previous\n", 2,
	    "calendar.dayoff_rule = 'next previous'");
	check_bad("[reminders]\nchannel = spool smtp\n", 2,
	    "reminders.channel = 'spool smtp'");
}

/* Paths are relative to the file's directory; derived paths follow. */
static void
test_paths(void **state)
{
	struct config	*cf;
	char		*want;

	cf = load_ok("paths.ini", "[daemon]\nstate_dir = state\n"
	    "[calendar]\ndays_off_file = /etc/days-off.ini\n"
	    "[spool]\ndir = out/spool\n");
	xasprintf(&want, "%s/units.ini", scratch_dir);
	assert_string_equal(cf->units_file, want);
	free(want);
	xasprintf(&want, "%s/state", scratch_dir);
	assert_string_equal(cf->state_dir, want);
	free(want);
	xasprintf(&want, "%s/state/deadlined.db", scratch_dir);
	assert_string_equal(cf->db_path, want);
	free(want);
	xasprintf(&want, "%s/state/feeds", scratch_dir);
	assert_string_equal(cf->feeds_dir, want);
	free(want);
	xasprintf(&want, "%s/out/spool", scratch_dir);
	assert_string_equal(cf->spool_dir, want);
	free(want);
	assert_string_equal(cf->days_off_file, "/etc/days-off.ini");
	xasprintf(&want, "%s/paths.ini", scratch_dir);
	assert_string_equal(cf->path, want);
	free(want);
	assert_string_equal(cf->dir, scratch_dir);
	/* A plain string key is not resolved. */
	assert_string_equal(cf->timezone, "Asia/Ho_Chi_Minh");
	config_free(cf);
}

/* Unknown sections and keys, keys set twice, syntax errors. */
static void
test_structure_errors(void **state)
{
	check_bad("[daemon]\nverbose = 1\n[nosuch]\nkey = 1\n", 4,
	    "unknown section [nosuch]");
	check_bad("[daemon]\ntimezon = Asia/Ho_Chi_Minh\n", 2,
	    "unknown key 'timezon' in [daemon]");
	check_bad("[smtp]\nurl = smtp://a\n\n[smtp]\nurl = smtp://b\n", 5,
	    "smtp.url set twice");
	check_bad("[daemon]\nverbose = 1\nthis line is not ini\n", 3,
	    "syntax error");
	check_bad("[daemon\nverbose = 1\n", 1, "syntax error");
	check_bad("verbose = 1\n", 1, "unknown section []");
}

/* Lines of 1 MB, too long by one byte, and of the longest allowed length. */
static void
test_long_lines(void **state)
{
	struct config	*cf;
	struct buf	 b;
	char		*path, *cause = NULL, *want;
	size_t		 i;

	buf_init(&b);
	buf_adds(&b, "[plan]\ncoordinator = ");
	for (i = 0; i < 1024 * 1024; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\n");
	check_bad(b.data, 2, "line too long");
	buf_free(&b);

	/* 200 bytes: one too many for inih's buffer. */
	buf_init(&b);
	buf_adds(&b, "[plan]\ncoordinator = ");
	while (b.len < 7 + 200)
		buf_addc(&b, 'y');
	buf_adds(&b, "\r\n");
	check_bad(b.data, 2, "line too long");
	buf_free(&b);

	/* 198 bytes pass whole, and the next line keeps its number. */
	buf_init(&b);
	buf_adds(&b, "[plan]\ncoordinator = ");
	while (b.len < 7 + 198)
		buf_addc(&b, 'z');
	buf_adds(&b, "\n[reminders]\nsend_time = 09:30\n");
	cf = load_ok("long198.ini", b.data);
	assert_int_equal(strlen(cf->coordinator), 198 - 14);
	assert_int_equal(cf->send_hour, 9);
	config_free(cf);
	buf_free(&b);

	/* 199 bytes: inih would split it, so it is refused with its line. */
	buf_init(&b);
	buf_adds(&b, "[plan]\ncoordinator = ");
	while (b.len < 7 + 199)
		buf_addc(&b, 'w');
	buf_adds(&b, "\n[nosuch]\nkey = 1\n");
	path = write_file("long199.ini", b.data);
	assert_null(config_load(path, &cause));
	buf_free(&b);
	xasprintf(&want, "%s:2: line too long (199 bytes, at most 198", path);
	free(path);
	if (strstr(cause, want) == NULL)
		fail_msg("expected '%s' in '%s'", want, cause);
	free(want);
	free(cause);
}

/* Bytes that are not text: invalid UTF-8, NUL, control characters. */
static void
test_not_text(void **state)
{
	static const char nul[] = "[daemon]\nverbose = 1\n[plan]\ncoordinator "
	    "= no\0ivu\n";
	struct config	*cf;
	char		*path, *cause = NULL;

	check_bad("[daemon]\nverbose = 1\n[plan]\ncoordinator = Ph\xf2ng\n", 4,
	    "not valid UTF-8");
	check_bad("[plan]\ncoordinator = \xc3\x28\n", 2, "not valid UTF-8");
	check_bad("[plan]\ncoordinator = a\x1b[31mb\n", 2, "not valid UTF-8");
	path = write_file_mode("nul.ini", nul, sizeof nul - 1, 0644);
	cf = config_load(path, &cause);
	assert_null(cf);
	expect_error(cause, "nul.ini", 4, "not valid UTF-8");
	free(cause);
	free(path);
	/* A byte-order mark and CRLF line ends are fine. */
	cf = load_ok("bom.ini", "\xef\xbb\xbf[daemon]\r\nverbose = 2\r\n");
	assert_int_equal(cf->verbose, 2);
	config_free(cf);
}

/* A missing file, a directory, an unreadable file. */
static void
test_not_a_file(void **state)
{
	struct config	*cf;
	char		*path, *cause = NULL;

	xasprintf(&path, "%s/missing.ini", scratch_dir);
	assert_null(config_load(path, &cause));
	expect_error(cause, "missing.ini", 0, "cannot open: No such file");
	assert_null(strchr(cause, '\n'));
	free(cause);
	free(path);

	xasprintf(&path, "%s/dir.ini", scratch_dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_null(config_load(path, &cause));
	expect_error(cause, "dir.ini", 0, "not a regular file");
	free(cause);
	free(path);

	if (geteuid() != 0) {
		path = write_file_mode("unreadable.ini", "[daemon]\n", 9, 0);
		cf = config_load(path, &cause);
		assert_null(cf);
		expect_error(cause, "unreadable.ini", 0, "cannot open: "
		    "Permission denied");
		free(cause);
		free(path);
	}
}

/* lead_days: numbers separated by spaces or commas, at most 16, 0..365. */
static void
test_lead_days(void **state)
{
	struct config	*cf;
	char		*cause;

	cf = load_ok("lead.ini", "[reminders]\nlead_days = 10, 5 2,0\n");
	assert_int_equal(cf->nlead, 4);
	assert_int_equal(cf->lead[0], 10);
	assert_int_equal(cf->lead[1], 5);
	assert_int_equal(cf->lead[2], 2);
	assert_int_equal(cf->lead[3], 0);
	config_free(cf);
	cf = load_ok("lead.ini", "[reminders]\nlead_days = 365 1 2 3 4 5 6 7 8 "
	    "9 10 11 12 13 14 15\n");
	assert_int_equal(cf->nlead, 16);
	assert_int_equal(cf->lead[0], 365);
	assert_int_equal(cf->lead[15], 15);
	config_free(cf);
	cause = load_bad("lead.ini", "[reminders]\nlead_days = 7 x\n");
	assert_non_null(strstr(cause, "lead.ini"));
	assert_non_null(strstr(cause, "reminders.lead_days = '7 x': expected "
	    "up to 16 numbers 0..365"));
	free(cause);
	cause = load_bad("lead.ini", "[reminders]\nlead_days = 366\n");
	assert_non_null(strstr(cause, "reminders.lead_days = '366'"));
	free(cause);
	cause = load_bad("lead.ini", "[reminders]\nlead_days = 0 1 2 3 4 5 6 "
	    "7 8 9 10 11 12 13 14 15 16\n");
	assert_non_null(strstr(cause, "reminders.lead_days"));
	free(cause);
	cause = load_bad("lead.ini", "[reminders]\nlead_days = -1\n");
	assert_non_null(strstr(cause, "reminders.lead_days = '-1'"));
	free(cause);
}

/* Error lines of lead_days and send_time carry the key's line number. */
static void
test_derived_error_lines(void **state)
{
	check_bad("[reminders]\n\nlead_days = 7 x\n", 3,
	    "reminders.lead_days = '7 x'");
	check_bad("[reminders]\n; c\n\nsend_time = 25:00\n", 4,
	    "reminders.send_time = '25:00'");
}

/* send_time: HH:MM within the day. */
static void
test_send_time(void **state)
{
	static const char *bad[] = { "24:00", "08:60", "0800", "08:00x",
	    "-1:30", "8", ":30", "ab:cd" };
	struct config	*cf;
	char		*text, *cause, *want;
	size_t		 i;

	cf = load_ok("time.ini", "[reminders]\nsend_time = 7:05\n");
	assert_int_equal(cf->send_hour, 7);
	assert_int_equal(cf->send_minute, 5);
	config_free(cf);
	cf = load_ok("time.ini", "[reminders]\nsend_time = 23:59\n");
	assert_int_equal(cf->send_hour, 23);
	assert_int_equal(cf->send_minute, 59);
	config_free(cf);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xasprintf(&text, "[reminders]\nsend_time = %s\n", bad[i]);
		cause = load_bad("time.ini", text);
		xasprintf(&want, "reminders.send_time = '%s': expected HH:MM",
		    bad[i]);
		if (strstr(cause, want) == NULL)
			fail_msg("expected '%s' in '%s'", want, cause);
		free(want);
		free(cause);
		free(text);
	}
}

/* Every problem is reported, one line each, in file order. */
static void
test_many_errors(void **state)
{
	char		*cause, *p;
	int		 lines = 1;

	cause = load_bad("many.ini", "[daemon]\nverbose = 9\n"
	    "colour = blue\n[calendar]\ndayoff_rule = sometimes\n"
	    "[http]\nenabled = perhaps\nenabled = no\n");
	for (p = cause; *p != '\0'; p++)
		if (*p == '\n')
			lines++;
	assert_int_equal(lines, 5);
	expect_error(cause, "many.ini", 2, "daemon.verbose = '9'");
	expect_error(cause, "many.ini", 3, "unknown key 'colour' in [daemon]");
	expect_error(cause, "many.ini", 5, "calendar.dayoff_rule = "
	    "'sometimes'");
	expect_error(cause, "many.ini", 7, "http.enabled = 'perhaps'");
	expect_error(cause, "many.ini", 8, "http.enabled set twice");
	assert_true(strstr(cause, ":2: ") < strstr(cause, ":3: "));
	assert_true(strstr(cause, ":7: ") < strstr(cause, ":8: "));
	assert_int_not_equal(cause[strlen(cause) - 1], '\n');
	free(cause);
}

/* Writes units.ini next to the configs so config_check finds it. */
static void
touch_units(void)
{
	free(write_file("units.ini", "[unit a]\nname = A\n"));
}

/* Loads text and runs config_check; returns its cause or NULL. */
static char *
check_cross(const char *text)
{
	struct config	*cf;
	char		*cause = NULL;

	cf = load_ok("cross.ini", text);
	if (config_check(cf, &cause) == 0)
		cause = NULL;
	else
		assert_non_null(cause);
	config_free(cf);
	return (cause);
}

/*
 * The sender warning (smtp.from at localhost) against the mail route of
 * the same configuration: both follow config_mails_by_smtp().
 */
static void
check_sender_warned(const char *text, int warned)
{
	struct config	*cf = load_ok("sender.ini", text);
	char		*w = config_warnings(cf);
	const char	*mail = route_channel(cf, ROUTE_EMAIL);

	if (warned)
		assert_non_null(w != NULL ? strstr(w,
		    "smtp.from 'deadlined@localhost' is an address") : NULL);
	else
		assert_true(w == NULL || strstr(w, "smtp.from") == NULL);
	assert_int_equal(mail != NULL && strcmp(mail, "smtp") == 0, warned);
	free(w);
	config_free(cf);
}

/* smtp, or auto with a server: mail by SMTP; spool, webhook, bare auto not. */
static void
test_sender_warning(void **state)
{
	(void)state;
	check_sender_warned("[reminders]\nchannel = smtp\n"
	    "[smtp]\nurl = smtp://127.0.0.1:2525\n", 1);
	check_sender_warned("[reminders]\nchannel = auto\n"
	    "[smtp]\nurl = smtp://127.0.0.1:2525\n", 1);
	check_sender_warned("[reminders]\nchannel = auto\n", 0);
	check_sender_warned("[reminders]\nchannel = spool\n"
	    "[smtp]\nurl = smtp://127.0.0.1:2525\n", 0);
	check_sender_warned("[reminders]\nchannel = webhook\n"
	    "[smtp]\nurl = smtp://127.0.0.1:2525\n", 0);
}

/* Cross-field checks: each problem alone, then several at once. */
static void
test_config_check(void **state)
{
	char	*cause, *secret, *text;

	touch_units();
	assert_null(check_cross("[daemon]\nverbose = 1\n"));
	cause = check_cross("[smtp]\nurl = http://mail.example.gov.vn\n");
	expect_error(cause, "cross.ini", 0, "smtp.url must start with smtp:// "
	    "or smtps://");
	free(cause);
	assert_null(check_cross("[smtp]\nurl = smtps://mail.example.gov.vn\n"));
	cause = check_cross("[smtp]\nurl = smtp://mail.example.gov.vn:587\n"
	    "username = noivu\n");
	expect_error(cause, "cross.ini", 0, "smtp.username is set but "
	    "smtp.password_file is not");
	free(cause);
	cause = check_cross("[outbox]\nbackoff_base = 600\nbackoff_max = 60\n");
	expect_error(cause, "cross.ini", 0, "outbox.backoff_base is larger "
	    "than outbox.backoff_max");
	free(cause);
	assert_null(check_cross("[outbox]\nbackoff_base = 60\nbackoff_max = "
	    "60\n"));
	cause = check_cross("[reminders]\nchannel = smtp\n");
	expect_error(cause, "cross.ini", 0, "reminders.channel is smtp but "
	    "smtp.url is not set");
	free(cause);
	cause = check_cross("[daemon]\ntimezone = Asia/Hanoi_Nowhere\n");
	expect_error(cause, "cross.ini", 0, "daemon.timezone "
	    "'Asia/Hanoi_Nowhere' is not a known zone");
	free(cause);
	cause = check_cross("[calendar]\nweekend = sat sunday\n");
	expect_error(cause, "cross.ini", 0, "calendar.weekend 'sat sunday'");
	free(cause);
	cause = check_cross("[daemon]\nunits_file = nounits.ini\n"
	    "[calendar]\ndays_off_file = nodays.ini\n");
	assert_non_null(strstr(cause, "daemon.units_file"));
	assert_non_null(strstr(cause, "nounits.ini: No such file"));
	assert_non_null(strstr(cause, "calendar.days_off_file"));
	assert_non_null(strstr(cause, "nodays.ini: No such file"));
	assert_non_null(strchr(cause, '\n'));
	free(cause);

	/* Secret files: 0644 refused, 0600 accepted. */
	secret = write_file_mode("smtp.pass", "hunter2\n", 8, 0644);
	xasprintf(&text, "[smtp]\nurl = smtp://mail.example.gov.vn\n"
	    "username = noivu\npassword_file = smtp.pass\n");
	cause = check_cross(text);
	assert_non_null(cause);
	assert_non_null(strstr(cause, secret));
	assert_non_null(strstr(cause, "readable by group or others"));
	assert_non_null(strstr(cause, "0644"));
	free(cause);
	assert_int_equal(chmod(secret, 0600), 0);
	assert_null(check_cross(text));
	free(text);
	assert_int_equal(chmod(secret, 0640), 0);
	cause = check_cross("[http]\nlink_secret_file = smtp.pass\n");
	assert_non_null(strstr(cause, "readable by group or others"));
	free(cause);
	cause = check_cross("[http]\nlink_secret_file = nosecret\n");
	assert_non_null(strstr(cause, "nosecret: cannot read secret file"));
	free(cause);
	free(secret);
}

/*
 * Checking changes nothing in the process (#18): config_check of a
 * configuration in another zone leaves TZ as it was, whether the check
 * passes or fails; the daemon sets the zone when it swaps configs.
 */
static void
test_check_changes_nothing(void **state)
{
	char	*cause, *before;

	touch_units();
	assert_int_equal(setenv("TZ", "Asia/Ho_Chi_Minh", 1), 0);
	assert_null(check_cross("[daemon]\ntimezone = Europe/Paris\n"));
	assert_string_equal(getenv("TZ"), "Asia/Ho_Chi_Minh");
	cause = check_cross("[daemon]\ntimezone = America/New_York\n"
	    "[outbox]\nbackoff_base = 600\nbackoff_max = 60\n");
	assert_non_null(cause);
	assert_string_equal(getenv("TZ"), "Asia/Ho_Chi_Minh");
	free(cause);
	before = xstrdup(getenv("TZ"));
	cause = check_cross("[daemon]\ntimezone = UTC\n");
	assert_null(cause);
	assert_string_equal(getenv("TZ"), before);
	free(before);
}

/*
 * Sender addresses are checked as the messages will be (mime.c), with
 * their file and line: a from of "<>", a display name put in the
 * address, two addresses in reply_to, a from_name with a control
 * character (which the INI reader refuses first).  An empty reply_to
 * means none; an empty from is refused.
 */
static void
test_sender_addresses(void **state)
{
	struct config	*cf;

	check_bad("[smtp]\nfrom = <>\n", 2, "smtp.from = '<>': expected "
	    "one address local@domain");
	check_bad("[daemon]\nverbose = 1\n[smtp]\nfrom = \"Phòng Nội vụ\" "
	    "<noivu@example.gov.vn>\n", 4, "smtp.from = '\"Phòng Nội vụ\" "
	    "<noivu@example.gov.vn>': expected one address local@domain");
	check_bad("[smtp]\nfrom = \"noivu@example.gov.vn\"@example.invalid\n",
	    2, "smtp.from");
	check_bad("[smtp]\nfrom =\n", 2, "smtp.from = '': expected one "
	    "address local@domain");
	check_bad("[smtp]\nreply_to = noivu@example.gov.vn, "
	    "vanthu@example.gov.vn\n", 2, "smtp.reply_to = 'noivu@example."
	    "gov.vn, vanthu@example.gov.vn': expected one address "
	    "local@domain");
	check_bad("[smtp]\nreply_to = noivu@example.gov.vn "
	    "vanthu@example.gov.vn\n", 2, "smtp.reply_to");
	check_bad("[smtp]\nfrom_name = Phòng\x01Nội vụ\n", 2, "");
	cf = load_ok("ok.ini", "[smtp]\nfrom = nhachan@example.gov.vn\n"
	    "reply_to =\nfrom_name = \"UBND\" <x@y>\n");
	assert_string_equal(cf->smtp_reply_to, "");
	config_free(cf);
	cf = load_ok("ok.ini", "[smtp]\nreply_to = noivu@example.gov.vn\n");
	assert_string_equal(cf->smtp_reply_to, "noivu@example.gov.vn");
	config_free(cf);
}

/* Secret files: mode, type, first line trimmed, empty refused. */
static void
test_secret_files(void **state)
{
	char	*path, *cause = NULL, *secret;

	path = write_file_mode("s1", "k3y v4lue \t\r\nsecond line\n", 25,
	    0600);
	secret = config_read_secret(path, &cause);
	assert_non_null(secret);
	assert_string_equal(secret, "k3y v4lue");
	free(secret);
	assert_int_equal(config_check_secret_file(path, &cause), 0);
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_equal(config_check_secret_file(path, &cause), -1);
	assert_non_null(strstr(cause, "readable by group or others"));
	free(cause);
	assert_null(config_read_secret(path, &cause));
	free(cause);
	free(path);

	path = write_file_mode("s2", "\n", 1, 0600);
	assert_null(config_read_secret(path, &cause));
	assert_non_null(strstr(cause, "secret file is empty"));
	free(cause);
	free(path);

	xasprintf(&path, "%s", scratch_dir);
	assert_int_equal(config_check_secret_file(path, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	free(path);
}

/* inifile on its own: error text, counting and stealing. */
static void
test_inifile_errors(void **state)
{
	struct inifile_errors	*e;
	char			*s;

	e = inifile_errors_new();
	assert_int_equal(inifile_error_count(e), 0);
	assert_string_equal(inifile_errors_text(e), "");
	inifile_error(e, "a.ini", 3, "bad %s", "thing");
	inifile_error(e, "a.ini", 0, "whole file");
	assert_int_equal(inifile_error_count(e), 2);
	assert_string_equal(inifile_errors_text(e),
	    "a.ini:3: bad thing\na.ini: whole file\n");
	s = inifile_errors_steal(e);
	assert_string_equal(s, "a.ini:3: bad thing\na.ini: whole file");
	assert_int_equal(inifile_error_count(e), 0);
	free(s);
	inifile_errors_free(e);
	inifile_errors_free(NULL);
}

/* Makes the temporary directory. */
static int
setup(void **state)
{
	return (scratch_make("config"));
}

/* Removes the temporary directory. */
static int
teardown(void **state)
{
	return (scratch_remove());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_example_matches_table),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_enum_two_words),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_not_a_file),
		cmocka_unit_test(test_lead_days),
		cmocka_unit_test(test_derived_error_lines),
		cmocka_unit_test(test_send_time),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_config_check),
		cmocka_unit_test(test_sender_warning),
		cmocka_unit_test(test_check_changes_nothing),
		cmocka_unit_test(test_sender_addresses),
		cmocka_unit_test(test_secret_files),
		cmocka_unit_test(test_inifile_errors),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
