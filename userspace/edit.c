// SPDX-License-Identifier: GPL-2.0
/*
 * The loaded policy, edited: read back (CHARTER_CMD_POLICY_GET), merged
 * (compile_merge()) and loaded with the generation it was read at, so a
 * load by someone else in between is never undone: the kernel refuses
 * ours (-ESTALE) and we start again from theirs.
 */
#include <errno.h>
#include <stdlib.h>

#include "blobview.h"
#include "compile.h"
#include "edit.h"

#define EDIT_TRIES 5

static int edit_once(const struct blob_view *add, const struct merge_drop *drop,
		     size_t ndrop, int replace, struct diag *d, struct nl_error *e)
{
	uint8_t *cur = NULL, *out = NULL;
	size_t cur_len = 0, out_len = 0;
	struct blob_view base;
	uint64_t generation;
	int ret = nl_policy_get(&cur, &cur_len, &generation, e);

	if (ret)
		return ret;
	if (cur && blob_view_open(&base, cur, cur_len, d))
		ret = POLICY_EDIT_INVALID;
	if (!ret && compile_merge(cur ? &base : NULL, add, drop, ndrop, replace, d,
				  &out, &out_len))
		ret = POLICY_EDIT_INVALID;
	if (!ret)
		ret = nl_policy_load_if(out, out_len, &generation, e);
	free(cur);
	free(out);
	return ret;
}

int policy_edit(const uint8_t *add, size_t add_len, const struct merge_drop *drop,
		size_t ndrop, int replace, struct diag *d, struct nl_error *e)
{
	static const uint8_t empty_header[sizeof(struct charter_blob_header)];
	struct blob_view none = { .blob = empty_header }, added;
	int ret = -ESTALE;

	if (add && blob_view_open(&added, add, add_len, d))
		return POLICY_EDIT_INVALID;
	for (int i = 0; i < EDIT_TRIES && ret == -ESTALE; i++)
		ret = edit_once(add ? &added : &none, drop, ndrop, replace, d, e);
	return ret;
}
