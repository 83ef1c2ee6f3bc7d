/*
 * The configuration table and its one handler.  Each key has a type, a
 * range and a default written as text, so defaults pass through the same
 * parser as the file does.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "config.h"
#include "date.h"
#include "ics.h"
#include "inifile.h"
#include "mime.h"
#include "xmalloc.h"

enum config_type {
	CONFIG_STRING,
	CONFIG_PATH,		/* relative to the config file's directory */
	CONFIG_INT,
	CONFIG_BOOL,
	CONFIG_ENUM,		/* one of the words in `choices` */
	CONFIG_DAYS,		/* numbers 0..max separated by spaces */
	CONFIG_TIME,		/* HH:MM */
	CONFIG_ADDRESS,		/* local@domain as mime.c sends it; empty
				   when the default is (none) */
	CONFIG_PHRASE,		/* a mail header's text (a display name) */
	CONFIG_IPS,		/* up to max IP addresses, by spaces or commas */
	CONFIG_DOMAIN		/* a host name, or empty */
};

struct config_entry {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	long			 min;
	long			 max;
	const char		*choices;
	const char		*def;
	size_t			 offset;
};

#define S(f)	offsetof(struct config, f)

static const struct config_entry config_table[] = {
	{ "daemon", "timezone", CONFIG_STRING, 0, 0, NULL,
	  "Asia/Ho_Chi_Minh", S(timezone) },
	{ "daemon", "state_dir", CONFIG_PATH, 0, 0, NULL,
	  DEADLINED_STATEDIR, S(state_dir) },
	{ "daemon", "units_file", CONFIG_PATH, 0, 0, NULL, "units.ini",
	  S(units_file) },
	{ "daemon", "verbose", CONFIG_INT, 0, 2, NULL, "0", S(verbose) },

	{ "database", "path", CONFIG_PATH, 0, 0, NULL, "", S(db_path) },
	{ "database", "busy_timeout_ms", CONFIG_INT, 0, 600000, NULL, "5000",
	  S(busy_timeout_ms) },

	{ "calendar", "days_off_file", CONFIG_PATH, 0, 0, NULL, "",
	  S(days_off_file) },
	{ "calendar", "weekend", CONFIG_STRING, 0, 0, NULL, "sat sun",
	  S(weekend) },
	{ "calendar", "dayoff_rule", CONFIG_ENUM, 0, 0, "next previous none",
	  "next", S(dayoff_rule) },
	{ "calendar", "national_day_extra", CONFIG_INT, -1, 1, NULL, "-1",
	  S(national_day_extra) },
	{ "calendar", "horizon_days", CONFIG_INT, 1, 3660, NULL, "400",
	  S(horizon_days) },

	{ "plan", "coordinator", CONFIG_STRING, 0, 0, NULL, "",
	  S(coordinator) },
	{ "plan", "period_day", CONFIG_INT, 0, 31, NULL, "0", S(period_day) },

	{ "reminders", "lead_days", CONFIG_DAYS, 0, 365, NULL, "7 3 1 0",
	  S(lead_days) },
	{ "reminders", "overdue_every", CONFIG_INT, 1, 365, NULL, "3",
	  S(overdue_every) },
	{ "reminders", "overdue_max", CONFIG_INT, 0, 1000, NULL, "5",
	  S(overdue_max) },
	{ "reminders", "escalate_after", CONFIG_INT, 0, 365, NULL, "5",
	  S(escalate_after) },
	{ "reminders", "send_time", CONFIG_TIME, 0, 0, NULL, "08:00",
	  S(send_time) },
	{ "reminders", "working_days_only", CONFIG_BOOL, 0, 1, NULL, "yes",
	  S(working_days_only) },
	{ "reminders", "ongoing_digest", CONFIG_ENUM, 0, 0,
	  "daily weekly monthly never", "monthly", S(ongoing_digest) },
	{ "reminders", "default_lang", CONFIG_ENUM, 0, 0, "vi en", "vi",
	  S(default_lang) },
	{ "reminders", "channel", CONFIG_ENUM, 0, 0, "spool smtp webhook auto",
	  "spool", S(channel) },

	{ "outbox", "lifetime_days", CONFIG_INT, 1, 60, NULL, "3",
	  S(lifetime_days) },
	{ "outbox", "backoff_base", CONFIG_INT, 1, 86400, NULL, "60",
	  S(backoff_base) },
	{ "outbox", "backoff_max", CONFIG_INT, 1, 604800, NULL, "21600",
	  S(backoff_max) },
	{ "outbox", "lease_seconds", CONFIG_INT, 10, 86400, NULL, "300",
	  S(lease_seconds) },
	{ "outbox", "batch_size", CONFIG_INT, 1, 100000, NULL, "100",
	  S(batch_size) },

	{ "smtp", "url", CONFIG_STRING, 0, 0, NULL, "", S(smtp_url) },
	{ "smtp", "helo", CONFIG_STRING, 0, 0, NULL, "", S(smtp_helo) },
	{ "smtp", "username", CONFIG_STRING, 0, 0, NULL, "",
	  S(smtp_username) },
	{ "smtp", "password_file", CONFIG_PATH, 0, 0, NULL, "",
	  S(smtp_password_file) },
	{ "smtp", "from", CONFIG_ADDRESS, 0, 0, NULL,
	  "deadlined@localhost", S(smtp_from) },
	{ "smtp", "from_name", CONFIG_PHRASE, 0, 0, NULL,
	  "Nhắc hạn công việc", S(smtp_from_name) },
	{ "smtp", "reply_to", CONFIG_ADDRESS, 0, 0, NULL, "",
	  S(smtp_reply_to) },
	{ "smtp", "ca_file", CONFIG_PATH, 0, 0, NULL, "", S(smtp_ca_file) },
	{ "smtp", "starttls", CONFIG_BOOL, 0, 1, NULL, "yes",
	  S(smtp_starttls) },
	{ "smtp", "connect_timeout", CONFIG_INT, 1, 600, NULL, "10",
	  S(smtp_connect_timeout) },
	{ "smtp", "timeout", CONFIG_INT, 1, 3600, NULL, "60",
	  S(smtp_timeout) },

	{ "webhook", "connect_timeout", CONFIG_INT, 1, 600, NULL, "10",
	  S(webhook_connect_timeout) },
	{ "webhook", "timeout", CONFIG_INT, 1, 3600, NULL, "30",
	  S(webhook_timeout) },
	{ "webhook", "allow_http_loopback", CONFIG_BOOL, 0, 1, NULL, "no",
	  S(webhook_allow_http_loopback) },
	{ "webhook", "ca_file", CONFIG_PATH, 0, 0, NULL, "",
	  S(webhook_ca_file) },

	{ "spool", "dir", CONFIG_PATH, 0, 0, NULL, "", S(spool_dir) },

	{ "feeds", "dir", CONFIG_PATH, 0, 0, NULL, "", S(feeds_dir) },
	{ "feeds", "refresh_minutes", CONFIG_INT, 5, 10080, NULL, "60",
	  S(feeds_refresh_minutes) },
	{ "feeds", "todo", CONFIG_BOOL, 0, 1, NULL, "yes", S(feeds_todo) },
	{ "feeds", "alarm_days", CONFIG_INT, 0, ICS_MAX_ALARM_DAYS, NULL, "0",
	  S(feeds_alarm_days) },
	{ "feeds", "uid_domain", CONFIG_DOMAIN, 0, 0, NULL, "",
	  S(feeds_uid_domain) },

	{ "http", "enabled", CONFIG_BOOL, 0, 1, NULL, "yes",
	  S(http_enabled) },
	{ "http", "listen", CONFIG_STRING, 0, 0, NULL, "127.0.0.1:8087",
	  S(http_listen) },
	{ "http", "base_url", CONFIG_STRING, 0, 0, NULL,
	  "http://127.0.0.1:8087", S(http_base_url) },
	{ "http", "max_connections", CONFIG_INT, 1, 10000, NULL, "200",
	  S(http_max_connections) },
	{ "http", "timeout", CONFIG_INT, 1, 600, NULL, "10",
	  S(http_timeout) },
	{ "http", "link_secret_file", CONFIG_PATH, 0, 0, NULL, "",
	  S(http_link_secret_file) },
	{ "http", "link_days", CONFIG_INT, 1, 365, NULL, "30",
	  S(http_link_days) },
	{ "http", "trusted_proxies", CONFIG_IPS, 0, CONFIG_MAX_PROXIES, NULL,
	  "", S(http_trusted_proxies) },
	{ "http", "health_token_file", CONFIG_PATH, 0, 0, NULL, "",
	  S(http_health_token_file) },

	{ "console", "enabled", CONFIG_BOOL, 0, 1, NULL, "yes",
	  S(console_enabled) },
	{ "console", "session_hours", CONFIG_INT, 1, 720, NULL, "12",
	  S(console_session_hours) },
	{ "console", "login_minutes", CONFIG_INT, 5, 10080, NULL, "60",
	  S(console_login_minutes) },

	{ "report", "schedule", CONFIG_ENUM, 0, 0,
	  "off monthly quarterly both", "monthly", S(report_schedule) },
	{ "report", "to", CONFIG_STRING, 0, 0, NULL, "", S(report_to) },
};
#define CONFIG_NENTRIES (sizeof config_table / sizeof config_table[0])

