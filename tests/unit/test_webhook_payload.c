/*
 * Tests for webhook-payload.c: the template names, each chat shape parsed
 * back with jansson, and a Telegram text cut at a line to 4096 characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "message.h"
#include "utf8.h"
#include "webhook-payload.h"

static struct message_digest	digest;

/* The names units.ini takes; anything else is refused. */
static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(webhook_payload_format(NULL), WEBHOOK_PAYLOAD_JSON);
	assert_int_equal(webhook_payload_format("json"), WEBHOOK_PAYLOAD_JSON);
	assert_int_equal(webhook_payload_format("slack"),
	    WEBHOOK_PAYLOAD_SLACK);
	assert_int_equal(webhook_payload_format("telegram"),
	    WEBHOOK_PAYLOAD_TELEGRAM);
	assert_int_equal(webhook_payload_format("teams"),
	    WEBHOOK_PAYLOAD_TEAMS);
	assert_int_equal(webhook_payload_format("googlechat"),
	    WEBHOOK_PAYLOAD_GOOGLECHAT);
	assert_int_equal(webhook_payload_format("discord"), -1);
	assert_int_equal(webhook_payload_format("Slack"), -1);
}

/* Slack and Google Chat: {"text": subject, blank line, text}. */
static void
test_text_shapes(void **state)
{
	char	*body;

	(void)state;
	body = webhook_payload_body(WEBHOOK_PAYLOAD_SLACK, &digest,
	    "Nhắc hạn", "Kính gửi: Phòng A");
	assert_string_equal(body, "{\"text\":\"Nhắc hạn\\n\\nKính gửi: "
	    "Phòng A\"}");
	free(body);
	body = webhook_payload_body(WEBHOOK_PAYLOAD_GOOGLECHAT, &digest,
	    "S", "T");
	assert_string_equal(body, "{\"text\":\"S\\n\\nT\"}");
	free(body);
	body = webhook_payload_body(WEBHOOK_PAYLOAD_TELEGRAM, &digest,
	    "S", "T");
	assert_string_equal(body, "{\"text\":\"S\\n\\nT\","
	    "\"disable_web_page_preview\":true}");
	free(body);
}

/* Teams: a message with one Adaptive Card, subject and text blocks. */
static void
test_teams(void **state)
{
	json_t		*root, *att, *card, *blocks;
	char		*body;

	(void)state;
	body = webhook_payload_body(WEBHOOK_PAYLOAD_TEAMS, &digest,
	    "Nhắc hạn", "Kính gửi: Phòng A");
	assert_non_null(root = json_loads(body, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(root, "type")),
	    "message");
	att = json_array_get(json_object_get(root, "attachments"), 0);
	assert_int_equal(json_array_size(json_object_get(root,
	    "attachments")), 1);
	assert_string_equal(json_string_value(json_object_get(att,
	    "contentType")), "application/vnd.microsoft.card.adaptive");
	card = json_object_get(att, "content");
	assert_string_equal(json_string_value(json_object_get(card, "type")),
	    "AdaptiveCard");
	blocks = json_object_get(card, "body");
	assert_int_equal(json_array_size(blocks), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(blocks, 0), "text")), "Nhắc hạn");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(blocks, 1), "text")), "Kính gửi: Phòng A");
	json_decref(root);
	free(body);
}

/*
 * A text of 300 lines of 30 characters with the newline ("Dòng 001: ...")
 * is 9,000 characters: Telegram's is cut after line 136.  By hand: "S",
 * two newlines, then 4,096 - 4 = 4,092 characters kept for room for
 * "\n[…]": line 136 ends at 3 + 136 x 30 = 4,083, line 137 at 4,113;
 * back to the end of line 136, its newline dropped, "\n[…]" added:
 * 4,082 + 4 = 4,086 characters.
 */
static void
test_telegram_cut(void **state)
{
	json_t		*root;
	char		 text[300 * 64], line[64], *body;
	const char	*got;
	size_t		 i;

	(void)state;
	text[0] = '\0';
	for (i = 0; i < 300; i++) {
		snprintf(line, sizeof line, "Dòng %03zu: nhắc hạn công việc.\n",
		    i + 1);
		strcat(text, line);
	}
	assert_int_equal(utf8_chars(line), 30);
	body = webhook_payload_body(WEBHOOK_PAYLOAD_TELEGRAM, &digest, "S",
	    text);
	assert_non_null(root = json_loads(body, 0, NULL));
	got = json_string_value(json_object_get(root, "text"));
	assert_true(utf8_chars(got) <= 4096);
	assert_non_null(strstr(got, "Dòng 136: nhắc hạn công việc.\n[…]"));
	assert_null(strstr(got, "Dòng 137"));
	assert_int_equal(utf8_chars(got), 4086);
	json_decref(root);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_text_shapes),
		cmocka_unit_test(test_teams),
		cmocka_unit_test(test_telegram_cut),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
