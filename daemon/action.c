/*
 * The one place where an action on an occurrence is checked and written
 * (see action.h).  The console, the unit's page, completion links and
 * deadlinectl fill a struct action and call action_apply(): the rules
 * (who may, in which state, with what reason) and the history row are
 * the same whoever asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "calendar.h"
#include "utf8.h"
#include "xmalloc.h"

static const char *const action_names[] = { "done", "reopen", "waive",
    "snooze", "extend", "request", "approve", "decline" };

/* The words of each why: English (the CLI, logs) and Vietnamese. */
static const struct {
	const char	*en;
	const char	*vi;
} action_whys[] = {
	[ACTION_WHY_NONE] = { "ok", "Đã ghi nhận." },
	[ACTION_WHY_NO_OCCURRENCE] = { "no such occurrence",
	    "Không tìm thấy công việc này." },
	[ACTION_WHY_NO_REQUEST] = { "no such request",
	    "Không tìm thấy đề nghị này." },
	[ACTION_WHY_NOT_YOURS] = { "the occurrence is another unit's",
	    "Công việc này không thuộc đơn vị của liên kết." },
	[ACTION_WHY_NOT_ALLOWED] = { "this action is not allowed here",
	    "Không được thực hiện thao tác này tại đây." },
	[ACTION_WHY_NO_REASON] = { "a reason is required",
	    "Cần ghi rõ lý do." },
	[ACTION_WHY_BAD_TEXT] = { "the reason has control characters or is "
	    "not UTF-8", "Lý do có ký tự không hợp lệ." },
	[ACTION_WHY_TOO_LONG] = { "the reason is longer than 2000 characters",
	    "Lý do dài quá 2000 ký tự." },
	[ACTION_WHY_BAD_DATE] = { "a valid date is required",
	    "Ngày không hợp lệ." },
	[ACTION_WHY_NOT_LATER] = { "the new date must be after the current "
	    "due date", "Hạn mới phải sau hạn hiện tại." },
	[ACTION_WHY_TOO_FAR] = { "the new date is more than a year after the "
	    "current due date", "Hạn mới không được quá một năm sau hạn "
	    "hiện tại." },
	[ACTION_WHY_BAD_DAYS] = { "the days must be 1 to 30",
	    "Số ngày làm việc phải từ 1 đến 30." },
	[ACTION_WHY_NOT_OPEN] = { "the occurrence is not open (done or "
	    "waived)", "Công việc đã hoàn thành hoặc được miễn." },
	[ACTION_WHY_ALREADY_OPEN] = { "the occurrence is open already",
	    "Công việc đang mở." },
	[ACTION_WHY_CHANGED] = { "the occurrence changed since the page was "
	    "shown", "Công việc đã thay đổi sau khi trang được mở. Vui lòng "
	    "tải lại trang." },
	[ACTION_WHY_PENDING] = { "a request for this occurrence is pending",
	    "Đã có một đề nghị gia hạn đang chờ duyệt." },
	[ACTION_WHY_DECIDED] = { "the request was answered already",
	    "Đề nghị này đã được trả lời." },
	[ACTION_WHY_STORE] = { "the database is busy or failed",
	    "Hệ thống đang bận. Vui lòng thử lại sau ít phút." },
};

const char *
action_name(enum action_kind kind)
{
	return (action_names[kind]);
}

int
action_parse(const char *word, enum action_kind *kind)
{
	size_t	i;

	for (i = 0; i < sizeof action_names / sizeof action_names[0]; i++) {
		if (word != NULL && strcmp(word, action_names[i]) == 0) {
			*kind = (enum action_kind)i;
			return (0);
		}
	}
	return (-1);
}

const char *
action_why_text(enum action_why why, const char *lang)
{
	if (lang != NULL && strcmp(lang, "en") == 0)
		return (action_whys[why].en);
	return (action_whys[why].vi);
}

int
action_reason_given(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return (1);
	return (0);
}

/* Fails with code and why; cause says why in English. */
static int
action_refuse(struct action_result *r, int code, enum action_why why,
    char **cause)
{
	r->why = why;
	*cause = xstrdup(action_whys[why].en);
	return (code);
}