struct config_parse {
	struct config		*cf;
	struct inifile_errors	*errs;
	const char		*path;
	unsigned char		 seen[CONFIG_NENTRIES];
};

const char *
config_default_path(void)
{
	return (DEADLINED_SYSCONFDIR "/deadlined.ini");
}

/* Finds a table entry; NULL if the section or key is unknown. */
static const struct config_entry *
config_find(const char *section, const char *key, int *section_known)
{
	size_t	i;

	*section_known = 0;
	for (i = 0; i < CONFIG_NENTRIES; i++) {
		if (strcmp(config_table[i].section, section) != 0)
			continue;
		*section_known = 1;
		if (strcmp(config_table[i].key, key) == 0)
			return (&config_table[i]);
	}
	return (NULL);
}

int
config_parse_long(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/* Reads yes/no, true/false, on/off, 1/0. */
static int
config_parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	return (-1);
}

/* The place of word among the space-separated choices, or -1. */
static int
config_choice_index(const char *choices, const char *word)
{
	size_t		 n = strlen(word), len;
	const char	*p = choices;
	int		 i = 0;

	if (n == 0 || strchr(word, ' ') != NULL)
		return (-1);
	while (*p != '\0') {
		len = strcspn(p, " ");
		if (len == n && strncmp(p, word, n) == 0)
			return (i);
		p += len;
		while (*p == ' ')
			p++;
		i++;
	}
	return (-1);
}

