// SPDX-License-Identifier: GPL-2.0
/* Unit tests: escaping of printed text and JSON strings (userspace/show.c). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nl.h"
#include "show.h"

/* What @print writes for @in, as a string to compare. */
static char *capture(void (*print)(FILE *, const char *), const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	print(f, in);
	fclose(f);
	return buf;
}

static void text(FILE *f, const char *s)
{
	show_text(f, s);
}

static const char *const text_cases[][2] = {
	{ "plain name-1.0", "plain name-1.0" },
	{ "a\nb", "a\\nb" },
	{ "a\tb\rc", "a\\tb\\rc" },
	{ "back\\slash", "back\\\\slash" },
	{ "\x1b[2Khidden", "\\x1b[2Khidden" },
	{ "del\x7f", "del\\x7f" },
	{ "\x01\x1f", "\\x01\\x1f" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92" },
	{ "c1 \xc2\x9b" "2K", "c1 \\xc2\\x9b2K" },		/* U+009B, CSI */
	{ "rtl \xe2\x80\xae" "x", "rtl \\xe2\\x80\\xaex" },	/* U+202E */
	{ "ls \xe2\x80\xa8", "ls \\xe2\\x80\\xa8" },		/* U+2028 */
	{ "bad \xff\xfe", "bad \\xff\\xfe" },
	{ "cut \xc3", "cut \\xc3" },				/* truncated */
	{ "overlong \xc0\xaf", "overlong \\xc0\\xaf" },
	{ "surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80" },
	{ "big \xf4\x90\x80\x80", "big \\xf4\\x90\\x80\\x80" },	/* > U+10FFFF */
};

static void text_escapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		char *got = capture(text, text_cases[i][0]);

		assert_string_equal(got, text_cases[i][1]);
		free(got);
	}
}

static void text_pad_counts_columns(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	show_text_pad(f, "\xc3\xa9t\xc3\xa9", 5);	/* 3 columns, 5 bytes */
	show_text_pad(f, "a\n", 2);			/* longer than the width */
	fclose(f);
	assert_string_equal(buf, "\xc3\xa9t\xc3\xa9  a\\n");
	free(buf);
}

static const char *const json_cases[][2] = {
	{ "plain", "\"plain\"" },
	{ "q\"b\\", "\"q\\\"b\\\\\"" },
	{ "a\nb\tc", "\"a\\nb\\tc\"" },
	{ "\x1b[2K\r", "\"\\u001b[2K\\u000d\"" },
	{ "del\x7f", "\"del\\u007f\"" },
	{ "c1 \xc2\x9b", "\"c1 \\u009b\"" },
	{ "rtl \xe2\x80\xae", "\"rtl \\u202e\"" },
	{ "caf\xc3\xa9 \xf0\x9f\x94\x92", "\"caf\xc3\xa9 \xf0\x9f\x94\x92\"" },
	{ "bad \xff!", "\"bad \\ufffd!\"" },
	{ "cut \xe2\x82", "\"cut \\ufffd\\ufffd\"" },
};

static void json_escapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
		char *got = capture(show_json, json_cases[i][0]);

		assert_string_equal(got, json_cases[i][1]);
		free(got);
	}
}

/*
 * charter status prints the kernel memory of the policy, the files
 * hashed, the live domains and the digest cache's entries, text and JSON.
 */
static void status_policy_memory(void **state)
{
	struct nl_status st = { .version = "0.2.0", .manifests = 3,
				.policy_memory = 123456789012ULL,
				.files_hashed = 4242, .domains = 17,
				.digest_entries = 4096 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	show_status(f, &st, 0);
	fclose(f);
	assert_non_null(strstr(buf, "\npolicy memory   123456789012 bytes"));
	assert_non_null(strstr(buf, "\nfiles hashed    4242 (read in full"));
	assert_non_null(strstr(buf, "\ndomains         17\n"));
	assert_non_null(strstr(buf, "\ndigest cache    4096 entries\n"));
	free(buf);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	show_status(f, &st, 1);
	fclose(f);
	assert_non_null(strstr(buf, ",\"policy_memory\":123456789012,"));
	assert_non_null(strstr(buf, ",\"files_hashed\":4242,"));
	assert_non_null(strstr(buf, ",\"domains\":17,\"digest_entries\":4096,"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_escapes),
		cmocka_unit_test(text_pad_counts_columns),
		cmocka_unit_test(json_escapes),
		cmocka_unit_test(status_policy_memory),
	};

	return cmocka_run_group_tests_name("show", tests, NULL, NULL);
}
