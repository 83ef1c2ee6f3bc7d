/*
 * The console's routing, sign-in, sessions, CSRF checks and page cache
 * (see console.h).  The pages themselves are console-pages.c's,
 * console-occ.c's and unit-page.c's.
 *
 * The pages without a form (overview, overdue, month) are kept rendered,
 * per request and day, until the database changes: PRAGMA data_version
 * moves when another connection commits, and this connection's own
 * writes (every successful POST) mark the cache to be checked.  A page
 * costs a session lookup and a copy then, not a pass over the
 * occurrences.  After a write, the change log says which units' and
 * tasks' occurrences changed: the overview and the overdue page keep
 * what they were made from and are patched for those alone
 * (console_cache_check).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "action.h"
#include "config.h"
#include "console-private.h"
#include "html.h"
#include "log.h"
#include "store.h"

#define CONSOLE_COOKIE		"deadlined_session"
#define CONSOLE_COOKIE_SECURE	"__Host-deadlined_session"

/*
 * Beyond these a write is taken as "everything": patching that many
 * units' figures one by one costs more than building the pages again.
 */
#define CONSOLE_CHANGES_MAX		4096	/* rows of the change log */
#define CONSOLE_CHANGED_UNITS_MAX	40	/* distinct units */
#define CONSOLE_KEPT_MAX		8	/* pages' figures kept */

/* The navigation of the console: path, label, section. */
static const struct {
	const char	*path;
	const char	*label;
	const char	*section;
} console_nav[] = {
	{ "/console", "Tổng quan", "overview" },
	{ "/console/overdue", "Quá hạn", "overdue" },
	{ "/console/month", "Lịch tháng", "month" },
	{ "/console/requests", "Đề nghị gia hạn", "requests" },
};

/* The origin (scheme://host[:port], lowercase) of a base URL. */
static char *
console_origin_of(const char *base)
{
	const char	*p = strstr(base, "://");
	char		*o;
	size_t		 n, i;

	if (p == NULL)
		return (xstrdup(""));
	n = (size_t)(p - base) + 3;
	n += strcspn(base + n, "/?#");
	o = xstrndup(base, n);
	for (i = 0; o[i] != '\0'; i++)
		if (o[i] >= 'A' && o[i] <= 'Z')
			o[i] = (char)(o[i] - 'A' + 'a');
	return (o);
}

struct console *
console_new(const struct config *cf, const char *key, struct store *s,
    struct calendar *cal)
{
	struct console	*c;

	if (!cf->console_enabled)
		return (NULL);
	c = xcalloc(1, sizeof *c);
	c->key = xstrdup(key);
	c->store = s;
	c->cal = cal;
	c->base_url = xstrdup(cf->http_base_url);
	c->origin = console_origin_of(cf->http_base_url);
	c->secure = strncasecmp(cf->http_base_url, "https://", 8) == 0;
	c->session_hours = cf->console_session_hours;
	c->link_days = cf->http_link_days;
	c->coordinator = xstrdup(cf->coordinator);
	c->data_version = -1;
	c->changes_seq = -1;
	c->cache_day = DATE_NONE;
	return (c);
}

void
console_free(struct console *c)
{
	if (c == NULL)
		return;
	console_cache_clear(c);
	explicit_bzero(c->key, strlen(c->key));
	free(c->key);
	free(c->base_url);
	free(c->origin);
	free(c->coordinator);
	free(c);
}

int
console_owns(const char *path)
{
	return (strcmp(path, "/console") == 0 ||
	    strncmp(path, "/console/", 9) == 0 ||
	    strncmp(path, "/unit/", 6) == 0);
}

const char *
console_cookie_name(const struct console *c)
{
	return (c->secure ? CONSOLE_COOKIE_SECURE : CONSOLE_COOKIE);
}