/* The i-th of the space-separated choices into word; NULL if none. */
static const char *
config_choice_word(const char *choices, int i, char *word, size_t size)
{
	const char	*p = choices;
	size_t		 len;

	for (;;) {
		len = strcspn(p, " ");
		if (len == 0 || len >= size)
			return (NULL);
		if (i-- == 0)
			break;
		p += len;
		while (*p == ' ')
			p++;
	}
	memcpy(word, p, len);
	word[len] = '\0';
	return (word);
}

/* Reads "7 3 1 0" into out (at most CONFIG_MAX_LEAD); count or -1. */
static int
config_parse_days(const char *s, long max, int *out)
{
	char	*copy, *word, *save = NULL;
	long	 v;
	int	 n = 0;

	copy = xstrdup(s);
	for (word = strtok_r(copy, " ,", &save); word != NULL;
	    word = strtok_r(NULL, " ,", &save)) {
		if (n == CONFIG_MAX_LEAD ||
		    config_parse_long(word, 0, max, &v) != 0) {
			n = -1;
			break;
		}
		if (out != NULL)
			out[n] = (int)v;
		n++;
	}
	free(copy);
	return (n);
}

int
config_parse_ip(const char *s, struct config_ip *ip)
{
	unsigned char	v4[4];

	memset(ip, 0, sizeof *ip);
	if (inet_pton(AF_INET6, s, ip->addr) == 1)
		return (0);
	if (inet_pton(AF_INET, s, v4) != 1)
		return (-1);
	ip->addr[10] = ip->addr[11] = 0xff;
	memcpy(ip->addr + 12, v4, 4);
	return (0);
}

