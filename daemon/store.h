#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "date.h"

/*
 * The SQLite store: the only module with SQL.  Every write is a short
 * BEGIN IMMEDIATE transaction; statements are prepared once.
 *
 * A read that fails (an I/O error, a corrupt page, no memory) is never
 * taken for "no rows": the function returns -1 and fills *cause (allocated,
 * caller frees; NULL: not wanted).  An iterator calls fn for each row and
 * stops at the first nonzero result, which it returns as it is; so -1 from
 * an iterator is a read error (with *cause) or fn's own -1.  SQLite rolls a
 * transaction back by itself after some errors, so a caller that got -1
 * inside one must not write on as if it were still open.
 */
struct store;

#define STORE_SCHEMA_VERSION	11

/* Opens (create: and creates) a database; NULL and *cause on failure. */
struct store	*store_open(const char *, int, int, char **);
void		 store_close(struct store *);
int		 store_schema_version(struct store *);
int		 store_begin(struct store *, char **);
int		 store_commit(struct store *, char **);
void		 store_rollback(struct store *);
/* Settings for one large transaction (on) or back to normal (off). */
int		 store_bulk(struct store *, int, char **);
/* Data version: changes when another connection commits; -1 on error. */
int		 store_data_version(struct store *);

/*
 * The change log (migration 11), for what is kept rendered.  fn is called
 * for each change after `since` in order: the unit and task of a changed
 * occurrence, or (0, 0) for "everything changed": a plan, task, unit or
 * assignment written, an occurrence added or removed, changes pruned
 * before the reader saw them, or `since` < 0 (never read).  fn returns 0
 * to go on, 1 to stop (the reader makes everything again) or -1 (an
 * error of its own).  *last is what to pass as `since` next time.  0, or
 * -1 and *cause (cause NULL when fn failed).
 */
typedef int	(*store_change_cb)(int64_t, int64_t, void *);
int		 store_changes_since(struct store *, int64_t, int64_t *,
		    store_change_cb, void *, char **);
/* Forgets all but the last `keep` changes; 0 or -1 and *cause. */
int		 store_changes_prune(struct store *, int64_t, char **);
#define STORE_CHANGES_KEEP	50000
int		 store_integrity_check(struct store *, char **);
int		 store_backup(struct store *, const char *, char **);

/* Units. */
struct store_sync_stats {
	int	added;
	int	changed;
	int	retired;
	int	unchanged;
};
/* A unit or group as store_sync_units() writes it (see directory.c). */
struct store_unit_def {
	const char	 *code;
	const char	 *name;
	int		  is_group;
	const char	 *lang;
	char *const	 *emails;
	size_t		  nemails;
	const char	 *webhook;
	const char	 *webhook_secret_file;
	const char	 *webhook_template;
	const char	 *parent;
	char *const	 *aliases;
	size_t		  naliases;
	char *const	 *members;	/* a group's unit codes */
	size_t		  nmembers;
};
/*
 * Makes the stored units and groups those given: adds or changes each
 * (with its history), sets the groups' members, retires the others.
 */
int	 store_sync_units(struct store *, const struct store_unit_def *,
	    size_t, struct store_sync_stats *, char **);
/* A unit's id, 0 if none, -1 and *cause on a read error. */
int64_t	 store_unit_id(struct store *, const char *, char **);
int	 store_unit_disable_webhook(struct store *, const char *, char **);

struct store_unit {
	int64_t		 id;
	const char	*code;
	const char	*name;
	const char	*lang;
	const char	*emails;	/* comma-separated */
	const char	*webhook;
	const char	*webhook_secret_file;
	const char	*webhook_template;
	const char	*parent;
	const char	*retired_at;
	const char	*webhook_disabled_at;
	int		 is_group;
	const char	*members;	/* groups: space-separated codes */
};
typedef int (*store_unit_cb)(const struct store_unit *, void *);
/* Every unit and group (with the retired ones if the int is 1). */
int	 store_units(struct store *, int, store_unit_cb, void *, char **);
/* One unit or group by code: fn's result, 0 (fn not called) if none. */
int	 store_unit_get(struct store *, const char *, store_unit_cb, void *,
	    char **);