/* A page of one message: title, text, status; no session needed. */
static void
console_message(struct console_response *r, int status, const char *title,
    const char *text, const char *link, const char *link_text)
{
	struct buf	b;

	buf_init(&b);
	html_begin(&b, "vi", title, "narrow");
	buf_adds(&b, "<main>\n<h1>");
	html_text(&b, title);
	buf_adds(&b, "</h1>\n<p>");
	html_text(&b, text);
	buf_adds(&b, "</p>\n");
	if (link != NULL) {
		buf_adds(&b, "<p>");
		html_link(&b, link, link_text);
		buf_adds(&b, "</p>\n");
	}
	buf_adds(&b, "</main>\n");
	html_end(&b);
	r->status = status;
	r->body = buf_steal(&b);
}

/* The page of a request without a valid session. */
static void
console_signed_out(struct console_response *r, int why)
{
	static const char *const texts[] = {
		"Trang điều hành chỉ dành cho người đã đăng nhập. Vui lòng "
		"dùng đường dẫn đăng nhập do quản trị hệ thống cấp (lệnh "
		"deadlinectl console-link).",
		"Phiên đăng nhập đã hết hạn hoặc đã bị thu hồi. Vui lòng xin "
		"đường dẫn đăng nhập mới.",
	};

	console_message(r, 401, "Cần đăng nhập", texts[why], NULL, NULL);
}

/* The session of the request: its user (caller frees) and hash. */
struct console_session_find {
	time_t	 now;
	char	*user;
	int	 state;		/* 0 none, 1 live, 2 ended */
};

/* Checks the session found by its hash. */
static int
console_session_copy(const struct store_session *ss, void *arg)
{
	struct console_session_find	*f = arg;

	if (ss->revoked_at != 0 || ss->expires_at < f->now) {
		f->state = 2;
		return (0);
	}
	f->state = 1;
	f->user = xstrdup(ss->user);
	return (0);
}

/*
 * The signed-in user of a request (caller frees), or NULL with the
 * answer made: 401 without or with an ended session.
 */
static char *
console_session(struct console *c, const struct console_request *req,
    time_t now, char hash[CONSOLE_AUTH_HASH_LEN + 1],
    struct console_response *r)
{
	struct console_session_find	f;
	char				*cause = NULL;

	if (req->cookie == NULL || *req->cookie == '\0') {
		console_signed_out(r, 0);
		return (NULL);
	}
	console_auth_hash(req->cookie, hash);
	memset(&f, 0, sizeof f);
	f.now = now;
	if (store_console_session_get(c->store, hash, console_session_copy, &f,
	    &cause) < 0) {
		log_warnx("console: session: %s", cause != NULL ? cause :
		    "read error");
		free(cause);
		console_message(r, 503, "Hệ thống đang bận", "Không đọc được "
		    "phiên đăng nhập. Vui lòng thử lại sau ít phút.", NULL, NULL);
		return (NULL);
	}
	if (f.state != 1) {
		r->auth_failed = f.state == 0;
		console_signed_out(r, f.state == 2);
		return (NULL);
	}
	return (f.user);
}

/* 1 if the Origin header, when sent, is the console's own. */
static int
console_origin_ok(const struct console *c, const struct console_request *req)
{
	if (req->origin == NULL)
		return (1);
	return (strcasecmp(req->origin, c->origin) == 0);
}

/* Gathers what the change log says since the pages were made. */
struct console_gather {
	struct console_changes	*ch;
	size_t			 seen;
};

/* Keeps one change; "everything" or too many make it all. */
static int
console_gather(int64_t unit, int64_t task, void *arg)
{
	struct console_gather	*g = arg;
	struct console_changes	*ch = g->ch;

	if (unit == 0 || ++g->seen > CONSOLE_CHANGES_MAX) {
		ch->all = 1;
		return (1);
	}
	if ((ch->n & (ch->n - 1)) == 0)
		ch->v = xreallocarray(ch->v, ch->n ? ch->n * 2 : 1,
		    sizeof *ch->v);
	ch->v[ch->n].unit = unit;
	ch->v[ch->n].task = task;
	ch->n++;
	return (0);
}

static void
console_changes_clear(struct console_changes *ch)
{
	free(ch->v);
	free(ch->units);
	memset(ch, 0, sizeof *ch);
}