/* Reads "127.0.0.1 ::1" into out (at most max); count or -1. */
static int
config_parse_ips(const char *s, long max, struct config_ip *out)
{
	struct config_ip	 ip;
	char			*copy, *word, *save = NULL;
	int			 n = 0;

	copy = xstrdup(s);
	for (word = strtok_r(copy, " ,", &save); word != NULL;
	    word = strtok_r(NULL, " ,", &save)) {
		if (n == max || config_parse_ip(word, &ip) != 0) {
			n = -1;
			break;
		}
		if (out != NULL)
			out[n] = ip;
		n++;
	}
	free(copy);
	return (n);
}

/* Reads HH:MM; 0 or -1. */
static int
config_parse_time(const char *s, int *hh, int *mm)
{
	int	h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return (-1);
	if (hh != NULL)
		*hh = h;
	if (mm != NULL)
		*mm = m;
	return (0);
}

/* 1 if s is a domain name: labels of letters, digits and '-', by dots. */
static int
config_valid_domain(const char *s)
{
	size_t	n = strlen(s), label = 0;

	if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.' ||
	    s[0] == '-')
		return (0);
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0 || s[-1] == '-')
				return (0);
			label = 0;
		} else if (isalnum((unsigned char)*s) || *s == '-') {
			if (++label > 63)
				return (0);
		} else
			return (0);
	}
	return (1);
}

/* Makes a relative path absolute against the config's directory. */
static char *
config_resolve(const struct config *cf, const char *value)
{
	char	*s;

	if (*value == '\0' || *value == '/' || cf->dir == NULL)
		return (xstrdup(value));
	xasprintf(&s, "%s/%s", cf->dir, value);
	return (s);
}

/*
 * Checks an address or a phrase as mime.c will when it builds a message;
 * NULL, or a message and *detail (caller frees).
 */
static const char *
config_check_mail(const struct config_entry *e, const char *value,
    char **detail)
{
	if (e->type == CONFIG_PHRASE) {
		if (mime_check_header_value(value, detail) != 0)
			return ("not fit for a mail header");
		return (NULL);
	}
	if (*value == '\0' && *e->def == '\0')
		return (NULL);
	if (mime_check_address(value, detail) != 0)
		return ("expected one address local@domain");
	return (NULL);
}

/*
 * Stores one value into the config; NULL on success, else a message and
 * maybe *detail (caller frees).
 */
static const char *
config_set(struct config *cf, const struct config_entry *e, const char *value,
    char **detail)
{
	const char	*err;
	void		*field = (char *)cf + e->offset;
	long		 v;
	int		 b;

	switch (e->type) {
	case CONFIG_INT:
		if (config_parse_long(value, e->min, e->max, &v) != 0)
			return ("expected a whole number in range");
		*(int *)field = (int)v;
		return (NULL);
	case CONFIG_BOOL:
		if (config_parse_bool(value, &b) != 0)
			return ("expected yes or no");
		*(int *)field = b;
		return (NULL);
	case CONFIG_ENUM:
		if ((b = config_choice_index(e->choices, value)) < 0)
			return ("not one of the allowed values");
		*(int *)field = b;
		return (NULL);
	case CONFIG_DAYS:
		if (config_parse_days(value, e->max, NULL) < 0)
			return ("expected up to 16 numbers");
		break;
	case CONFIG_TIME:
		if (config_parse_time(value, NULL, NULL) != 0)
			return ("expected HH:MM");
		break;
	case CONFIG_IPS:
		if (config_parse_ips(value, e->max, NULL) < 0)
			return ("expected up to 16 IP addresses");
		break;
	case CONFIG_ADDRESS:
	case CONFIG_PHRASE:
		if ((err = config_check_mail(e, value, detail)) != NULL)
			return (err);
		break;
	case CONFIG_DOMAIN:
		if (*value != '\0' && !config_valid_domain(value))
			return ("expected a domain name such as "
			    "nhachan.example.gov.vn");
		break;
	case CONFIG_STRING:
	case CONFIG_PATH:
		break;
	}
	free(*(char **)field);
	if (e->type == CONFIG_PATH)
		*(char **)field = config_resolve(cf, value);
	else
		*(char **)field = xstrdup(value);
	return (NULL);
}