/* Plans and tasks. */
struct store_plan {
	const char	*code;
	const char	*title;
	int		 year;
	date_t		 starts;
	date_t		 ends;
	const char	*coordinator;
	const char	*source;
	const char	*reply_to;	/* whom its replies reach, or NULL */
};
int64_t	 store_plan_upsert(struct store *, const struct store_plan *, int *,
	    char **);
/* A plan's id, 0 if none, -1 and *cause on a read error. */
int64_t	 store_plan_id(struct store *, const char *, char **);
/* *starts: the first day of a plan imported before, or DATE_NONE; -1. */
int	 store_plan_starts(struct store *, const char *, date_t *, char **);
/* Sets (NULL: clears) a plan's Reply-To; 0, 1 no such plan, -1. */
int	 store_plan_set_reply_to(struct store *, const char *, const char *,
	    char **);
/* *reply_to: a plan's Reply-To or NULL (caller frees); 0 or -1. */
int	 store_plan_reply_to(struct store *, const char *, char **, char **);

struct store_task {
	int64_t		 id;
	int64_t		 plan_id;
	const char	*plan_code;
	const char	*ref;
	const char	*section;
	const char	*category;
	const char	*content;
	const char	*title;
	const char	*time_text;
	const char	*kind;
	date_t		 due;		/* once */
	const char	*rrule;		/* recurring */
	date_t		 starts;	/* recurring: first day of the rule */
	date_t		 ends;		/* recurring: last day of the rule */
	unsigned	 source_line;
	const char	*status;	/* active, withdrawn */
	const char	*unmatched;	/* unit phrases that matched nothing */
	const char	*notes;		/* "Ghi chú", "Sản phẩm: ..." lines */
	const char	*units;		/* listing: "code:role ..." */
	int		 revision;
	const char	*dayoff;	/* NULL (configured), previous, next */
	const char	*quality;	/* exact, partial, unparsed */
	const char	*leftover;	/* words of the time cell not read */
};
/* Inserts or updates by (plan, ref); *changed: 0 same, 1 changed, 2 new. */
int64_t	 store_task_upsert(struct store *, const struct store_task *, int,
	    int *, char **);
/* Inserts a task whose (plan, ref) is known to be free; its id or -1. */
int64_t	 store_task_insert(struct store *, const struct store_task *, int,
	    char **);
/* 0 and a task's notes (NULL if none; caller frees), or -1 and *cause. */
int	 store_task_notes(struct store *, int64_t, char **, char **);
/* 1 if the plan has any task, whatever its status; 0, or -1. */
int	 store_plan_has_tasks(struct store *, int64_t, char **);
int	 store_task_assign(struct store *, int64_t, int64_t, const char *,
	    const char *, char **);
/*
 * The same for many rows, in the order given: each whole STORE_ASSIGN_ROWS
 * in one statement, the rest one by one.
 */
#define STORE_ASSIGN_ROWS	256
struct store_assign_row {
	int64_t		 task_id;
	int64_t		 unit_id;
	const char	*role;
	const char	*via;		/* group code or NULL */
};
int	 store_task_assign_rows(struct store *,
	    const struct store_assign_row *, size_t, char **);
int	 store_task_clear_assignments(struct store *, int64_t, char **);
int	 store_plan_withdraw_unseen(struct store *, int64_t, int, int *,
	    char **);
typedef int (*store_task_cb)(const struct store_task *, void *);
int	 store_tasks(struct store *, const char *, int64_t, store_task_cb,
	    void *, char **);
/* Both mark the reading reviewed: quality exact, configured day-off rule. */
int	 store_task_set_due(struct store *, int64_t, date_t, char **);
/*
 * The rule runs from max(starts, the plan's start) to ends, DATE_NONE
 * for the plan's end.
 */
int	 store_task_set_rule(struct store *, int64_t, const char *, date_t,
	    date_t, char **);
/* Active tasks whose time cell needs review (partial, unparsed), by id. */
int	 store_tasks_review(struct store *, const char *, store_task_cb,
	    void *, char **);
