/*
 * The frame and small pieces of every page (see html.h).  All text goes
 * through buf_add_html(); numbers and dates are formatted here.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"

/*
 * One stylesheet for the console, the unit pages and the completion
 * links: served from HTML_CSS_PATH, so the Content-Security-Policy need
 * not allow inline style.  Phones get one column and tables that scroll;
 * print drops navigation and forms and keeps the tables whole.
 */
const char html_css[] =
":root{--fg:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--bg:#f6f7f9;"
"--card:#fff;--accent:#0b5cad;--good:#1b7f3b;--mid:#b7791f;--bad:#c0392b}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\","
"Roboto,\"Noto Sans\",sans-serif;color:var(--fg);background:var(--bg)}\n"
"header.top{background:#123a63;color:#fff;padding:.6em 1em;display:flex;"
"flex-wrap:wrap;align-items:center;gap:.4em 1.2em}\n"
"header.top a{color:#fff;text-decoration:none}\n"
"header.top .brand{font-weight:600}\n"
"header.top nav{display:flex;flex-wrap:wrap;gap:.2em .9em}\n"
"header.top nav a{opacity:.85}header.top nav a.on{opacity:1;"
"border-bottom:2px solid #fff}\n"
"header.top .who{margin-left:auto;font-size:.9em;display:flex;gap:.6em;"
"align-items:center}\n"
"header.top form{margin:0}\n"
"header.top button{background:transparent;color:#fff;border:1px solid "
"#fff8;border-radius:4px;padding:.15em .6em;cursor:pointer}\n"
"main{max-width:72em;margin:0 auto;padding:1em}\n"
"body.narrow main{max-width:44em}\n"
"h1{font-size:1.45em;margin:.3em 0 .5em}h2{font-size:1.15em;margin:1.4em "
"0 .5em}\n"
".muted,.note{color:var(--muted)}.note{font-size:.9em}\n"
".card{background:var(--card);border:1px solid var(--line);"
"border-radius:8px;padding:.8em 1em;margin:.8em 0}\n"
".filters{display:flex;flex-wrap:wrap;gap:.3em .6em;align-items:center;"
"margin:.5em 0}\n"
".filters a{padding:.15em .55em;border:1px solid var(--line);"
"border-radius:999px;background:#fff;color:var(--fg);text-decoration:none;"
"font-size:.9em}\n"
".filters a.on{background:var(--accent);border-color:var(--accent);"
"color:#fff}\n"
".scroll{overflow-x:auto}\n"
"table{border-collapse:collapse;width:100%;background:#fff}\n"
"th,td{padding:.35em .55em;border-bottom:1px solid var(--line);"
"text-align:left;vertical-align:top}\n"
"th{background:#eef1f5;font-weight:600;white-space:nowrap}\n"
"th a{color:inherit}\n"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
"tr.total td{font-weight:600;background:#f3f5f8}\n"
"tr.bad td:first-child{border-left:3px solid var(--bad)}\n"
"a{color:var(--accent)}\n"
"svg.bar{width:7em;height:.75em;vertical-align:middle;margin-right:.4em}\n"
"svg.bar .bg{fill:#e6e9ee}svg.bar .good{fill:var(--good)}"
"svg.bar .mid{fill:var(--mid)}svg.bar .bad{fill:var(--bad)}\n"
".tag{display:inline-block;padding:0 .45em;border-radius:4px;"
"font-size:.85em;background:#eef1f5}\n"
".tag.overdue{background:#fde8e6;color:var(--bad)}.tag.done{background:"
"#e6f4ea;color:var(--good)}.tag.waived{background:#eef1f5;color:"
"var(--muted)}.tag.pending{background:#fff4e0;color:var(--mid)}"
".tag.extended{background:#e8f0fb;color:var(--accent)}\n"
"ul.units{margin:.2em 0;padding-left:1.1em}\n"
".item{background:#fff;border:1px solid var(--line);border-radius:8px;"
"padding:.7em .9em;margin:.7em 0}\n"
".item.overdue{border-left:4px solid var(--bad)}\n"
".item h3{font-size:1em;margin:0 0 .3em}\n"
".actions{display:flex;flex-wrap:wrap;gap:.5em;margin-top:.5em}\n"
".actions form{display:flex;flex-wrap:wrap;gap:.35em;align-items:center;"
"margin:0}\n"
"details{margin-top:.4em}summary{cursor:pointer;color:var(--accent)}\n"
"details form{margin:.4em 0}\n"
"input,textarea,select,button{font:inherit}\n"
"input[type=text],input[type=date],input[type=number],textarea{padding:"
".3em .4em;border:1px solid #b8c0cc;border-radius:4px;max-width:100%}\n"
"textarea{width:100%;min-height:4em}\n"
"button{padding:.35em .9em;border-radius:4px;border:1px solid "
"var(--accent);background:var(--accent);color:#fff;cursor:pointer}\n"
"button.light{background:#fff;color:var(--accent)}\n"
".msg{padding:.6em .9em;border-radius:6px;margin:.6em 0;background:"
"#e6f4ea}.msg.error{background:#fde8e6}\n"
".month{table-layout:fixed}.month td{height:5.5em;font-size:.85em}"
".month td.off{background:#f6f7f9}.month .d{font-weight:600;color:"
"var(--muted)}\n"
".month ul{list-style:none;margin:.2em 0 0;padding:0}\n"
".qr{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}"
".qr svg{width:9.5em;height:9.5em;background:#fff}\n"
".url{word-break:break-all;font-family:ui-monospace,monospace;"
"font-size:.85em}\n"
".printonly{display:none}\n"
"footer{max-width:72em;margin:1em auto;padding:0 1em;color:var(--muted);"
"font-size:.85em}\n"
"@media (max-width:40em){body{font-size:14px}main{padding:.6em}"
"header.top .who{margin-left:0}svg.bar{width:4em}th,td{padding:.3em .35em}"
".hide-narrow{display:none}}\n"
"@media print{@page{margin:1.5cm}body{background:#fff;font-size:11pt}"
"header.top,nav,.filters,form,details,.actions,.noprint,footer{display:"
"none!important}.printonly{display:block}main{max-width:none;padding:0}"
".card,.item{border:none;padding:0}table{font-size:10pt}th{background:"
"#fff;border-bottom:1.5px solid #000}th,td{border-color:#999}"
"a{color:#000;text-decoration:none}tr{break-inside:avoid}"
"svg.bar .bg{fill:#fff;stroke:#000;stroke-width:.3}}\n";