/* The inih callback: one key of the file. */
static int
config_handler(void *arg, const char *section, const char *key,
    const char *value, unsigned line)
{
	struct config_parse		*p = arg;
	const struct config_entry	*e;
	const char			*err;
	char				*detail = NULL;
	int				 known;

	if ((e = config_find(section, key, &known)) == NULL) {
		if (!known)
			inifile_error(p->errs, p->path, line,
			    "unknown section [%s]", section);
		else
			inifile_error(p->errs, p->path, line,
			    "unknown key '%s' in [%s]", key, section);
		return (-1);
	}
	if (p->seen[e - config_table]++)
		inifile_error(p->errs, p->path, line, "%s.%s set twice",
		    section, key);
	p->cf->lines[e - config_table] = line;
	if ((err = config_set(p->cf, e, value, &detail)) != NULL) {
		if (detail != NULL)
			inifile_error(p->errs, p->path, line, "%s.%s = '%s': "
			    "%s (%s)", section, key, value, err, detail);
		else if (e->type == CONFIG_INT || e->type == CONFIG_DAYS)
			inifile_error(p->errs, p->path, line, "%s.%s = '%s': "
			    "%s %ld..%ld", section, key, value, err, e->min,
			    e->max);
		else if (e->type == CONFIG_ENUM)
			inifile_error(p->errs, p->path, line, "%s.%s = '%s': "
			    "%s (%s)", section, key, value, err, e->choices);
		else
			inifile_error(p->errs, p->path, line, "%s.%s = '%s': "
			    "%s", section, key, value, err);
		free(detail);
		return (-1);
	}
	return (0);
}

/* Applies every default; the table itself is checked here. */
static void
config_defaults(struct config *cf)
{
	const char	*err;
	char		*detail = NULL;
	size_t		 i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		err = config_set(cf, &config_table[i], config_table[i].def,
		    &detail);
		if (err != NULL)
			fatalx("config table: default of %s.%s: %s",
			    config_table[i].section, config_table[i].key, err);
	}
}

/* Derived fields and paths that default to the state directory. */
static void
config_derive(struct config *cf, struct config_parse *p)
{
	struct {
		char		**field;
		const char	 *name;
	} under_state[] = {
		{ &cf->db_path, "deadlined.db" },
		{ &cf->spool_dir, "spool" },
		{ &cf->feeds_dir, "feeds" },
	};
	size_t	i;

	for (i = 0; i < sizeof under_state / sizeof under_state[0]; i++) {
		if (**under_state[i].field != '\0')
			continue;
		free(*under_state[i].field);
		xasprintf(under_state[i].field, "%s/%s", cf->state_dir,
		    under_state[i].name);
	}
	/* Both were checked when read, with their line numbers. */
	cf->nlead = config_parse_days(cf->lead_days, 365, cf->lead);
	if (cf->nlead < 0)
		cf->nlead = 0;
	if (config_parse_time(cf->send_time, &cf->send_hour,
	    &cf->send_minute) != 0)
		cf->send_hour = cf->send_minute = 0;
	cf->http_nproxies = config_parse_ips(cf->http_trusted_proxies,
	    CONFIG_MAX_PROXIES, cf->http_proxies);
	if (cf->http_nproxies < 0)
		cf->http_nproxies = 0;
}

struct config *
config_load(const char *path, char **cause)
{
	struct config_parse	 p;
	struct config		*cf;
	char			*slash;

	cf = xcalloc(1, sizeof *cf);
	cf->lines = xcalloc(CONFIG_NENTRIES, sizeof *cf->lines);
	memset(&p, 0, sizeof p);
	p.cf = cf;
	p.errs = inifile_errors_new();
	p.path = path != NULL ? path : "(defaults)";
	if (path != NULL) {
		cf->path = xstrdup(path);
		cf->dir = xstrdup(path);
		if ((slash = strrchr(cf->dir, '/')) != NULL)
			*slash = '\0';
		else {
			free(cf->dir);
			cf->dir = getcwd(NULL, 0);
		}
	}
	config_defaults(cf);
	if (path != NULL)
		inifile_parse(path, config_handler, &p, p.errs);
	config_derive(cf, &p);
	if (inifile_error_count(p.errs) != 0) {
		*cause = inifile_errors_steal(p.errs);
		inifile_errors_free(p.errs);
		config_free(cf);
		return (NULL);
	}
	inifile_errors_free(p.errs);
	return (cf);
}