/* An occurrence past at import: not chased (see migration 7). */
struct store_past_row {
	int64_t		 occurrence_id;
	int64_t		 task_id;
	const char	*ref;		/* past_tasks only: */
	const char	*time_text;
	unsigned	 line;
	int		 dates;		/* distinct nominal dates past */
	date_t		 nominal;	/* the first of them */
	date_t		 effective;
};
typedef int (*store_past_cb)(const struct store_past_row *, void *);
/* The open occurrences past at import, by task and id. */
int	 store_occ_past(struct store *, store_past_cb, void *, char **);
/* A plan's tasks with occurrences the import of generation marked past. */
int	 store_plan_past_tasks(struct store *, int64_t, int, store_past_cb,
	    void *, char **);

/*
 * The active tasks of a plan (NULL: all) or one task (id not 0) as the
 * scheduler needs them, with the units to create occurrences for, in order.
 * Everything is borrowed until fn returns; fn may write.
 */
struct store_schedule_task {
	int64_t		 id;
	const char	*plan_code;
	const char	*ref;
	const char	*kind;
	date_t		 due;
	const char	*rrule;
	date_t		 starts;
	date_t		 ends;
	const char	*dayoff;		/* NULL: the configured rule */
	int		 has_occurrences;	/* any, whatever their status */
	const int64_t	*units;
	size_t		 nunits;
};
typedef int (*store_schedule_cb)(const struct store_schedule_task *, void *);
int	 store_schedule_tasks(struct store *, const char *, int64_t,
	    store_schedule_cb, void *, char **);

/* Occurrences. */
struct store_occurrence {
	int64_t		 id;
	int64_t		 task_id;
	int64_t		 unit_id;
	const char	*unit_code;
	const char	*unit_name;
	const char	*plan_code;
	const char	*ref;
	const char	*title;
	const char	*content;
	const char	*time_text;
	const char	*kind;
	const char	*rrule;
	const char	*role;
	date_t		 nominal;
	date_t		 effective;
	const char	*status;	/* open, done, waived */
	date_t		 done_on;
	const char	*note;
	date_t		 snooze_until;
	int		 sequence;
	date_t		 extended;	/* the date an extension set, or none */
};
/* Marks a task's open occurrences from `from` on for regeneration. */
int	 store_occ_mark(struct store *, int64_t, date_t, char **);
/*
 * Inserts or updates occurrences, in the order given (ids follow it): in one
 * statement each whole STORE_OCC_BULK_ROWS (between store_bulk on and off
 * only), then each whole STORE_OCC_ROWS; the rest one by one.
 */
#define STORE_OCC_ROWS		256
#define STORE_OCC_BULK_ROWS	4096
struct store_occ_row {
	int64_t		 task_id;
	int64_t		 unit_id;
	date_t		 nominal;
	date_t		 effective;
	int		 past_import;	/* new rows only; see migration 7 */
};
int	 store_occ_upsert_rows(struct store *, const struct store_occ_row *,
	    size_t, char **);
/* The rows store_occ_upsert_rows() writes in its largest statement now. */
size_t	 store_occ_batch_rows(struct store *);
/* Deletes marked occurrences the regeneration did not produce again. */
int	 store_occ_sweep(struct store *, int64_t, int *, char **);
struct store_agenda_filter {
	const char	*unit;		/* unit code or NULL */
	const char	*plan;		/* plan code or NULL */
	date_t		 from;		/* DATE_NONE: no bound */
	date_t		 to;
	int		 open_only;
	int		 include_undated;	/* ongoing/on-event tasks */
	int		 undated_only;
};
typedef int (*store_occ_cb)(const struct store_occurrence *, void *);
int	 store_agenda(struct store *, const struct store_agenda_filter *,
	    store_occ_cb, void *, char **);
/*
 * One occurrence by id: fn's result, 0 (fn not called) if none, -1 and
 * *cause on a read error, so that a caller never takes an unreadable
 * database for "no such occurrence".
 */
int	 store_occ_get(struct store *, int64_t, store_occ_cb, void *,
	    char **);