/*
 * Sorts the pairs, keeps each once and lists their units; all when they
 * are too many to patch.
 */
static void
console_changes_settle(struct console_changes *ch)
{
	size_t	i, n = 0;

	if (ch->n > 1)
		qsort(ch->v, ch->n, sizeof *ch->v, console_change_cmp);
	for (i = 0; i < ch->n; i++)
		if (n == 0 || console_change_cmp(&ch->v[n - 1], &ch->v[i]) != 0)
			ch->v[n++] = ch->v[i];
	ch->n = n;
	free(ch->units);
	ch->units = xreallocarray(NULL, n ? n : 1, sizeof *ch->units);
	ch->nunits = 0;
	for (i = 0; i < ch->n; i++)
		if (ch->nunits == 0 || ch->units[ch->nunits - 1] !=
		    ch->v[i].unit)
			ch->units[ch->nunits++] = ch->v[i].unit;
	if (ch->n > CONSOLE_CHANGES_MAX ||
	    ch->nunits > CONSOLE_CHANGED_UNITS_MAX)
		ch->all = 1;
}

/* Adds changes to those a page waits for; 0, or -1 if too many. */
static int
console_changes_merge(struct console_changes *to,
    const struct console_changes *from)
{
	to->v = xreallocarray(to->v, to->n + from->n, sizeof *to->v);
	memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
	to->n += from->n;
	console_changes_settle(to);
	return (to->all ? -1 : 0);
}

/*
 * Reads the change log since the pages were made: the (unit, task) pairs
 * sorted and distinct, and their units; or all, when it says
 * "everything", cannot be read, or names too many to patch.
 */
static void
console_changes_read(struct console *c, struct console_changes *ch)
{
	struct console_gather	 g;
	char			*cause = NULL;
	int64_t			 last = -1;

	memset(ch, 0, sizeof *ch);
	memset(&g, 0, sizeof g);
	g.ch = ch;
	if (store_changes_since(c->store, c->changes_seq, &last,
	    console_gather, &g, &cause) != 0) {
		log_warnx("console: change log: %s", cause != NULL ? cause :
		    "read error");
		free(cause);
		ch->all = 1;
		last = -1;
	}
	c->changes_seq = last;
	if (!ch->all)
		console_changes_settle(ch);
}

/* Forgets one kept page. */
static void
console_cache_drop(struct console_cache_entry *e)
{
	free(e->key);
	free(e->html);
	console_kept_free(e->kept);
	console_changes_clear(&e->pending);
	memset(e, 0, sizeof *e);
}

/*
 * Changes to a few units: each kept page notes them, to be patched and
 * rendered again on its next request (a page nobody asks for again costs
 * nothing); a page that cannot be (the month view), or that has waited
 * for too many, is forgotten.
 */
static void
console_cache_mark(struct console *c, const struct console_changes *ch)
{
	struct console_cache_entry	*e;
	size_t				 i, marked = 0, dropped = 0;

	for (i = 0; i < CONSOLE_CACHE_SLOTS; i++) {
		e = &c->cache[i];
		if (e->key == NULL)
			continue;
		if (e->kept != NULL && console_changes_merge(&e->pending,
		    ch) == 0) {
			free(e->html);
			e->html = NULL;
			marked++;
			continue;
		}
		console_cache_drop(e);
		dropped++;
	}
	log_debug("console: %zu change(s) of %zu unit(s): %zu page(s) to "
	    "patch, %zu dropped", ch->n, ch->nunits, marked, dropped);
}

/*
 * Brings the rendered pages up to date when the database changed (PRAGMA
 * data_version moved, or this connection wrote) or the day did.  What
 * changed comes from the change log (store_changes_since): nothing that
 * shows (a session, the outbox, a heartbeat) keeps every page; a few
 * units' occurrences patch the pages' figures of those units; anything
 * else (a plan, task, unit or assignment written, an occurrence added or
 * removed, a log pruned, many units) forgets them all.  data_version is
 * read before the log: a commit between the two is read in the log now
 * and again, as a change to nothing new, at the next request.
 */
