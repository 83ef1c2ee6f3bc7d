#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "calendar.h"

/*
 * deadlined.ini: one table (config.c) names every section and key with its
 * type, range and default; one inih handler walks it.  A config is built
 * whole and swapped whole (SIGHUP), never patched in place.
 */
#define CONFIG_MAX_LEAD	16
#define CONFIG_MAX_PROXIES	16

/*
 * The enumerated values, in the order of their words in the table
 * (config.c): a value is read once, then compared as a number.
 */
enum config_lang {
	CONFIG_LANG_VI,
	CONFIG_LANG_EN
};

enum config_ongoing {			/* [reminders] ongoing_digest */
	CONFIG_ONGOING_DAILY,
	CONFIG_ONGOING_WEEKLY,
	CONFIG_ONGOING_MONTHLY,
	CONFIG_ONGOING_NEVER
};

enum config_channel {			/* [reminders] channel */
	CONFIG_CHANNEL_SPOOL,
	CONFIG_CHANNEL_SMTP,
	CONFIG_CHANNEL_WEBHOOK,
	CONFIG_CHANNEL_AUTO
};

enum config_report {			/* [report] schedule */
	CONFIG_REPORT_OFF,
	CONFIG_REPORT_MONTHLY,
	CONFIG_REPORT_QUARTERLY,
	CONFIG_REPORT_BOTH
};

/* An IP address as read: IPv4 is held mapped (::ffff:a.b.c.d). */
struct config_ip {
	unsigned char	addr[16];
};

struct config {
	char	*path;			/* the file read, or NULL */
	char	*dir;			/* its directory, for relative paths */
	unsigned *lines;		/* line of each key of the table; 0: unset */

	/* [daemon] */
	char	*timezone;
	char	*state_dir;
	char	*units_file;
	int	 verbose;

	/* [database] */
	char	*db_path;
	int	 busy_timeout_ms;

	/* [calendar] */
	char	*days_off_file;
	char	*weekend;
	enum calendar_rule dayoff_rule;
	int	 national_day_extra;
	int	 horizon_days;

	/* [plan] */
	char	*coordinator;
	int	 period_day;

	/* [reminders] */
	char	*lead_days;
	int	 lead[CONFIG_MAX_LEAD];
	int	 nlead;
	int	 overdue_every;
	int	 overdue_max;
	int	 escalate_after;
	char	*send_time;
	int	 send_hour, send_minute;
	int	 working_days_only;
	enum config_ongoing ongoing_digest;
	enum config_lang default_lang;
	enum config_channel channel;

	/* [outbox] */
	int	 lifetime_days;
	int	 backoff_base;
	int	 backoff_max;
	int	 lease_seconds;
	int	 batch_size;

	/* [smtp] */
	char	*smtp_url;
	char	*smtp_helo;
	char	*smtp_username;
	char	*smtp_password_file;
	char	*smtp_from;
	char	*smtp_from_name;
	char	*smtp_reply_to;
	char	*smtp_ca_file;
	int	 smtp_starttls;
	int	 smtp_connect_timeout;
	int	 smtp_timeout;

	/* [webhook] */
	int	 webhook_connect_timeout;
	int	 webhook_timeout;
	int	 webhook_allow_http_loopback;
	char	*webhook_ca_file;

	/* [spool] */
	char	*spool_dir;

	/* [feeds] */
	char	*feeds_dir;
	int	 feeds_refresh_minutes;
	int	 feeds_todo;
	int	 feeds_alarm_days;
	char	*feeds_uid_domain;

	/* [http] */
	int	 http_enabled;
	char	*http_listen;
	char	*http_base_url;
	int	 http_max_connections;
	int	 http_timeout;
	char	*http_link_secret_file;
	int	 http_link_days;
	char	*http_trusted_proxies;
	struct config_ip http_proxies[CONFIG_MAX_PROXIES];
	int	 http_nproxies;
	char	*http_health_token_file;

	/* [console] */
	int	 console_enabled;
	int	 console_session_hours;
	int	 console_login_minutes;

	/* [report] */
	enum config_report report_schedule;
	char	*report_to;
};

/* Reads and checks a file; NULL path gives the defaults.  NULL and *cause. */
struct config	*config_load(const char *, char **);
void		 config_free(struct config *);
/* Cross-field checks (files exist, secrets private); 0 or -1 and *cause. */
int		 config_check(const struct config *, char **);
/*
 * Settings that are valid but would make the service useless or wrong
 * ("FILE:LINE: ..." lines); NULL if none, else caller frees.
 */
char		*config_warnings(const struct config *);
/* The line a key was set on, 0 if it has its default. */
unsigned	 config_line(const struct config *, const char *, const char *);
/* 1 if a URL's host is this machine (localhost, 127.0.0.0/8, ::1). */
int		 config_url_is_loopback(const char *);
/* The host of an http(s) URL, without port; NULL if none; caller frees. */
char		*config_url_host(const char *);
/* 0 if a secret file is a regular file private to its owner; else *cause. */
int		 config_check_secret_file(const char *, char **);
/* Parses a whole decimal number within [min, max]; 0 or -1. */
int		 config_parse_long(const char *, long, long, long *);
/* Reads an IPv4 or IPv6 address into *ip; 0 or -1. */
int		 config_parse_ip(const char *, struct config_ip *);
/* Reads a secret file (first line, trimmed); caller frees. */
char		*config_read_secret(const char *, char **);
/* The word of an enumerated key's value ("auto") or NULL; caller frees. */
char		*config_enum_word(const char *, const char *, int);
/*
 * The rule of [reminders] channel, which route.c applies and config.c's
 * checks ask: mail goes by SMTP under smtp, and under auto when an
 * [smtp] url is set (the int); webhooks are posted (signed) under webhook
 * and auto.  spool takes both kinds as files.
 */
int		 config_mails_by_smtp(enum config_channel, int);
int		 config_posts_webhooks(enum config_channel);
/* Writes every key with its value, as "section.key = value" lines. */
void		 config_dump(const struct config *, void (*)(const char *,
		     const char *, const char *, void *), void *);
const char	*config_default_path(void);

#endif