/* The occurrence an action is about, copied out of the store. */
struct action_occ {
	int	 found;
	char	 unit[64];
	char	 status[8];
	date_t	 effective;
	int	 sequence;
};

/* Copies what action_check needs of an occurrence. */
static int
action_occ_copy(const struct store_occurrence *o, void *arg)
{
	struct action_occ	*ao = arg;

	ao->found = 1;
	snprintf(ao->unit, sizeof ao->unit, "%s", o->unit_code);
	snprintf(ao->status, sizeof ao->status, "%s", o->status);
	ao->effective = o->effective;
	ao->sequence = o->sequence;
	return (0);
}

/* The request an approval or decline is about. */
struct action_req {
	int	 found;
	int64_t	 occurrence;
	char	 state[12];
	date_t	 due;
	char	*reason;
	int	 pending;	/* requests.pending of its occurrence */
};

/* Copies a request. */
static int
action_req_copy(const struct store_request *rq, void *arg)
{
	struct action_req	*ar = arg;

	ar->found = 1;
	ar->occurrence = rq->occurrence_id;
	snprintf(ar->state, sizeof ar->state, "%s", rq->state);
	ar->due = rq->due;
	free(ar->reason);
	ar->reason = xstrdup(rq->reason != NULL ? rq->reason : "");
	ar->pending += strcmp(rq->state, "pending") == 0;
	return (0);
}

/* 1 if a reason is UTF-8 with no control character but line breaks. */
static int
action_text_ok(const char *s)
{
	const unsigned char	*p;

	if (!utf8_valid_str(s))
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') ||
		    *p == 0x7f)
			return (0);
	return (1);
}

/* Checks the reason of an action that needs (or may have) one. */
static int
action_check_reason(const struct action *a, int required,
    struct action_result *r, char **cause)
{
	const char	*s = a->reason;

	if (required && !action_reason_given(s))
		return (action_refuse(r, ACTION_INVALID, ACTION_WHY_NO_REASON,
		    cause));
	if (s == NULL)
		return (ACTION_OK);
	if (!action_text_ok(s))
		return (action_refuse(r, ACTION_INVALID, ACTION_WHY_BAD_TEXT,
		    cause));
	if (utf8_chars(s) > ACTION_REASON_MAX)
		return (action_refuse(r, ACTION_INVALID, ACTION_WHY_TOO_LONG,
		    cause));
	return (ACTION_OK);
}

/* Checks what needs no store: who may, and the form's fields. */
static int
action_check_input(const struct action *a, struct action_result *r,
    char **cause)
{
	int	unit = a->unit != NULL;

	if ((unit && (a->kind == ACTION_REOPEN || a->kind == ACTION_EXTEND ||
	    a->kind == ACTION_APPROVE || a->kind == ACTION_DECLINE)) ||
	    (!unit && a->kind == ACTION_REQUEST))
		return (action_refuse(r, ACTION_FORBIDDEN,
		    ACTION_WHY_NOT_ALLOWED, cause));
	switch (a->kind) {
	case ACTION_DONE:
		return (action_check_reason(a, 0, r, cause));
	case ACTION_SNOOZE:
		if (a->days < 1 || a->days > ACTION_SNOOZE_MAX)
			return (action_refuse(r, ACTION_INVALID,
			    ACTION_WHY_BAD_DAYS, cause));
		return (action_check_reason(a, 0, r, cause));
	case ACTION_EXTEND:
	case ACTION_REQUEST:
		if (a->date == DATE_NONE)
			return (action_refuse(r, ACTION_INVALID,
			    ACTION_WHY_BAD_DATE, cause));
		/* FALLTHROUGH */
	case ACTION_WAIVE:
	case ACTION_DECLINE:
		return (action_check_reason(a, 1, r, cause));
	case ACTION_REOPEN:
	case ACTION_APPROVE:
		return (action_check_reason(a, 0, r, cause));
	}
	return (ACTION_OK);
}