/* What the planning pass reads of an open occurrence: index columns only. */
struct store_stage_row {
	int64_t		 id;
	int64_t		 task_id;
	int64_t		 unit_id;
	int64_t		 born;		/* plan_seq when it became news */
	date_t		 effective;
	date_t		 snooze_until;	/* or DATE_NONE */
};
typedef int (*store_stage_cb)(const struct store_stage_row *, void *);
/* The open occurrences with effective date in [from, to], unordered. */
int	 store_stage_window(struct store *, date_t, date_t, store_stage_cb,
	    void *, char **);
/* The ids of tasks not active (withdrawn), ascending; caller frees. */
int	 store_tasks_inactive(struct store *, int64_t **, size_t *, char **);
/* Sets status (done, waived, open) with who, when and a note. */
int	 store_occ_set_status(struct store *, int64_t, const char *, date_t,
	    const char *, const char *, char **);
int	 store_occ_snooze(struct store *, int64_t, date_t, const char *,
	    char **);
int64_t	 store_occ_count(struct store *, const char *);
/* A task's dated occurrences, by nominal date and unit code. */
int	 store_task_occurrences(struct store *, int64_t, store_occ_cb,
	    void *, char **);

/*
 * The actions on an occurrence (action.h applies them), inside the
 * caller's transaction.  Each writes a row of history naming who did it,
 * from where (an address, "cli") and why.
 */
struct store_actor {
	const char	*by;		/* "console:Lan", "unit:xa-phuoc-an" */
	const char	*origin;	/* "203.0.113.9", "cli", or NULL */
};
int	 store_occ_log(struct store *, int64_t, const char *,
	    const struct store_actor *, const char *, char **);
int	 store_occ_set_status_by(struct store *, int64_t, const char *,
	    date_t, const char *, const struct store_actor *, char **);
int	 store_occ_snooze_by(struct store *, int64_t, date_t, const char *,
	    const struct store_actor *, char **);
/*
 * Moves an open occurrence to a new due date (an extension): the date it
 * had goes to occurrence_moves, effective and extended take the new one,
 * the sequence moves on (feeds: SEQUENCE), and the planning pass says its
 * stage again.  request: the request it answers, or 0.
 */
int	 store_occ_extend(struct store *, int64_t, date_t, const char *,
	    int64_t, const struct store_actor *, char **);
/*
 * The version of an occurrence: its last history row's id, 0 if none.
 * A form carries it; an action on a changed occurrence is refused.
 */
int64_t	 store_occ_version(struct store *, int64_t, char **);

/* An occurrence's or a task's history (store-action.c). */
struct store_history {
	int64_t		 occurrence_id;
	const char	*unit_code;
	const char	*unit_name;
	date_t		 nominal;
	const char	*at;		/* local time, ISO */
	const char	*action;	/* done open waived snooze extend ... */
	const char	*by;
	const char	*origin;
	const char	*note;
};
typedef int (*store_history_cb)(const struct store_history *, void *);
/* Newest first, at most limit rows; task or occurrence (the other 0). */
int	 store_history(struct store *, int64_t, int64_t, int, store_history_cb,
	    void *, char **);
/* The moves (extensions) of an occurrence, oldest first. */
struct store_move {
	const char	*at;
	date_t		 old_due;
	date_t		 new_due;
	const char	*reason;
	const char	*by;
	const char	*origin;
};
typedef int (*store_move_cb)(const struct store_move *, void *);
int	 store_occ_moves(struct store *, int64_t, store_move_cb, void *,
	    char **);

/* Extension requests of units (store-action.c). */
struct store_request {
	int64_t		 id;
	int64_t		 occurrence_id;
	int64_t		 task_id;
	const char	*unit_code;
	const char	*unit_name;
	const char	*unit_lang;
	const char	*plan_code;
	const char	*ref;
	const char	*title;
	date_t		 effective;	/* the occurrence's due date now */
	const char	*occ_status;
	date_t		 due;		/* asked for */
	const char	*reason;
	const char	*by;
	const char	*origin;
	const char	*at;
	const char	*state;		/* pending approved declined */
	const char	*decided_by;
	const char	*decided_at;
	const char	*answer;
	const char	*told;
};
struct store_request_filter {
	int64_t		 id;		/* 0: any */
	const char	*state;		/* NULL: any */
	const char	*unit;		/* unit code or NULL */
	int64_t		 occurrence_id;	/* 0: any */
	int		 untold;	/* decided, not yet told the unit */
	int		 limit;		/* 0: no limit */
};
typedef int (*store_request_cb)(const struct store_request *, void *);
/* Requests the filter selects, newest first. */
int	 store_requests(struct store *, const struct store_request_filter *,
	    store_request_cb, void *, char **);