static void
console_cache_check(struct console *c, date_t today)
{
	struct console_changes	ch;
	size_t			i;
	int			v = store_data_version(c->store);

	if (v == c->data_version && !c->dirty && today == c->cache_day)
		return;
	c->data_version = v;
	c->dirty = 0;
	console_changes_read(c, &ch);
	if (ch.all || today != c->cache_day) {
		for (i = 0; i < CONSOLE_CACHE_SLOTS; i++)
			if (c->cache[i].key != NULL)
				break;
		if (i < CONSOLE_CACHE_SLOTS)
			log_debug("console: pages made again: %s", ch.all ?
			    "everything may have changed" : "a new day");
		console_cache_clear(c);
		c->cache_day = today;
	} else if (ch.n == 0)
		log_debug("console: pages kept: no occurrence changed");
	else
		console_cache_mark(c, &ch);
	console_changes_clear(&ch);
}

/* The cached entry of a page, or NULL. */
static struct console_cache_entry *
console_cache_get(struct console *c, const char *key)
{
	size_t	i;

	for (i = 0; i < CONSOLE_CACHE_SLOTS; i++)
		if (c->cache[i].key != NULL && strcmp(c->cache[i].key,
		    key) == 0)
			return (&c->cache[i]);
	return (NULL);
}

/*
 * Keeps a rendered page (title, NUL, <main>; its section, for the
 * navigation's highlight) and what it was made from, replacing the
 * oldest.  What pages were made from is kept for the
 * CONSOLE_KEPT_MAX newest: an overdue page's is some 400 KB on a
 * province's database.
 */
static void
console_cache_put(struct console *c, const char *key, const char *title,
    const char *nav, const struct buf *main_html, struct console_kept *kept)
{
	struct console_cache_entry	*e, *old = NULL;
	size_t				 n = strlen(title) + 1, i, nkept = 0;

	e = &c->cache[c->cache_next % CONSOLE_CACHE_SLOTS];
	console_cache_drop(e);
	e->key = xstrdup(key);
	e->html = xmalloc(n + main_html->len + 1);
	memcpy(e->html, title, n);
	memcpy(e->html + n, main_html->data, main_html->len);
	e->html[n + main_html->len] = '\0';
	e->kept = kept;
	e->nav = nav;
	e->stamp = c->cache_next++;
	if (kept == NULL)
		return;
	for (i = 0; i < CONSOLE_CACHE_SLOTS; i++) {
		if (c->cache[i].kept == NULL)
			continue;
		nkept++;
		if (old == NULL || (int)(c->cache[i].stamp - old->stamp) < 0)
			old = &c->cache[i];
	}
	/* The oldest keeps its HTML until a change; waiting for one, it goes. */
	if (nkept > CONSOLE_KEPT_MAX) {
		if (old->html == NULL)
			console_cache_drop(old);
		else {
			console_kept_free(old->kept);
			old->kept = NULL;
		}
	}
}

/* The header of a console page: navigation, user, sign-out form. */
static void
console_header(struct buf *b, const struct console_page *p)
{
	size_t	i;

	buf_adds(b, "<header class=\"top\"><a class=\"brand\" href=\"/console\">"
	    "Nhắc hạn công việc</a><nav>");
	for (i = 0; i < sizeof console_nav / sizeof console_nav[0]; i++) {
		buf_adds(b, "<a href=\"");
		html_text(b, console_nav[i].path);
		buf_adds(b, "\"");
		if (p->nav != NULL && strcmp(p->nav, console_nav[i].section) == 0)
			buf_adds(b, " class=\"on\"");
		buf_adds(b, ">");
		html_text(b, console_nav[i].label);
		buf_adds(b, "</a>");
	}
	buf_adds(b, "</nav><div class=\"who\"><span>");
	html_text(b, p->user);
	buf_adds(b, "</span><form method=\"post\" action=\"/console/logout\">");
	html_hidden(b, "csrf", p->csrf);
	buf_adds(b, "<button type=\"submit\">Đăng xuất</button></form></div>"
	    "</header>\n");
}

