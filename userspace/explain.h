/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'charter explain': what a manifest lets its program do, in words a
 * reviewer can approve, an exposure score from 0 (nothing) to 10
 * (everything) and the grants a reviewer should question. The weights are
 * documented in Documentation/manifest.rst ("charter explain").
 */
#ifndef CHARTER_EXPLAIN_H
#define CHARTER_EXPLAIN_H

#include <stdio.h>

#include "manifest.h"

enum explain_kind { EXPLAIN_PATH, EXPLAIN_NET, EXPLAIN_DEVICES, EXPLAIN_BASELINE };

/* One grant: what it allows, in words, and what it costs. */
struct explain_grant {
	enum explain_kind kind;
	const char *entry;	/* the manifest entry's name, or NULL */
	const char *block;	/* the block the entry came from, or NULL */
	char *text;		/* "read everything under /srv/photos" */
	double cost;		/* its share of the exposure score */
};

struct explanation {
	struct explain_grant *grants;	/* in the manifest's order */
	size_t count;
	char **warnings;
	size_t warning_count;
	double score;		/* 0 to 10, one decimal */
};

/* Explain @m. 0, or -1 when out of memory (@e then holds nothing). */
int explain_manifest(const struct manifest *m, struct explanation *e);
void explanation_free(struct explanation *e);

/* Weights (exposed for the unit tests; see the documentation). */
double explain_path_cost(const char *pattern, uint32_t access);
double explain_net_cost(const struct manifest_net *n);
double explain_devices_cost(uint32_t devices);

/* The text report, or one JSON object (a line). */
void explain_print(FILE *f, const struct manifest *m,
		   const struct explanation *e, int json);

#endif