/* Records a request; its id, or -1 and *cause. */
int64_t	 store_request_add(struct store *, int64_t, date_t, const char *,
	    const struct store_actor *, char **);
/* Answers a pending request (approved, declined); 0 or -1 and *cause. */
int	 store_request_decide(struct store *, int64_t, const char *,
	    const char *, const struct store_actor *, char **);
/* Records which digest told the unit the answer. */
int	 store_request_told(struct store *, int64_t, const char *, char **);

/* The console's sign-in and the units' page links (store-console.c). */
#define STORE_LOGIN_UNKNOWN	0
#define STORE_LOGIN_VALID	1
#define STORE_LOGIN_USED	2
#define STORE_LOGIN_EXPIRED	3
/* Records a login link by the hash of its secret. */
int	 store_console_login_add(struct store *, const char *, const char *,
	    time_t, time_t, char **);
/*
 * STORE_LOGIN_* of a login link at now, and its user (caller frees); -1
 * and *cause if it cannot be read.
 */
int	 store_console_login_state(struct store *, const char *, time_t,
	    char **, char **);
/* Uses a valid login link (once); 0, or -1 and *cause. */
int	 store_console_login_use(struct store *, const char *, time_t,
	    const char *, char **);
struct store_session {
	int64_t		 id;
	const char	*user;
	time_t		 created_at;
	time_t		 expires_at;
	time_t		 revoked_at;	/* 0: not revoked */
	const char	*origin;	/* where it signed in from */
	const char	*hash;
};
typedef int (*store_session_cb)(const struct store_session *, void *);
/* Records a session; its id, or -1 and *cause. */
int64_t	 store_console_session_add(struct store *, const char *,
	    const char *, time_t, time_t, const char *, char **);
/*
 * The session of a hash (revoked or expired too): 1 and fn called, 0 if
 * none, -1 and *cause if it cannot be read (or -1 from fn).
 */
int	 store_console_session_get(struct store *, const char *,
	    store_session_cb, void *, char **);
/* Sessions that expire at or after since, oldest first; -1 and *cause. */
int	 store_console_sessions(struct store *, time_t, store_session_cb,
	    void *, char **);
/* Revokes live sessions: one (id), a user's, or all; *n revoked. */
int	 store_console_session_revoke(struct store *, int64_t, const char *,
	    time_t, int *, char **);
/* Ends the session of a hash (sign-out); *n ended. */
int	 store_console_session_revoke_hash(struct store *, const char *,
	    time_t, int *, char **);
/* The console's overdue page (store-console.c). */
struct store_overdue {
	int64_t		 task_id;
	int64_t		 unit_id;
	date_t		 effective;
};
typedef int (*store_overdue_cb)(const struct store_overdue *, void *);
/*
 * The open occurrences of active tasks (of one plan if the id is not 0)
 * with effective date on or before the date, from the index, unordered.
 */
int	 store_console_overdue(struct store *, date_t, int64_t,
	    store_overdue_cb, void *, char **);
/* The active tasks (of one plan if the id is not 0) by id. */
struct store_console_task {
	int64_t		 id;
	const char	*plan;
	const char	*ref;
};
typedef int (*store_console_task_cb)(const struct store_console_task *,
	    void *);
int	 store_console_tasks(struct store *, int64_t, store_console_task_cb,
	    void *, char **);
