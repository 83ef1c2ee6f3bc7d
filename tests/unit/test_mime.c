/*
 * Tests for mime.c: encoded-words, quoted-printable, the header injection
 * guard, and whole messages parsed back by Python's email package (an
 * independent implementation) with policy=email.policy.default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "config.h"
#include "date.h"
#include "mime.h"
#include "utf8.h"
#include "xmalloc.h"

#define PYTHON	"/usr/bin/python3"

static char	tmpdir[] = "/tmp/test_mime.XXXXXX";

/* Checks a built message: headers, decoded values, body, line endings. */
static const char python_check[] =
"import sys, datetime, email, email.policy, email.header\n"
"d = sys.argv[1]\n"
"def r(n):\n"
"    try:\n"
"        return open(d + '/' + n, 'rb').read().decode('utf-8')\n"
"    except FileNotFoundError:\n"
"        return None\n"
"raw = open(d + '/msg.eml', 'rb').read()\n"
"err = []\n"
"rest = raw.replace(b'\\r\\n', b'')\n"
"if b'\\n' in rest or b'\\r' in rest: err.append('bare CR or LF')\n"
"if not raw.endswith(b'\\r\\n'): err.append('no final CRLF')\n"
"for l in raw.split(b'\\r\\n'):\n"
"    if len(l) > 998: err.append('line over 998')\n"
"head = raw.split(b'\\r\\n\\r\\n', 1)[0].split(b'\\r\\n')\n"
"for l in head:\n"
"    if len(l) > 78: err.append('header line over 78: %r' % l)\n"
"names = [l.split(b':', 1)[0].decode() for l in head if l[:1] != b' ']\n"
"if names != r('names').split(','): err.append('headers %r' % names)\n"
"m = email.message_from_bytes(raw, policy=email.policy.default)\n"
"for p in m.walk():\n"
"    if p.defects: err.append('defects %r' % p.defects)\n"
"if str(m['subject']) != r('subject'): err.append('subject %r' % str(m['subject']))\n"
"for h in ('from', 'to'):\n"
"    a = m[h].addresses\n"
"    if len(a) != 1 or a[0].addr_spec != r(h + '_addr'): err.append(h + ' addr')\n"
"    want = r(h + '_name') or ''\n"
"    if ' '.join(a[0].display_name.split()) != ' '.join(want.split()): err.append(h + ' name %r' % a[0].display_name)\n"
"    hv = [l for l in raw.decode('ascii').split('\\r\\n\\r\\n')[0].replace('\\r\\n ', ' ').split('\\r\\n') if l.startswith(h.title() + ': ')][0]\n"
"    hv = hv[len(h) + 2:]\n"
"    if want:\n"
"        dec = str(email.header.make_header(email.header.decode_header(hv.rsplit(' <', 1)[0])))\n"
"        if dec != want: err.append(h + ' decode_header %r' % dec)\n"
"if r('reply_to') is not None and m['reply-to'].addresses[0].addr_spec != r('reply_to'): err.append('reply-to')\n"
"if m['date'].datetime != datetime.datetime(2024, 7, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))): err.append('date %s' % m['date'])\n"
"if m['message-id'] != '<' + r('message_id') + '>': err.append('message-id')\n"
"if m['mime-version'] != '1.0' or m['auto-submitted'] != 'auto-generated': err.append('mime/auto')\n"
"if m['x-auto-response-suppress'] != 'All': err.append('suppress')\n"
"t = m.get_body(('plain',)).get_content()\n"
"if t.replace('\\r\\n', '\\n') != r('text'): err.append('text %r' % t)\n"
"if r('html') is not None:\n"
"    h = m.get_body(('html',)).get_content()\n"
"    if h.replace('\\r\\n', '\\n') != r('html'): err.append('html %r' % h)\n"
"if r('att_name') is not None:\n"
"    att = [p for p in m.iter_attachments()]\n"
"    if len(att) != 1 or att[0].get_filename() != r('att_name'): err.append('attachment name')\n"
"    elif att[0].get_payload(decode=True) != open(d + '/att_data', 'rb').read(): err.append('attachment data')\n"
"print('\\n'.join(err) if err else 'OK')\n"
"sys.exit(1 if err else 0)\n";