void
html_begin(struct buf *b, const char *lang, const char *title,
    const char *body_class)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
	buf_add_html(b, lang, 0);
	buf_adds(b, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\""
	    "viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	buf_add_html(b, title, 0);
	buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"" HTML_CSS_PATH
	    "\">\n</head>\n<body");
	if (body_class != NULL) {
		buf_adds(b, " class=\"");
		buf_add_html(b, body_class, 0);
		buf_adds(b, "\"");
	}
	buf_adds(b, ">\n");
}

void
html_end(struct buf *b)
{
	buf_adds(b, "</body>\n</html>\n");
}

void
html_text(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_add_html(b, s, 0);
}

void
html_lines(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_add_html(b, s, 1);
}

void
html_elem(struct buf *b, const char *tag, const char *cls, const char *text)
{
	buf_printf(b, "<%s", tag);
	if (cls != NULL) {
		buf_adds(b, " class=\"");
		buf_add_html(b, cls, 0);
		buf_adds(b, "\"");
	}
	buf_adds(b, ">");
	html_text(b, text);
	buf_printf(b, "</%s>", tag);
}

void
html_link(struct buf *b, const char *href, const char *text)
{
	buf_adds(b, "<a href=\"");
	buf_add_html(b, href, 0);
	buf_adds(b, "\">");
	buf_add_html(b, text, 0);
	buf_adds(b, "</a>");
}

void
html_hidden(struct buf *b, const char *name, const char *value)
{
	buf_adds(b, "<input type=\"hidden\" name=\"");
	buf_add_html(b, name, 0);
	buf_adds(b, "\" value=\"");
	buf_add_html(b, value, 0);
	buf_adds(b, "\">");
}

void
html_int(struct buf *b, long long v)
{
	buf_printf(b, "%lld", v);
}

void
html_date(struct buf *b, date_t d)
{
	char	vn[11];

	if (d == DATE_NONE)
		return;
	date_format_vn(d, vn);
	buf_adds(b, vn);
}

void
html_day(struct buf *b, date_t d, const char *lang)
{
	if (d == DATE_NONE)
		return;
	buf_adds(b, lang != NULL && strcmp(lang, "en") == 0 ?
	    date_weekday_en(d) : date_weekday_vn(d));
	buf_adds(b, ", ");
	html_date(b, d);
}

void
html_rate(struct buf *b, int tenths, const char *lang)
{
	if (tenths < 0) {
		buf_adds(b, "-");
		return;
	}
	buf_printf(b, "%d%c%d%%", tenths / 10, lang != NULL &&
	    strcmp(lang, "en") == 0 ? '.' : ',', tenths % 10);
}

void
html_bar(struct buf *b, int tenths, const char *lang)
{
	const char	*cls = tenths >= 900 ? "good" : tenths >= 700 ? "mid" :
	    "bad";

	buf_adds(b, "<svg class=\"bar\" viewBox=\"0 0 100 10\" "
	    "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"");
	html_rate(b, tenths, lang);
	buf_adds(b, "\"><rect class=\"bg\" width=\"100\" height=\"10\"/>");
	if (tenths > 0)
		buf_printf(b, "<rect class=\"%s\" width=\"%d.%d\" "
		    "height=\"10\"/>", cls, tenths / 10, tenths % 10);
	buf_adds(b, "</svg>");
}

void
html_query_value(struct buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.')
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}