/* 0 and a task's text (its content, or its title; caller frees), or -1. */
int	 store_console_task_title(struct store *, int64_t, char **, char **);
/* The generation of a unit's page links (0 until renewed); -1, *cause. */
int	 store_unit_link_generation(struct store *, int64_t, char **);
/* Ends a unit's page links: the next generation. */
int	 store_unit_link_renew(struct store *, int64_t, char **);
typedef int (*store_plan_cb)(const struct store_plan *, void *);
/* Every plan, by code; -1 and *cause if they cannot be read. */
int	 store_plans(struct store *, store_plan_cb, void *, char **);

/*
 * A stamp of everything a feed shows (tasks, assignments, occurrences,
 * units): equal stamps on the same day mean equal feeds.  Caller frees;
 * NULL and *cause on a read error.
 */
char	*store_feed_stamp(struct store *, char **);

/*
 * A running daemon writes its heartbeat (meta "last_pass") at least this
 * often; `deadlinectl status` counts it alive while the last one is less
 * than STORE_ALIVE_SECONDS old, which allows for a late heartbeat and a
 * long pass.  Seldom, because each costs CPU time on an idle machine.
 */
#define STORE_HEARTBEAT_SECONDS	600
#define STORE_ALIVE_SECONDS	1800

/* Key-value state of the daemon (last pass, next wake-up). */
int	 store_meta_set(struct store *, const char *, const char *, char **);
/* Writes "last_pass" and "next_wake" in one statement (its own commit). */
int	 store_heartbeat(struct store *, time_t, time_t, char **);
/* 0 and the value (NULL if none; caller frees), or -1 and *cause. */
int	 store_meta_get(struct store *, const char *, char **, char **);
int	 store_durable(struct store *, int, char **);	/* 1: fsync */

/* The outbox: one row per message, claimed with a lease. */
struct store_outbox {
	int64_t		 id;
	const char	*key;
	const char	*unit_code;
	const char	*kind;
	const char	*channel;
	const char	*recipient;
	const char	*day;
	const char	*subject;
	const char	*body;
	const char	*state;
	int		 attempts;
	time_t		 next_attempt;
	time_t		 created_at;
	time_t		 expires_at;
	time_t		 sent_at;
	const char	*last_error;
	const char	*spec;		/* a planned digest's items, or NULL */
};
/* Inserts a message unless its key exists; *added tells which. */
int	 store_outbox_add(struct store *, const struct store_outbox *,
	    int64_t, int *, char **);
typedef int (*store_outbox_cb)(const struct store_outbox *, void *);
/*
 * Claims up to limit due messages with a lease until lease_until (own
 * transaction): *out holds exactly the rows this claim changed, due first
 * (caller frees with store_outbox_free).
 */
int	 store_outbox_claim(struct store *, time_t, time_t, int,
	    struct store_outbox **, size_t *, char **);
void	 store_outbox_free(struct store_outbox *, size_t);
/* Extends the lease of claimed messages still sending (own transaction). */
int	 store_outbox_renew(struct store *, const int64_t *, size_t, time_t,
	    char **);
/*
 * Gives claimed messages back untried, due at next (0: as they were), with
 * why as their last error (NULL: as it was) and no attempt counted (own
 * transaction).
 */
int	 store_outbox_release(struct store *, const int64_t *, size_t, time_t,
	    const char *, char **);
/* What became of a claimed message. */
struct store_outbox_outcome {
	int64_t		 id;
	const char	*state;		/* sent, pending, failed, dead */
	time_t		 next;		/* pending: when to try again */
	const char	*detail;
	const char	*subject;	/* a digest rendered now, or NULL */
	const char	*body;
	int		 tried;		/* 1: an attempt was made (counted) */
};
/* Records an outcome and its line in the delivery history. */
int	 store_outbox_record(struct store *,
	    const struct store_outbox_outcome *, char **);
/* The same for an attempt made: state, next, detail. */
int	 store_outbox_result(struct store *, int64_t, const char *, time_t,
	    const char *, char **);
/* The messages in a state (NULL: all); -1 and *cause on a read error. */
int	 store_outbox_list(struct store *, const char *, store_outbox_cb,
	    void *, char **);