/* Writes n bytes of data to tmpdir/name. */
static void
write_file(const char *name, const char *data, size_t n)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Writes a string, or removes the file if s is NULL. */
static void
write_string(const char *name, const char *s)
{
	char	path[256];

	if (s != NULL) {
		write_file(name, s, strlen(s));
		return;
	}
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	unlink(path);
}

/* Whether Python with its email package is there to check messages. */
static int	have_python;

/* Runs a Python script with tmpdir as argument; returns its exit status. */
static int
run_python(const char *script)
{
	char	 cmd[512];
	int	 status;

	if (!have_python)
		skip();		/* only the cases Python checks */
	write_string("check.py", script);
	snprintf(cmd, sizeof cmd, "%s %s/check.py %s", PYTHON, tmpdir, tmpdir);
	status = system(cmd);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Builds m, writes it and the expected values, and has Python check it. */
static void
check_with_python(const struct mime_message *m, const char *names)
{
	char	*out, *cause = NULL;
	size_t	 len;

	assert_int_equal(mime_build(m, &out, &len, &cause), 0);
	assert_null(cause);
	assert_int_equal(strlen(out), len);
	write_file("msg.eml", out, len);
	write_string("names", names);
	write_string("subject", m->subject);
	write_string("from_addr", m->from_addr);
	write_string("from_name", m->from_name);
	write_string("to_addr", m->to_addr);
	write_string("to_name", m->to_name);
	write_string("reply_to", m->reply_to);
	write_string("message_id", m->message_id);
	write_string("text", m->text);
	write_string("html", m->html);
	write_string("att_name", m->attachment_name);
	if (m->attachment_name != NULL)
		write_file("att_data", m->attachment_data, m->attachment_len);
	assert_int_equal(run_python(python_check), 0);
	free(out);
}

/* A message as the mail channel sends it. */
static struct mime_message
sample_message(void)
{
	struct mime_message	m;

	memset(&m, 0, sizeof m);
	m.from_name = "Hệ thống nhắc hạn công việc UBND huyện Tuy Phước";
	m.from_addr = "nhachan@tuyphuoc.example.gov.vn";
	m.to_name = "Phòng Nội vụ";
	m.to_addr = "noivu@tuyphuoc.example.gov.vn";
	m.reply_to = "vanphong@tuyphuoc.example.gov.vn";
	m.subject = "[deadlined] Nhắc hạn công việc ngày Thứ Hai, 01/07/2024: "
	    "2 quá hạn, 1 đến hạn hôm nay, 3 sắp đến hạn";
	m.text = "Kính gửi: Phòng Nội vụ\n\n"
	    "1. [KH-CCHC-2024 III.DT.2.b] Tỷ lệ hồ sơ trễ hạn trong giải quyết "
	    "thủ tục hành chính còn cao, chưa thực hiện xin lỗi người dân\n"
	    "   Hạn: Thứ Hai, 01/07/2024 - Đã quá hạn 3 ngày làm việc   \n"
	    ".\n.dòng bắt đầu bằng dấu chấm\nFrom the office = 100%\n"
	    "-- \n";
	m.message_id = "ob42.overdue.3.noivu@deadlined.example.gov.vn";
	m.date = 1719795600;	/* 2024-07-01 01:00 UTC */
	return (m);
}

/* ASCII without specials passes; specials and non-ASCII are encoded. */
static void
test_encode_word_ascii(void **state)
{
	char	*s;

	s = mime_encode_word("Phong Noi vu");
	assert_string_equal(s, "Phong Noi vu");
	free(s);
	s = mime_encode_word("Noi vu, UBND");
	assert_string_equal(s, "=?UTF-8?B?Tm9pIHZ1LCBVQk5E?=");
	free(s);
	s = mime_encode_word("Nội vụ");
	assert_string_equal(s, "=?UTF-8?B?TuG7mWkgduG7pQ==?=");
	free(s);
	s = mime_encode_word("");
	assert_string_equal(s, "");
	free(s);
}

/* Decodes one encoded-word with OpenSSL into out; returns its length. */
static size_t
decode_word(const char *w, size_t n, unsigned char *out)
{
	int	len;

	assert_true(n <= 75);
	assert_memory_equal(w, "=?UTF-8?B?", 10);
	assert_memory_equal(w + n - 2, "?=", 2);
	len = EVP_DecodeBlock(out, (const unsigned char *)w + 10, (int)n - 12);
	assert_true(len >= 0);
	while (n > 12 && w[n - 3] == '=') {
		len--;
		n--;
	}
	return ((size_t)len);
}

/* Long Vietnamese: words of at most 75, each whole UTF-8 characters. */
static void
test_encode_word_split(void **state)
{
	const char	*in = "Ủy ban nhân dân huyện Tuy Phước, tỉnh Bình Định - "
			    "Phòng Văn hóa và Thông tin - Trung tâm Văn hóa - "
			    "Thông tin - Thể thao huyện ỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹ";
	unsigned char	 dec[64], all[1024];
	char		*s, *p, *end;
	size_t		 len, total = 0, words = 0;

	s = mime_encode_word(in);
	for (p = s;; p = end + 3) {
		end = strstr(p, "\r\n ");
		len = end == NULL ? strlen(p) : (size_t)(end - p);
		len = decode_word(p, len, dec);
		assert_true(len > 0);
		/* Neither starts nor ends inside a character. */
		assert_true((dec[0] & 0xc0) != 0x80);
		assert_int_equal(utf8_valid((char *)dec + len - 1, 1) ||
		    (dec[len - 1] & 0xc0) == 0x80, 1);
		assert_true(total + len < sizeof all);
		memcpy(all + total, dec, len);
		total += len;
		words++;
		if (end == NULL)
			break;
	}
	assert_true(words >= 4);
	assert_int_equal(total, strlen(in));
	assert_memory_equal(all, in, total);
	/* Python's decode_header agrees. */
	write_string("word", s);
	write_string("expected", in);
	assert_int_equal(run_python(
	    "import sys, email.header\n"
	    "d = sys.argv[1]\n"
	    "w = open(d + '/word').read()\n"
	    "for part in w.split('\\r\\n '):\n"
	    "    b, cs = email.header.decode_header(part)[0]\n"
	    "    b.decode('utf-8')\n"
	    "got = str(email.header.make_header(email.header.decode_header(w)))\n"
	    "sys.exit(0 if got == open(d + '/expected').read() else 1)\n"), 0);
	free(s);
}

/* Quoted-printable of Vietnamese, written by hand. */
static void
test_qp_known(void **state)
{
	char	*s;

	s = mime_encode_qp("Kính gửi\n", strlen("Kính gửi\n"));
	assert_string_equal(s, "K=C3=ADnh g=E1=BB=ADi\r\n");
	free(s);
	s = mime_encode_qp("a=b \r\n.\nFrom x\nend", 18);
	assert_string_equal(s, "a=3Db=20\r\n=2E\r\n=46rom x\r\nend=\r\n");
	free(s);
	s = mime_encode_qp("", 0);
	assert_string_equal(s, "");
	free(s);
}

/* Long lines: soft breaks at most 76, never inside an escape. */
static void
test_qp_long(void **state)
{
	struct buf	 b;
	char		*s, *line, *save = NULL;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 40; i++)
		buf_adds(&b, "Đề nghị các đơn vị báo cáo đúng hạn. ");
	buf_addc(&b, '\n');
	s = mime_encode_qp(b.data, b.len);
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_true(strlen(line) <= 77);	/* with its CR */
		assert_int_equal(line[strlen(line) - 1], '\r');
	}
	free(s);
	s = mime_encode_qp(b.data, b.len);
	write_string("qp", s);
	write_string("expected", b.data);
	assert_int_equal(run_python(
	    "import sys, quopri\n"
	    "d = sys.argv[1]\n"
	    "got = quopri.decodestring(open(d + '/qp', 'rb').read())\n"
	    "got = got.replace(b'\\r\\n', b'\\n')\n"
	    "sys.exit(0 if got == open(d + '/expected', 'rb').read() else 1)\n"),
	    0);
	free(s);
	buf_free(&b);
}