/* The note of a successful action after its redirect (?ok=op). */
static void
console_ok_note(struct buf *b, const struct console_page *p)
{
	const char		*ok = console_arg(p, "ok");
	enum action_kind	 kind;

	if (ok == NULL || action_parse(ok, &kind) != 0)
		return;
	buf_adds(b, "<p class=\"msg\">");
	html_text(b, action_why_text(ACTION_WHY_NONE, "vi"));
	buf_adds(b, " (");
	html_text(b, action_name(kind));
	buf_adds(b, ")</p>\n");
}

/* Wraps a page's <main> into the whole document. */
static void
console_finish(struct console_page *p, const char *main_html,
    struct console_response *r)
{
	struct buf	b;

	buf_init(&b);
	html_begin(&b, "vi", p->title != NULL ? p->title : "Trang điều hành",
	    NULL);
	console_header(&b, p);
	buf_adds(&b, "<main>\n");
	console_ok_note(&b, p);
	buf_adds(&b, main_html);
	buf_adds(&b, "</main>\n<footer>deadlined ");
	buf_adds(&b, DEADLINED_VERSION);
	buf_adds(&b, "</footer>\n");
	html_end(&b);
	r->status = p->status;
	r->body = buf_steal(&b);
}

/* Reads "/console/task/ID" style ids; 0 if not a whole number. */
static int64_t
console_id(const char *s)
{
	char		*end;
	long long	 v;

	if (*s < '1' || *s > '9')
		return (0);
	v = strtoll(s, &end, 10);
	return (*end == '\0' && v > 0 && v < 0x7fffffffLL ? v : 0);
}

/* Routes a GET of the console to its page. */
static void
console_route(struct console_page *p)
{
	const char	*path = p->req->path;

	p->status = 200;
	if (strcmp(path, "/console") == 0 || strcmp(path, "/console/") == 0)
		console_page_overview(p);
	else if (strcmp(path, "/console/overdue") == 0)
		console_page_overdue(p);
	else if (strcmp(path, "/console/month") == 0)
		console_page_month(p);
	else if (strcmp(path, "/console/requests") == 0)
		console_page_requests(p);
	else if (strncmp(path, "/console/task/", 14) == 0 &&
	    console_id(path + 14) != 0)
		console_page_task(p, console_id(path + 14));
	else if (strncmp(path, "/console/occurrence/", 20) == 0 &&
	    console_id(path + 20) != 0)
		console_page_occ(p, console_id(path + 20));
	else if (strncmp(path, "/console/unit/", 14) == 0)
		console_page_unit(p, path + 14);
	else {
		p->status = 404;
		console_title(p, "Không tìm thấy trang");
		buf_adds(&p->main, "<h1>Không tìm thấy trang</h1>\n<p>"
		    "<a href=\"/console\">Về trang tổng quan</a></p>\n");
	}
}

/* The cache key of a page: its path, query and the day. */
static char *
console_cache_key(const struct console_page *p)
{
	char	*here, *key;

	here = console_here(p);
	xasprintf(&key, "%s|%d", here, (int)p->today);
	free(here);
	return (key);
}