int	 store_outbox_retry(struct store *, int64_t, time_t, char **);
/* Earliest time something in the outbox is due, 0 if none, -1 *cause. */
time_t	 store_outbox_next(struct store *, char **);
/*
 * Counts by state into counts[5]: pending sending sent failed dead; 0, or
 * -1 and *cause.
 */
int	 store_outbox_counts(struct store *, int64_t[5], char **);
int	 store_outbox_counts_since(struct store *, time_t, int64_t[5],
	    char **);
/* 1 if a notice key was recorded already, 0 if not, -1 and *cause. */
int	 store_notice_seen(struct store *, const char *, char **);
int	 store_notice_add(struct store *, const char *, date_t, const char *,
	    char **);
/* 1 if some message key starts with prefix and is longer, 0, -1 *cause. */
int	 store_outbox_key_prefix(struct store *, const char *, char **);


/* Feed tokens (one secret per feed name). */
/* A feed's token in *token (NULL if it has none; caller frees); 0 or -1. */
int	 store_feed_token(struct store *, const char *, char **, char **);
int	 store_feed_set_token(struct store *, const char *, const char *,
	    char **);

/* store-feed.c: dated occurrences of active tasks, for the feeds. */
struct store_feed_row {
	int64_t		 task_id;
	int64_t		 unit_id;
	const char	*unit_code;
	const char	*unit_name;
	const char	*plan_code;
	const char	*ref;
	const char	*section;
	const char	*category;
	const char	*title;
	const char	*content;
	const char	*time_text;
	const char	*kind;
	const char	*rrule;
	date_t		 due;
	date_t		 starts;
	date_t		 ends;
	int		 revision;
	date_t		 nominal;
	date_t		 effective;
	const char	*status;
	int		 sequence;
	int64_t		 occurrence_id;
};
typedef int (*store_feed_cb)(const struct store_feed_row *, void *);
/* Rows of a unit or a group's members (NULL: all), by task, unit, date. */
int	 store_feed_rows(struct store *, const char *, store_feed_cb, void *,
	    char **);
/* A unit a task is assigned to, by the name of the group it came with. */
struct store_task_unit {
	int		 lead;		/* 1 lead, 0 support */
	const char	*name;		/* the unit's or its group's */
	const char	*code;
};
typedef int (*store_task_unit_cb)(const struct store_task_unit *, void *);
/* The lead and supporting units of a task, in no order. */
int	 store_task_units(struct store *, int64_t, store_task_unit_cb, void *,
	    char **);

/* Reports and completion links (store-report.c). */
/* 0 and the title of a plan (NULL if none; caller frees), or -1. */
int	 store_report_plan_title(struct store *, const char *, char **,
	    char **);
/*
 * The occurrences of active tasks with effective date in [from, to] (of
 * one plan and one unit when the ids are not 0), counted by the columns a
 * report reads: fn is called once per distinct (effective, unit, status,
 * done_on, extended) with their number, in no order a caller may rely on.
 */
struct store_tally {
	int64_t		 unit_id;
	date_t		 effective;
	const char	*status;
	date_t		 done_on;	/* or DATE_NONE */
	date_t		 extended;	/* or DATE_NONE */
	int		 n;
};
typedef int (*store_tally_cb)(const struct store_tally *, void *);
int	 store_report_tally(struct store *, date_t, date_t, int64_t, int64_t,
	    store_tally_cb, void *, char **);

/*
 * Feeds kept as they are (feed_write_changed): the codes of the feeds
 * that show unit_id's occurrences, its own and its groups' (retired ones
 * too), in no order.  fn returns 0 to go on; its result, or -1 and *cause.
 */
int	 store_feed_unit_names(struct store *, int64_t,
	    int (*)(const char *, void *), void *, char **);

/*
 * The console's kept pages brought up to date (store-report.c,
 * store-console.c):
 * store_report_tally for one unit (its id not 0), and
 * store_console_overdue for one unit and one task.
 */
int	 store_report_tally_unit(struct store *, date_t, date_t, int64_t,
	    int64_t, store_tally_cb, void *, char **);
int	 store_console_overdue_of(struct store *, date_t, int64_t, int64_t,
	    int64_t, store_overdue_cb, void *, char **);

#endif /* STORE_H */