/* Asserts that check refuses value with a cause containing why. */
static void
assert_refused(int (*check)(const char *, char **), const char *value,
    const char *why)
{
	char	*cause = NULL;

	assert_int_equal(check(value, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, why);
	free(cause);
}

/* CR, LF, NUL, controls and invalid UTF-8 are refused in header values. */
static void
test_check_header_value(void **state)
{
	char	*cause = NULL;

	assert_int_equal(mime_check_header_value("Phòng Nội vụ", &cause), 0);
	assert_int_equal(mime_check_header_value("a\tb", &cause), 0);
	assert_null(cause);
	assert_refused(mime_check_header_value, "Tiêu đề\r\nBcc: x@y",
	    "line break");
	assert_refused(mime_check_header_value, "Tiêu đề\nBcc: x@y",
	    "line break");
	assert_refused(mime_check_header_value, "x\rDATA", "line break");
	assert_refused(mime_check_header_value, "\xc3\x28", "UTF-8");
	assert_refused(mime_check_header_value, "\xc0\xaf", "UTF-8");
	assert_refused(mime_check_header_value, "\xed\xa0\x80", "UTF-8");
	assert_refused(mime_check_header_value, "\xf4\x90\x80\x80", "UTF-8");
	assert_refused(mime_check_header_value, "Ph\xe1\xbb", "UTF-8");
	assert_refused(mime_check_header_value, "a\x1b[31m", "control");
	assert_int_equal(mime_check_header_bytes("ab\0Bcc", 6, &cause), -1);
	assert_string_equal(cause, "contains a NUL byte");
	free(cause);
}

/* Plain addr-spec only. */
static void
test_check_address(void **state)
{
	static const char	*good[] = { "noivu@example.gov.vn",
				    "a.b+tag@sub-1.example.gov.vn", "x@localhost" };
	static const char	*bad[] = { "", "noat", "a@b@c.vn", "@x.vn", "a@",
				    "a b@x.vn", "<a@x.vn>", "a@x.vn>", "a..b@x.vn",
				    ".a@x.vn", "a.@x.vn", "a@-x.vn", "a@x-.vn",
				    "a@x..vn", "a@x.vn.", "tên@x.vn", "a@xã.vn",
				    "\"a\"@x.vn", "a,b@x.vn", "a@[127.0.0.1]",
				    "a(b)@x.vn" };
	char			*cause = NULL, local[80];
	size_t			 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(mime_check_address(good[i], &cause), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (mime_check_address(bad[i], &cause) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	assert_refused(mime_check_address,
	    "a@x.vn\r\nRCPT TO:<evil@x.vn>", "line break");
	memset(local, 'a', 65);
	strcpy(local + 65, "@x.vn");
	assert_refused(mime_check_address, local, "too long");
	local[1] = '@';
	local[2] = '\0';
	assert_refused(mime_check_address, local, "domain");
}

/* Asserts that mime_build refuses m with a cause starting with field. */
static void
assert_build_refused(const struct mime_message *m, const char *field)
{
	char	*out = (char *)"", *cause = NULL;
	size_t	 len = 1;

	assert_int_equal(mime_build(m, &out, &len, &cause), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_non_null(cause);
	if (strncmp(cause, field, strlen(field)) != 0)
		fail_msg("cause \"%s\" does not name %s", cause, field);
	free(cause);
}

/* Injection through any field is refused, naming the field. */
static void
test_build_injection(void **state)
{
	struct mime_message	m;

	m = sample_message();
	m.subject = "Tiêu đề\r\nBcc: x@y.vn";
	assert_build_refused(&m, "subject:");
	m = sample_message();
	m.from_name = "Phòng\nBcc: x@y.vn";
	assert_build_refused(&m, "from_name:");
	m = sample_message();
	m.to_name = "Phòng\r";
	assert_build_refused(&m, "to_name:");
	m = sample_message();
	m.to_addr = "noivu@x.vn\r\nRCPT TO:<y@z.vn>";
	assert_build_refused(&m, "to_addr:");
	m = sample_message();
	m.from_addr = "Phòng <a@x.vn>";
	assert_build_refused(&m, "from_addr:");
	m = sample_message();
	m.reply_to = "a@x.vn\n";
	assert_build_refused(&m, "reply_to:");
	m = sample_message();
	m.message_id = "a@x.vn>\r\nBcc: y@z.vn";
	assert_build_refused(&m, "message_id:");
	m = sample_message();
	m.message_id = "no-at-sign";
	assert_build_refused(&m, "message_id:");
	m = sample_message();
	m.subject = "Nh\xe1\xba";
	assert_build_refused(&m, "subject:");
	m = sample_message();
	m.text = "K\xc3nh g\xe1i";
	assert_build_refused(&m, "text:");
	m = sample_message();
	m.subject = NULL;
	assert_build_refused(&m, "subject:");
	m = sample_message();
	m.attachment_name = "bao-cao.csv";
	m.attachment_type = "text/csv\r\nBcc: x@y.vn";
	m.attachment_data = "";
	assert_build_refused(&m, "attachment_type:");
	m.attachment_type = "text/csv";
	m.attachment_name = "a\".csv\n";
	assert_build_refused(&m, "attachment_name:");
}

/* The Date header comes from m.date in the configured zone. */
static void
test_build_date(void **state)
{
	struct mime_message	 m = sample_message();
	char			*out, *cause = NULL;
	size_t			 len;

	assert_int_equal(mime_build(&m, &out, &len, &cause), 0);
	assert_memory_equal(out, "Date: Mon, 01 Jul 2024 08:00:00 +0700\r\n",
	    39);
	assert_non_null(strstr(out, "\r\nMessage-ID: "
	    "<ob42.overdue.3.noivu@deadlined.example.gov.vn>\r\n"));
	assert_non_null(strstr(out, "\r\nReply-To: "
	    "vanphong@tuyphuoc.example.gov.vn\r\n"));
	assert_non_null(strstr(out, "\r\nTo: =?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?="
	    " <noivu@tuyphuoc.example.gov.vn>\r\n"));
	free(out);
}

/* Plain text only, parsed back by Python. */
static void
test_build_plain(void **state)
{
	struct mime_message	m = sample_message();

	check_with_python(&m, "Date,From,To,Reply-To,Subject,Message-ID,"
	    "MIME-Version,Auto-Submitted,X-Auto-Response-Suppress,"
	    "Content-Type,Content-Transfer-Encoding");
	m.reply_to = NULL;
	m.to_name = NULL;
	m.subject = "Short ASCII subject: 3 overdue";
	m.text = "no final newline";
	check_with_python(&m, "Date,From,To,Subject,Message-ID,"
	    "MIME-Version,Auto-Submitted,X-Auto-Response-Suppress,"
	    "Content-Type,Content-Transfer-Encoding");
}

/* Text and HTML alternatives, and a CSV attachment. */
static void
test_build_multipart(void **state)
{
	struct mime_message	 m = sample_message();
	const char		*names = "Date,From,To,Reply-To,Subject,"
				    "Message-ID,MIME-Version,Auto-Submitted,"
				    "X-Auto-Response-Suppress,Content-Type";

	m.html = "<p>Kính gửi: <b>Phòng Nội vụ</b></p>\n"
	    "--=_deadlined_00000000_alternative_0\n";
	check_with_python(&m, names);
	m.attachment_name = "báo cáo đúng hạn quý II.csv";
	m.attachment_type = "text/csv";
	m.attachment_data = "Đơn vị,Đúng hạn,Trễ hạn\r\nPhòng Nội vụ,12,1\r\n"
	    "UBND xã Phước An,8,3\r\n";
	m.attachment_len = strlen(m.attachment_data);
	check_with_python(&m, names);
	m.html = NULL;
	m.attachment_name = "report.csv";
	check_with_python(&m, names);
}

/*
 * The sender's headers are set in one place: From and Reply-To from the
 * configuration (none when [smtp] reply_to is empty), To, Date, and a
 * Message-ID of the key (sha256 of "send-test/pa/1", its first 16 bytes
 * in hex, worked out with python3's hashlib) at the sender's domain;
 * whatever m held before is cleared.
 */
static void
test_message_init(void **state)
{
	struct config		cf;
	struct mime_message	m;
	char			*id, from[] = "nhachan@noivu.example.gov.vn";
	char			 name[] = "Nhắc hạn công việc", empty[] = "";
	char			 reply[] = "hotro@example.gov.vn";

	memset(&cf, 0, sizeof cf);
	cf.smtp_from = from;
	cf.smtp_from_name = name;
	cf.smtp_reply_to = reply;
	memset(&m, 0, sizeof m);
	m.subject = "left over";
	m.html = "<p>left over</p>";
	id = mime_message_init(&m, &cf, "UBND xã Phước An",
	    "phuocan@example.gov.vn", "send-test/pa/1", 1720999800);
	assert_string_equal(id, "9487ba5e3ab408939524eb8b942e5d9e"
	    "@noivu.example.gov.vn");
	assert_ptr_equal(m.message_id, id);
	assert_string_equal(m.from_addr, "nhachan@noivu.example.gov.vn");
	assert_string_equal(m.from_name, "Nhắc hạn công việc");
	assert_string_equal(m.to_name, "UBND xã Phước An");
	assert_string_equal(m.to_addr, "phuocan@example.gov.vn");
	assert_string_equal(m.reply_to, "hotro@example.gov.vn");
	assert_int_equal(m.date, 1720999800);
	assert_null(m.subject);
	assert_null(m.html);
	free(id);
	cf.smtp_reply_to = empty;
	id = mime_message_init(&m, &cf, NULL, "phuocan@example.gov.vn",
	    "send-test/pa/1", 1720999800);
	assert_null(m.reply_to);
	assert_null(m.to_name);
	free(id);
}

/* A long plain ASCII subject is folded at spaces, not encoded. */
static void
test_build_ascii_subject(void **state)
{
	struct mime_message	 m = sample_message();
	char			*out, *cause = NULL;
	size_t			 len;

	m.subject = "[deadlined] Deadline reminder for Monday, 01/07/2024: "
	    "2 overdue, 1 due today, 3 due soon";
	assert_int_equal(mime_build(&m, &out, &len, &cause), 0);
	assert_non_null(strstr(out, "\r\nSubject: [deadlined] Deadline reminder "
	    "for Monday, 01/07/2024: 2 overdue, 1\r\n due today, 3 due soon\r\n"));
	free(out);
	check_with_python(&m, "Date,From,To,Reply-To,Subject,Message-ID,"
	    "MIME-Version,Auto-Submitted,X-Auto-Response-Suppress,"
	    "Content-Type,Content-Transfer-Encoding");
}

/* Removes the temporary directory. */
static int
teardown(void **state)
{
	char	cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return (system(cmd) == 0 ? 0 : -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_word_ascii),
		cmocka_unit_test(test_encode_word_split),
		cmocka_unit_test(test_qp_known),
		cmocka_unit_test(test_qp_long),
		cmocka_unit_test(test_check_header_value),
		cmocka_unit_test(test_check_address),
		cmocka_unit_test(test_build_injection),
		cmocka_unit_test(test_build_date),
		cmocka_unit_test(test_build_plain),
		cmocka_unit_test(test_build_multipart),
		cmocka_unit_test(test_build_ascii_subject),
		cmocka_unit_test(test_message_init),
	};

	have_python = access(PYTHON, X_OK) == 0 &&
	    system(PYTHON " -c 'import email.policy' 2>/dev/null") == 0;
	if (!have_python)
		fprintf(stderr, "%s with the email package not found: the "
		    "cases it checks are skipped\n", PYTHON);
	if (date_set_timezone("Asia/Ho_Chi_Minh") != 0) {
		fprintf(stderr, "zone Asia/Ho_Chi_Minh not installed\n");
		return (77);
	}
	if (mkdtemp(tmpdir) == NULL)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, teardown));
}