void
config_free(struct config *cf)
{
	size_t	i;

	if (cf == NULL)
		return;
	for (i = 0; i < CONFIG_NENTRIES; i++) {
		if (config_table[i].type != CONFIG_INT &&
		    config_table[i].type != CONFIG_BOOL &&
		    config_table[i].type != CONFIG_ENUM)
			free(*(char **)((char *)cf + config_table[i].offset));
	}
	free(cf->path);
	free(cf->dir);
	free(cf->lines);
	free(cf);
}

unsigned
config_line(const struct config *cf, const char *section, const char *key)
{
	const struct config_entry	*e;
	int				 known;

	if ((e = config_find(section, key, &known)) == NULL)
		return (0);
	return (cf->lines[e - config_table]);
}

/*
 * Where a key is, for a message: "FILE:LINE" when the file sets it, else
 * "FILE".  Caller frees.
 */
static char *
config_where(const struct config *cf, const char *section, const char *key)
{
	const char	*path = cf->path != NULL ? cf->path : "(defaults)";
	unsigned	 line = config_line(cf, section, key);
	char		*s;

	if (line == 0)
		return (xstrdup(path));
	xasprintf(&s, "%s:%u", path, line);
	return (s);
}

int
config_check_secret_file(const char *path, char **cause)
{
	struct stat	st;

	if (stat(path, &st) == -1) {
		xasprintf(cause, "%s: cannot read secret file: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: secret file is not a regular file", path);
		return (-1);
	}
	if ((st.st_mode & 077) != 0) {
		xasprintf(cause, "%s: secret file is readable by group or "
		    "others (mode %04o); run chmod 600 on it", path,
		    (unsigned)(st.st_mode & 07777));
		return (-1);
	}
	return (0);
}

char *
config_read_secret(const char *path, char **cause)
{
	char	 line[4096];
	FILE	*f;
	size_t	 n;

	if (config_check_secret_file(path, cause) != 0)
		return (NULL);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		xasprintf(cause, "%s: secret file is empty", path);
		return (NULL);
	}
	fclose(f);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	if (n == 0) {
		xasprintf(cause, "%s: secret file is empty", path);
		return (NULL);
	}
	return (xstrdup(line));
}

/* Adds a secret file's problem, at the line of its key, to b. */
static void
config_check_secret_key(const struct config *cf, struct buf *b,
    const char *section, const char *key, const char *path)
{
	char	*where, *sub = NULL;

	if (*path == '\0' || config_check_secret_file(path, &sub) == 0)
		return;
	where = config_where(cf, section, key);
	buf_printf(b, "%s: %s.%s %s\n", where, section, key, sub);
	free(where);
	free(sub);
}