/* Checks an occurrence's state against the action; ACTION_*. */
static int
action_check_occ(struct store *s, const struct action *a,
    const struct action_occ *ao, struct action_result *r, char **cause)
{
	struct store_request_filter	 f;
	struct action_req		 ar;
	int				 open = strcmp(ao->status, "open") == 0;
	int64_t				 version = -1;

	if (!ao->found)
		return (action_refuse(r, ACTION_NOT_FOUND,
		    ACTION_WHY_NO_OCCURRENCE, cause));
	if (a->unit != NULL && strcmp(a->unit, ao->unit) != 0)
		return (action_refuse(r, ACTION_FORBIDDEN, ACTION_WHY_NOT_YOURS,
		    cause));
	if (a->version >= 0 && (version = store_occ_version(s, a->occurrence,
	    cause)) < 0) {
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	if ((a->version >= 0 && version != a->version) || (a->sequence >= 0 &&
	    ao->sequence != a->sequence))
		return (action_refuse(r, ACTION_CONFLICT, ACTION_WHY_CHANGED,
		    cause));
	if (a->kind == ACTION_REOPEN)
		return (open ? action_refuse(r, ACTION_CONFLICT,
		    ACTION_WHY_ALREADY_OPEN, cause) : ACTION_OK);
	if (!open)
		return (action_refuse(r, ACTION_CONFLICT, ACTION_WHY_NOT_OPEN,
		    cause));
	if (a->kind != ACTION_EXTEND && a->kind != ACTION_REQUEST)
		return (ACTION_OK);
	if (a->date <= ao->effective)
		return (action_refuse(r, ACTION_INVALID, ACTION_WHY_NOT_LATER,
		    cause));
	if (a->date > ao->effective + ACTION_EXTEND_MAX)
		return (action_refuse(r, ACTION_INVALID, ACTION_WHY_TOO_FAR,
		    cause));
	if (a->kind != ACTION_REQUEST)
		return (ACTION_OK);
	memset(&f, 0, sizeof f);
	memset(&ar, 0, sizeof ar);
	f.occurrence_id = a->occurrence;
	f.state = "pending";
	store_requests(s, &f, action_req_copy, &ar, NULL);
	free(ar.reason);
	if (ar.pending > 0)
		return (action_refuse(r, ACTION_CONFLICT, ACTION_WHY_PENDING,
		    cause));
	return (ACTION_OK);
}

/* Writes a checked action on an occurrence; 0 or -1 and *cause. */
static int
action_write(struct store *s, struct calendar *cal, const struct action *a,
    date_t today, struct action_result *r, char **cause)
{
	int64_t	id = a->occurrence;

	switch (a->kind) {
	case ACTION_DONE:
		r->done_on = a->date != DATE_NONE ? a->date : today;
		return (store_occ_set_status_by(s, id, "done", r->done_on,
		    action_reason_given(a->reason) ? a->reason : NULL,
		    &a->who, cause));
	case ACTION_REOPEN:
		return (store_occ_set_status_by(s, id, "open", DATE_NONE,
		    action_reason_given(a->reason) ? a->reason : NULL,
		    &a->who, cause));
	case ACTION_WAIVE:
		return (store_occ_set_status_by(s, id, "waived", DATE_NONE,
		    a->reason, &a->who, cause));
	case ACTION_SNOOZE:
		r->until = calendar_add_working_days(cal, today, a->days);
		return (store_occ_snooze_by(s, id, r->until,
		    action_reason_given(a->reason) ? a->reason : NULL,
		    &a->who, cause));
	case ACTION_EXTEND:
		r->new_due = a->date;
		return (store_occ_extend(s, id, a->date, a->reason, 0,
		    &a->who, cause));
	case ACTION_REQUEST:
		if ((r->request = store_request_add(s, id, a->date, a->reason,
		    &a->who, cause)) < 0)
			return (-1);
		return (store_occ_log(s, id, "request", &a->who, a->reason,
		    cause));
	case ACTION_APPROVE:
	case ACTION_DECLINE:
		break;
	}
	xasprintf(cause, "%s: not an action on an occurrence",
	    action_name(a->kind));
	return (-1);
}

/* Checks and writes an answer to a request; ACTION_*. */
static int
action_answer(struct store *s, const struct action *a,
    struct action_result *r, char **cause)
{
	struct store_request_filter	 f;
	struct action_req		 ar;
	struct action_occ		 ao;
	struct action			 ext;
	char				*why;
	int				 rc;

	memset(&f, 0, sizeof f);
	memset(&ar, 0, sizeof ar);
	f.id = a->request;
	if (a->request <= 0 || store_requests(s, &f, action_req_copy,
	    &ar, NULL) != 0 || !ar.found) {
		free(ar.reason);
		return (action_refuse(r, ACTION_NOT_FOUND,
		    ACTION_WHY_NO_REQUEST, cause));
	}
	r->request = a->request;
	r->occurrence = ar.occurrence;
	if (strcmp(ar.state, "pending") != 0) {
		free(ar.reason);
		return (action_refuse(r, ACTION_CONFLICT, ACTION_WHY_DECIDED,
		    cause));
	}
	if (store_request_decide(s, a->request, a->kind == ACTION_APPROVE ?
	    "approved" : "declined", action_reason_given(a->reason) ?
	    a->reason : NULL, &a->who, cause) != 0) {
		free(ar.reason);
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	if (a->kind == ACTION_DECLINE) {
		free(ar.reason);
		rc = store_occ_log(s, ar.occurrence, "decline", &a->who,
		    a->reason, cause);
		return (rc == 0 ? ACTION_OK : ACTION_FAILED);
	}
	memset(&ao, 0, sizeof ao);
	if (store_occ_get(s, ar.occurrence, action_occ_copy, &ao, cause) != 0) {
		free(ar.reason);
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	ext = *a;
	ext.kind = ACTION_EXTEND;
	ext.occurrence = ar.occurrence;
	ext.date = ar.due;
	ext.version = -1;
	ext.sequence = -1;
	r->old_due = ao.effective;
	if ((rc = action_check_occ(s, &ext, &ao, r, cause)) != ACTION_OK) {
		free(ar.reason);
		return (rc);
	}
	xasprintf(&why, "#%lld: %s", (long long)a->request, ar.reason);
	free(ar.reason);
	r->new_due = ar.due;
	rc = store_occ_extend(s, ar.occurrence, ar.due, why, a->request,
	    &a->who, cause);
	free(why);
	return (rc == 0 ? ACTION_OK : ACTION_FAILED);
}

int
action_apply_locked(struct store *s, struct calendar *cal,
    const struct action *a, date_t today, struct action_result *r,
    char **cause)
{
	struct action_occ	ao;
	int			rc;

	memset(r, 0, sizeof *r);
	r->old_due = r->new_due = r->until = r->done_on = DATE_NONE;
	r->occurrence = a->occurrence;
	if ((rc = action_check_input(a, r, cause)) != ACTION_OK)
		return (rc);
	if (a->kind == ACTION_APPROVE || a->kind == ACTION_DECLINE) {
		rc = action_answer(s, a, r, cause);
		if (rc == ACTION_FAILED && r->why == ACTION_WHY_NONE)
			r->why = ACTION_WHY_STORE;
		return (rc);
	}
	memset(&ao, 0, sizeof ao);
	if (store_occ_get(s, a->occurrence, action_occ_copy, &ao, cause) != 0) {
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	if ((rc = action_check_occ(s, a, &ao, r, cause)) != ACTION_OK)
		return (rc);
	r->old_due = ao.effective;
	if (action_write(s, cal, a, today, r, cause) != 0) {
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	return (ACTION_OK);
}

int
action_apply(struct store *s, struct calendar *cal, const struct action *a,
    date_t today, struct action_result *r, char **cause)
{
	int	rc;

	if (store_begin(s, cause) != 0) {
		memset(r, 0, sizeof *r);
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	rc = action_apply_locked(s, cal, a, today, r, cause);
	if (rc != ACTION_OK) {
		store_rollback(s);
		return (rc);
	}
	if (store_commit(s, cause) != 0) {
		store_rollback(s);
		r->why = ACTION_WHY_STORE;
		return (ACTION_FAILED);
	}
	return (ACTION_OK);
}
