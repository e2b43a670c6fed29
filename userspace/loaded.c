// SPDX-License-Identifier: GPL-2.0
/*
 * A loaded manifest by name. The kernel keeps the blob it was given, so
 * what it enforces can be read back and explained in the same words, with
 * the same score, as the file it was compiled from.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "blobview.h"
#include "loaded.h"

int loaded_manifest(const char *name, struct manifest *m, struct diag *d,
		    struct nl_error *e)
{
	uint8_t *blob = NULL;
	struct blob_view v;
	uint64_t generation;
	char *label = NULL;
	size_t len = 0;
	long i = -1;
	int ret = nl_policy_get(&blob, &len, &generation, e);

	if (ret)
		return ret;
	e->msg[0] = '\0';
	if (blob && blob_view_open(&v, blob, len, d))
		ret = -EBADMSG;
	else if (blob)
		i = blob_find_manifest(&v, name);
	if (!ret && i < 0)
		ret = -ENOENT;
	if (!ret && asprintf(&label, "loaded:%s", name) < 0) {
		label = NULL;
		ret = -ENOMEM;
	}
	if (!ret && blob_view_manifest(&v, (uint32_t)i, label, m))
		ret = -ENOMEM;
	free(label);
	free(blob);
	return ret;
}