int
config_check(const struct config *cf, char **cause)
{
	struct buf	 b;
	const char	*where = cf->path != NULL ? cf->path : "(defaults)";

	buf_init(&b);
	if (!date_known_timezone(cf->timezone))
		buf_printf(&b, "%s: daemon.timezone '%s' is not a known zone\n",
		    where, cf->timezone);
	if (calendar_weekend_mask(cf->weekend) < 0)
		buf_printf(&b, "%s: calendar.weekend '%s': expected day names "
		    "such as 'sat sun'\n", where, cf->weekend);
	if (access(cf->units_file, R_OK) != 0)
		buf_printf(&b, "%s: daemon.units_file %s: %s\n", where,
		    cf->units_file, strerror(errno));
	if (*cf->days_off_file != '\0' && access(cf->days_off_file, R_OK) != 0)
		buf_printf(&b, "%s: calendar.days_off_file %s: %s\n", where,
		    cf->days_off_file, strerror(errno));
	if (cf->channel == CONFIG_CHANNEL_SMTP && *cf->smtp_url == '\0')
		buf_printf(&b, "%s: reminders.channel is smtp but smtp.url is "
		    "not set\n", where);
	if (*cf->smtp_url != '\0' && strncmp(cf->smtp_url, "smtp://", 7) != 0 &&
	    strncmp(cf->smtp_url, "smtps://", 8) != 0)
		buf_printf(&b, "%s: smtp.url must start with smtp:// or "
		    "smtps://\n", where);
	if (*cf->smtp_username != '\0' && *cf->smtp_password_file == '\0')
		buf_printf(&b, "%s: smtp.username is set but smtp.password_file "
		    "is not\n", where);
	config_check_secret_key(cf, &b, "smtp", "password_file",
	    cf->smtp_password_file);
	config_check_secret_key(cf, &b, "http", "link_secret_file",
	    cf->http_link_secret_file);
	config_check_secret_key(cf, &b, "http", "health_token_file",
	    cf->http_health_token_file);
	if (cf->backoff_base > cf->backoff_max)
		buf_printf(&b, "%s: outbox.backoff_base is larger than "
		    "outbox.backoff_max\n", where);
	if (b.len == 0) {
		buf_free(&b);
		return (0);
	}
	b.data[--b.len] = '\0';
	*cause = buf_steal(&b);
	return (-1);
}

char *
config_url_host(const char *url)
{
	const char	*p, *end, *q;
	char		*host, *c;

	if ((p = strstr(url, "://")) == NULL)
		return (NULL);
	p += 3;
	end = p + strcspn(p, "/?#");
	for (q = p; q < end; q++) {
		if (*q == '@')		/* userinfo@host */
			p = q + 1;
	}
	if (*p == '[') {
		if ((q = memchr(p, ']', (size_t)(end - p))) == NULL)
			return (NULL);
		host = xstrndup(p + 1, (size_t)(q - p - 1));
	} else {
		q = memchr(p, ':', (size_t)(end - p));
		host = xstrndup(p, (size_t)((q != NULL ? q : end) - p));
	}
	for (c = host; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	if (*host == '\0') {
		free(host);
		return (NULL);
	}
	return (host);
}

/* 1 if a host name or address is this machine's loopback. */
static int
config_host_is_loopback(const char *host)
{
	struct config_ip	ip;
	static const unsigned char v6_loopback[16] = { [15] = 1 };
	size_t			n = strlen(host);

	if (strcasecmp(host, "localhost") == 0 ||
	    strcasecmp(host, "localhost.localdomain") == 0 ||
	    (n > 10 && strcasecmp(host + n - 10, ".localhost") == 0))
		return (1);
	if (config_parse_ip(host, &ip) != 0)
		return (0);
	if (memcmp(ip.addr, v6_loopback, 16) == 0)
		return (1);
	/* IPv4 is held mapped: ::ffff:127.x.y.z */
	return (ip.addr[10] == 0xff && ip.addr[11] == 0xff &&
	    ip.addr[12] == 127 && memcmp(ip.addr, v6_loopback, 10) == 0);
}

int
config_url_is_loopback(const char *url)
{
	char	*host;
	int	 loopback;

	if ((host = config_url_host(url)) == NULL)
		return (0);
	loopback = config_host_is_loopback(host);
	free(host);
	return (loopback);
}

int
config_mails_by_smtp(enum config_channel setting, int smtp_set)
{
	return (setting == CONFIG_CHANNEL_SMTP ||
	    (setting == CONFIG_CHANNEL_AUTO && smtp_set));
}

int
config_posts_webhooks(enum config_channel setting)
{
	return (setting == CONFIG_CHANNEL_WEBHOOK ||
	    setting == CONFIG_CHANNEL_AUTO);
}

/* A sender at localhost while mail goes out by SMTP. */
static void
config_warn_sender(const struct config *cf, struct buf *b)
{
	const char	*domain;
	char		*host, *at, *channel;

	if (!config_mails_by_smtp(cf->channel, *cf->smtp_url != '\0') ||
	    (domain = strrchr(cf->smtp_from, '@')) == NULL)
		return;
	host = xstrdup(domain + 1);
	if (*host == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host) - 1);
		host[strlen(host) - 2] = '\0';
	}
	if (config_host_is_loopback(host)) {
		at = config_where(cf, "smtp", "from");
		channel = config_enum_word("reminders", "channel", cf->channel);
		buf_printf(b, "%s: smtp.from '%s' is an address of this machine "
		    "while mail goes out by SMTP (reminders.channel = %s): mail "
		    "servers refuse or junk it and replies reach nobody; set an "
		    "address of the office's domain\n", at, cf->smtp_from,
		    channel);
		free(channel);
		free(at);
	}
	free(host);
}