/* A GET of the console, signed in. */
static void
console_get(struct console_page *p, struct console_response *r)
{
	struct console_cache_entry	*e;
	struct timespec			 t0, t1;
	char				*key, *cause;
	int				 patched = 0;

	console_cache_check(p->c, p->today);
	key = console_cache_key(p);
	if ((e = console_cache_get(p->c, key)) != NULL && e->html != NULL) {
		p->status = 200;
		p->nav = e->nav;
		p->title = xstrdup(e->html);
		console_finish(p, e->html + strlen(e->html) + 1, r);
		free(key);
		return;
	}
	/* Changed since: patched, then rendered from what it was made from. */
	if (e != NULL && e->kept != NULL) {
		p->kept = e->kept;
		e->kept = NULL;
		cause = NULL;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (console_kept_patch(p->c, p->kept, &e->pending,
		    &cause) == 0)
			patched = 1;
		else {
			log_warnx("console: %s: %s", p->req->path, cause !=
			    NULL ? cause : "read error");
			free(cause);
			console_kept_free(p->kept);
			p->kept = NULL;
		}
		console_cache_drop(e);
	} else if (e != NULL)
		console_cache_drop(e);
	console_route(p);
	if (patched) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_debug("console: %s rendered from its patched figures "
		    "(%.1f ms)", p->req->path, (double)(t1.tv_sec - t0.tv_sec) *
		    1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	if (p->cacheable && p->status == 200) {
		console_cache_put(p->c, key, p->title != NULL ? p->title : "",
		    p->nav, &p->main, p->kept);
		p->kept = NULL;
	}
	console_kept_free(p->kept);
	p->kept = NULL;
	free(key);
	console_finish(p, p->main.data, r);
}

/* 1 if back is a path of the console to return to after an action. */
static int
console_back_ok(const char *back)
{
	return (back != NULL && strncmp(back, "/console", 8) == 0 &&
	    (back[8] == '\0' || back[8] == '/' || back[8] == '?') &&
	    strpbrk(back, "\r\n\\") == NULL && strstr(back, "//") == NULL);
}

/* The page of a refused action: what and why, a way back. */
static void
console_refused(struct console_response *r, int code, enum action_why why,
    const char *back)
{
	static const int status[] = { 200, 400, 404, 403, 409, 503 };

	console_message(r, status[-code], "Chưa thực hiện được",
	    action_why_text(why, "vi"), console_back_ok(back) ? back :
	    "/console", "Quay lại");
}

/* Reads a form's id field; 0 if missing or not a number. */
static int64_t
console_form_id(const struct console_request *req, const char *name)
{
	const char	*v = console_field(req->form, req->nform, name);

	return (v != NULL ? console_id(v) : 0);
}

/* Fills an action from the console's form. */
static int
console_form_action(const struct console_request *req, struct action *a)
{
	const char	*v;
	long		 days;
	char		*end;

	memset(a, 0, sizeof *a);
	if (action_parse(console_field(req->form, req->nform, "op"),
	    &a->kind) != 0)
		return (-1);
	a->occurrence = console_form_id(req, "occ");
	a->request = console_form_id(req, "req");
	a->reason = console_field(req->form, req->nform, "reason");
	a->date = DATE_NONE;
	if ((v = console_field(req->form, req->nform, "date")) != NULL &&
	    *v != '\0' && date_parse_iso(v, &a->date) != 0)
		a->date = DATE_NONE;
	if ((v = console_field(req->form, req->nform, "days")) != NULL) {
		days = strtol(v, &end, 10);
		a->days = *end == '\0' && days > 0 && days <= 1000 ?
		    (int)days : 0;
	}
	a->version = -1;
	if ((v = console_field(req->form, req->nform, "v")) != NULL)
		a->version = strtoll(v, &end, 10);
	a->sequence = -1;
	return (0);
}

/* POST /console/action: one action, then back to the page it came from. */
static void
console_post_action(struct console *c, const struct console_request *req,
    const char *user, date_t today, struct console_response *r)
{
	struct action		 a;
	struct action_result	 res;
	const char		*back = console_field(req->form, req->nform,
	    "back");
	char			 by[128], *cause = NULL;
	int			 rc;

	if (console_form_action(req, &a) != 0) {
		console_message(r, 400, "Yêu cầu không hợp lệ", "Thao tác "
		    "không được nhận ra. Không có thay đổi nào.", "/console",
		    "Về trang tổng quan");
		return;
	}
	snprintf(by, sizeof by, "console:%s", user);
	a.who.by = by;
	a.who.origin = req->client;
	rc = action_apply(c->store, c->cal, &a, today, &res, &cause);
	if (rc != ACTION_OK) {
		if (rc == ACTION_FAILED)
			log_warnx("console: %s: %s", action_name(a.kind),
			    cause);
		free(cause);
		console_refused(r, rc, res.why, back);
		return;
	}
	console_invalidate(c);
	r->status = 303;
	xasprintf(&r->location, "%s%cok=%s", console_back_ok(back) ? back :
	    "/console", console_back_ok(back) && strchr(back, '?') != NULL ?
	    '&' : '?', action_name(a.kind));
}

/* The Set-Cookie value of a session (empty and expired: sign out). */
static char *
console_cookie(const struct console *c, const char *secret, int seconds)
{
	char	*v;

	xasprintf(&v, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    console_cookie_name(c), secret, seconds, c->secure ? "; Secure" :
	    "");
	return (v);
}

/* POST /console/logout: the session ends here and in the store. */
static void
console_logout(struct console *c, const char *hash, time_t now,
    struct console_response *r)
{
	char	*cause = NULL;
	int	 n;

	if (store_begin(c->store, &cause) != 0 ||
	    store_console_session_revoke_hash(c->store, hash, now, &n,
	    &cause) != 0 || store_commit(c->store, &cause) != 0) {
		store_rollback(c->store);
		log_warnx("console: sign-out: %s", cause);
		free(cause);
	}
	r->cookie = console_cookie(c, "", 0);
	console_message(r, 200, "Đã đăng xuất", "Phiên làm việc đã kết thúc.",
	    NULL, NULL);
}

/* The console, signed in: GET pages, POST actions and sign-out. */
static void
console_signed_in(struct console *c, const struct console_request *req,
    time_t now, struct console_response *r)
{
	struct console_page	p;
	char			hash[CONSOLE_AUTH_HASH_LEN + 1], *user;

	if ((user = console_session(c, req, now, hash, r)) == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.req = req;
	p.now = now;
	p.today = date_of_time(now);
	p.user = user;
	console_auth_csrf(c->key, "session", hash, p.csrf);
	buf_init(&p.main);
	if (!req->post)
		console_get(&p, r);
	else if (!console_origin_ok(c, req) || !console_auth_csrf_ok(c->key,
	    "session", hash, console_field(req->form, req->nform, "csrf"))) {
		r->auth_failed = 1;
		console_message(r, 403, "Yêu cầu bị từ chối", "Biểu mẫu không "
		    "hợp lệ hoặc đã cũ (thiếu mã xác thực). Vui lòng tải lại "
		    "trang và thử lại. Không có thay đổi nào.", "/console",
		    "Về trang tổng quan");
	} else if (strcmp(req->path, "/console/action") == 0)
		console_post_action(c, req, user, p.today, r);
	else if (strcmp(req->path, "/console/logout") == 0)
		console_logout(c, hash, now, r);
	else
		console_message(r, 404, "Không tìm thấy trang", "Địa chỉ này "
		    "không có.", "/console", "Về trang tổng quan");
	buf_free(&p.main);
	free(p.title);
	free(user);
}

/* GET /console/login/SECRET: the page with the sign-in button. */
static void
console_login_page(struct console *c, const char *secret, time_t now,
    struct console_response *r)
{
	struct buf	 b;
	char		 hash[CONSOLE_AUTH_HASH_LEN + 1];
	char		 csrf[CONSOLE_AUTH_CSRF_LEN + 1], *user, *cause = NULL;
	int		 state;

	console_auth_hash(secret, hash);
	state = store_console_login_state(c->store, hash, now, &user, &cause);
	if (state < 0) {
		log_warnx("console: login link: %s", cause);
		free(cause);
		console_message(r, 503, "Hệ thống đang bận", "Chưa đọc được "
		    "đường dẫn. Vui lòng thử lại sau ít phút.", NULL, NULL);
		return;
	}
	if (state != STORE_LOGIN_VALID) {
		free(user);
		r->auth_failed = state == STORE_LOGIN_UNKNOWN;
		console_message(r, state == STORE_LOGIN_UNKNOWN ? 404 : 410,
		    "Đường dẫn đăng nhập không dùng được", state ==
		    STORE_LOGIN_USED ? "Đường dẫn này đã được dùng. Mỗi đường "
		    "dẫn đăng nhập chỉ dùng được một lần." : state ==
		    STORE_LOGIN_EXPIRED ? "Đường dẫn này đã hết hạn. Vui lòng "
		    "xin đường dẫn mới." : "Đường dẫn này không hợp lệ.",
		    NULL, NULL);
		return;
	}
	console_auth_csrf(c->key, "login", hash, csrf);
	buf_init(&b);
	html_begin(&b, "vi", "Đăng nhập", "narrow");
	buf_adds(&b, "<main>\n<h1>Đăng nhập trang điều hành</h1>\n<p>Đăng "
	    "nhập với tên <b>");
	html_text(&b, user);
	buf_adds(&b, "</b>. Đường dẫn này chỉ dùng được một lần.</p>\n"
	    "<form method=\"post\">");
	html_hidden(&b, "csrf", csrf);
	buf_adds(&b, "<button type=\"submit\">Đăng nhập</button></form>\n"
	    "</main>\n");
	html_end(&b);
	free(user);
	r->status = 200;
	r->body = buf_steal(&b);
}

/* POST /console/login/SECRET: uses the link, makes the session. */
static void
console_login(struct console *c, const struct console_request *req,
    const char *secret, time_t now, struct console_response *r)
{
	char	 hash[CONSOLE_AUTH_HASH_LEN + 1], *user, *cause = NULL;
	char	*session, shash[CONSOLE_AUTH_HASH_LEN + 1];
	int	 state;

	console_auth_hash(secret, hash);
	if (!console_origin_ok(c, req) || !console_auth_csrf_ok(c->key,
	    "login", hash, console_field(req->form, req->nform, "csrf"))) {
		r->auth_failed = 1;
		console_message(r, 403, "Yêu cầu bị từ chối", "Biểu mẫu đăng "
		    "nhập không hợp lệ.", NULL, NULL);
		return;
	}
	state = store_console_login_state(c->store, hash, now, &user, &cause);
	if (state != STORE_LOGIN_VALID) {
		free(user);
		free(cause);
		console_login_page(c, secret, now, r);
		return;
	}
	session = console_auth_secret();
	console_auth_hash(session, shash);
	if (store_begin(c->store, &cause) != 0 ||
	    store_console_login_use(c->store, hash, now, req->client,
	    &cause) != 0 || store_console_session_add(c->store, shash, user,
	    now, now + (time_t)c->session_hours * 3600, req->client,
	    &cause) < 0 || store_commit(c->store, &cause) != 0) {
		store_rollback(c->store);
		log_warnx("console: sign-in of %s: %s", user, cause);
		free(cause);
		console_message(r, 503, "Hệ thống đang bận", "Chưa đăng nhập "
		    "được. Vui lòng thử lại sau ít phút.", NULL, NULL);
	} else {
		log_info("console: %s signed in from %s", user, req->client);
		r->cookie = console_cookie(c, session, c->session_hours * 3600);
		r->status = 303;
		r->location = xstrdup("/console");
	}
	explicit_bzero(session, strlen(session));
	free(session);
	free(user);
}

void
console_handle(struct console *c, const struct console_request *req,
    time_t now, struct console_response *r)
{
	const char	*secret;

	memset(r, 0, sizeof *r);
	if (strncmp(req->path, "/unit/", 6) == 0) {
		unit_page_handle(c, req, now, r);
		return;
	}
	if (strncmp(req->path, "/console/login/", 15) == 0) {
		secret = req->path + 15;
		if (strlen(secret) != CONSOLE_AUTH_SECRET_LEN ||
		    strspn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789-_") != CONSOLE_AUTH_SECRET_LEN) {
			r->auth_failed = 1;
			console_message(r, 404, "Đường dẫn đăng nhập không "
			    "dùng được", "Đường dẫn này không hợp lệ.", NULL,
			    NULL);
		} else if (req->post)
			console_login(c, req, secret, now, r);
		else
			console_login_page(c, secret, now, r);
		return;
	}
	console_signed_in(c, req, now, r);
}