/* A loopback base_url while links or feed addresses are made from it. */
static void
config_warn_base_url(const struct config *cf, struct buf *b)
{
	const char	*what;
	char		*at;
	int		 links = *cf->http_link_secret_file != '\0';

	if (!config_url_is_loopback(cf->http_base_url) ||
	    (!links && !cf->http_enabled))
		return;
	if (links && cf->http_enabled)
		what = "completion links in mail and calendar feed addresses "
		    "are";
	else if (links)
		what = "completion links in mail are";
	else
		what = "calendar feed addresses (deadlinectl feed url) are";
	at = config_where(cf, "http", "base_url");
	buf_printf(b, "%s: http.base_url '%s' is this machine's loopback "
	    "address, yet %s made from it: nobody else can open them; set the "
	    "address people reach the service at (https://...)\n", at,
	    cf->http_base_url, what);
	free(at);
}

/*
 * No link key while the server that answers links is on (digests would
 * carry completion links, as compose.c makes one for every item when a
 * key is read, and carry none), or links no server answers.  Without the
 * server and a key, digests ask the unit to reply instead: no warning.
 */
static void
config_warn_links(const struct config *cf, struct buf *b)
{
	char	*at;

	if (*cf->http_link_secret_file == '\0') {
		if (!cf->http_enabled)
			return;
		at = config_where(cf, "http", "link_secret_file");
		buf_printf(b, "%s: http.link_secret_file is not set while "
		    "http.enabled is yes: reminders carry no completion link "
		    "(nor the unit's page) for the server to answer, so a unit "
		    "cannot mark its work done from the mail; it can only reply "
		    "and wait for 'deadlinectl done'\n", at);
		free(at);
	} else if (!cf->http_enabled) {
		at = config_where(cf, "http", "enabled");
		buf_printf(b, "%s: http.enabled is no while "
		    "http.link_secret_file is set: the completion links in mail "
		    "lead to no server\n", at);
		free(at);
	}
}

char *
config_warnings(const struct config *cf)
{
	struct buf	b;

	buf_init(&b);
	config_warn_sender(cf, &b);
	config_warn_base_url(cf, &b);
	config_warn_links(cf, &b);
	if (b.len == 0) {
		buf_free(&b);
		return (NULL);
	}
	b.data[--b.len] = '\0';
	return (buf_steal(&b));
}

void
config_dump(const struct config *cf, void (*fn)(const char *, const char *,
    const char *, void *), void *arg)
{
	const struct config_entry	*e;
	char				 num[32];
	const void			*field;
	const char			*word;
	size_t				 i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		e = &config_table[i];
		field = (const char *)cf + e->offset;
		if (e->type == CONFIG_INT) {
			snprintf(num, sizeof num, "%d", *(const int *)field);
			fn(e->section, e->key, num, arg);
		} else if (e->type == CONFIG_BOOL)
			fn(e->section, e->key, *(const int *)field ? "yes" :
			    "no", arg);
		else if (e->type == CONFIG_ENUM) {
			word = config_choice_word(e->choices,
			    *(const int *)field, num, sizeof num);
			fn(e->section, e->key, word != NULL ? word : "", arg);
		} else
			fn(e->section, e->key, *(char *const *)field, arg);
	}
}

char *
config_enum_word(const char *section, const char *key, int value)
{
	const struct config_entry	*e;
	char				 word[32];
	int				 known;

	if ((e = config_find(section, key, &known)) == NULL ||
	    e->type != CONFIG_ENUM ||
	    config_choice_word(e->choices, value, word, sizeof word) == NULL)
		return (NULL);
	return (xstrdup(word));
}
