// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: which rights the path rules of a manifest grant on a path.
 *
 * Paths are absolute and come from d_path(), so "..", symlinks and
 * relative names are already resolved. A rule's pattern (grammar in
 * uapi/charter.h) covers a path when it matches the path or one of its
 * ancestors, on component boundaries: "/srv/app" covers "/srv/app/x" but
 * not "/srv/apple". Matching allocates nothing and is linear in the path
 * for patterns without "**", O(path x pattern) components at worst.
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "match.h"
#include "netrule.h"
#include "policy.h"

static bool charter_is_glob_char(char c)
{
	return c == '*' || c == '?';
}

/*
 * Check a pattern's syntax and compute the length of its glob-free
 * leading components. Used on every pattern of a blob before it is used.
 */
int charter_pattern_check(const char *pattern, u16 *prefix_len)
{
	const char *c = pattern;
	bool glob_seen = false;
	size_t len = strnlen(pattern, CHARTER_PATTERN_MAX + 1);

	if (len > CHARTER_PATTERN_MAX || pattern[0] != '/')
		return -EINVAL;
	*prefix_len = len;
	if (len == 1)
		return 0;
	*prefix_len = 0;
	while (*c == '/' && c[1]) {
		const char *b = c + 1, *e = strchrnul(b, '/');
		size_t n = e - b;
		bool glob = false;
		const char *p;

		if (!n || (n == 1 && b[0] == '.') ||
		    (n == 2 && b[0] == '.' && b[1] == '.'))
			return -EINVAL;
		for (p = b; p < e; p++) {
			glob |= charter_is_glob_char(*p);
			/* "**" is a whole component or nothing. */
			if (p[0] == '*' && p + 1 < e && p[1] == '*' && n != 2)
				return -EINVAL;
		}
		glob_seen |= glob;
		if (!glob_seen)
			*prefix_len = e - pattern;
		c = e;
	}
	/* A trailing slash (but for "/") leaves c on a '/' followed by NUL. */
	return *c ? -EINVAL : 0;
}

/* Does the component [p, pe) match the name [s, se)? */
static bool charter_component_match(const char *p, const char *pe,
				    const char *s, const char *se)
{
	const char *star_p = NULL, *star_s = NULL;

	while (s < se) {
		if (p < pe && *p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (p < pe && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return false;
		}
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

/* The component after *pos as [*b, *e), advancing *pos; false at the end. */
static bool charter_next_component(const char **pos, const char **b,
				   const char **e)
{
	const char *p = *pos;

	while (*p == '/')
		p++;
	if (!*p) {
		*pos = p;
		return false;
	}
	*b = p;
	while (*p && *p != '/')
		p++;
	*e = p;
	*pos = p;
	return true;
}

/**
 * charter_glob_covers() - does a pattern's rest match a path's rest?
 * @pat: the pattern past its glob-free prefix (empty or starting with '/')
 * @path: the path past the same number of bytes (empty or starting with '/')
 *
 * A "**" component first matches nothing and, each time what follows it
 * fails, one component more (the classic single backtrack, exact because
 * every other component matches exactly one). Allocates nothing.
 *
 * Return: true if @pat matches @path or one of its ancestors.
 */
bool charter_glob_covers(const char *pat, const char *path)
{
	const char *star_pat = NULL, *star_path = NULL;
	const char *pb, *pe, *sb, *se, *pat_next, *path_next;

	for (;;) {
		pat_next = pat;
		if (!charter_next_component(&pat_next, &pb, &pe))
			return true;
		if (pe - pb == 2 && pb[0] == '*' && pb[1] == '*') {
			pat = pat_next;
			star_pat = pat;
			star_path = path;
			continue;
		}
		path_next = path;
		if (charter_next_component(&path_next, &sb, &se) &&
		    charter_component_match(pb, pe, sb, se)) {
			pat = pat_next;
			path = path_next;
			continue;
		}
		if (!star_pat || !charter_next_component(&star_path, &sb, &se))
			return false;
		pat = star_pat;
		path = star_path;
	}
}

bool charter_pattern_covers(const struct charter_path_rule *r,
			    const char *path)
{
	const char *rest = path + r->prefix_len;

	if (path[0] != '/')
		return false;
	if (r->len == 1)	/* "/" */
		return true;
	if (strncmp(r->pattern, path, r->prefix_len))
		return false;
	if (r->prefix_len && *rest && *rest != '/')
		return false;
	if (r->prefix_len == r->len)	/* no glob: a plain prefix */
		return true;
	return charter_glob_covers(r->pattern + r->prefix_len, rest);
}

/*
 * The union of the rights that every rule covering @path grants, by
 * trying each rule: the reference answer. Decisions look up through the
 * manifest's index instead (ruleindex.c), which KUnit and the fuzzer hold
 * to this answer.
 */
u32 charter_rules_access(const struct charter_path_rule *rules, u32 count,
			 const char *path)
{
	u32 access = 0;
	u32 i;

	for (i = 0; i < count; i++)
		if (charter_pattern_covers(&rules[i], path))
			access |= rules[i].access;
	return access;
}

/* Where a pattern stands after the components of a directory. */
enum charter_reach {
	CHARTER_REACH_NONE,	/* a component differs: nothing in the tree */
	CHARTER_REACH_COVERS,	/* it ended: it covers the directory */
	CHARTER_REACH_STAR,	/* at its first "**" (which may cover it too) */
	CHARTER_REACH_BELOW,	/* the directory ended first */
};

/*
 * Pair the components of @pattern with those of @dir up to the first
 * "**" of @pattern: each of those matches exactly one component, so there
 * is only one way to pair them. Leaves *@pattern where the pairing
 * stopped (before the "**", or after the directory's last component).
 * Every state but NONE reaches the tree: a "**" may take the rest of
 * @dir and any names below, and after @dir's last component every
 * component left, glob or not, matches some name.
 */
static enum charter_reach charter_glob_reach(const char **pattern,
					     const char *dir)
{
	const char *pb, *pe, *sb, *se, *next;

	for (;;) {
		next = *pattern;
		if (!charter_next_component(&next, &pb, &pe))
			return CHARTER_REACH_COVERS;
		if (pe - pb == 2 && pb[0] == '*' && pb[1] == '*')
			return CHARTER_REACH_STAR;
		if (!charter_next_component(&dir, &sb, &se))
			return CHARTER_REACH_BELOW;
		if (!charter_component_match(pb, pe, sb, se))
			return CHARTER_REACH_NONE;
		*pattern = next;
	}
}

/**
 * charter_pattern_reaches() - may a rule grant anything in a tree?
 * @r: the rule
 * @dir: absolute path of the tree's root (a directory)
 *
 * Linear in the pattern and @dir (each component pair as in
 * charter_pattern_covers()); allocates nothing.
 *
 * Return: true if @r covers @dir, or matches some path beneath @dir for
 * some names of the entries there; false if no path at or beneath @dir can
 * ever be covered by @r.
 */
bool charter_pattern_reaches(const struct charter_path_rule *r,
			     const char *dir)
{
	const char *pattern = r->pattern;

	return dir[0] == '/' &&
	       charter_glob_reach(&pattern, dir) != CHARTER_REACH_NONE;
}

/**
 * charter_pattern_alike_beneath() - does a rule match alike beneath two
 * directories?
 * @r: the rule
 * @from: absolute path of one directory
 * @to: absolute path of the other
 *
 * True only when, for every relative path y (not empty), @r matches
 * @to/y exactly when it matches @from/y. Shown in two cases, where the
 * pairing of charter_glob_reach() stops at the same place of @r for both:
 * both directories ended at the same component of @r (what follows is
 * matched against y alone); or both reached its first "**" and one
 * component follows it (a rule for every "*.sh" file at any depth under
 * /srv/app: whether it matches depends only on y's last component). Otherwise false, which is always safe to answer.
 * Allocates nothing; linear in the pattern and the paths.
 *
 * Return: whether @r is known to match alike beneath @from and @to.
 */
bool charter_pattern_alike_beneath(const struct charter_path_rule *r,
				   const char *from, const char *to)
{
	const char *at_from = r->pattern, *at_to = r->pattern, *tail;
	enum charter_reach state;

	if (from[0] != '/' || to[0] != '/')
		return false;
	state = charter_glob_reach(&at_to, to);
	if (charter_glob_reach(&at_from, from) != state || at_from != at_to)
		return false;
	if (state == CHARTER_REACH_BELOW)
		return true;
	if (state != CHARTER_REACH_STAR)
		return false;
	tail = at_to + 3;	/* past the slash and the two stars */
	return tail[0] == '/' && tail[1] && !strchr(tail + 1, '/');
}

/**
 * charter_rules_move_bound() - what a tree moved may get anew
 * @rules: the rules of one manifest
 * @count: how many
 * @from: absolute path of a directory (NULL: it has none)
 * @to: absolute path it is moved to
 *
 * A file moved with the tree, from @from/x to @to/x, gets at its new
 * place only rights of rules that cover @to, or match a path beneath @to
 * (charter_pattern_reaches()). A rule of the second kind that matches
 * alike beneath @from (charter_pattern_alike_beneath()) gave the file the
 * same where it was, so it is left out.
 *
 * Return: the union of the rights of the other rules: no file of the
 * tree, whatever its name, gets at @to/x a right outside it that it did
 * not have at @from/x.
 */
u32 charter_rules_move_bound(const struct charter_path_rule *rules, u32 count,
			     const char *from, const char *to)
{
	u32 access = 0;
	u32 i;

	for (i = 0; i < count; i++) {
		const struct charter_path_rule *r = &rules[i];

		if (!(r->access & ~access) || !charter_pattern_reaches(r, to))
			continue;
		if (charter_pattern_covers(r, to) ||
		    !from || !charter_pattern_alike_beneath(r, from, to))
			access |= r->access;
	}
	return access;
}

/* Does some rule of @rules allow @ep in @direction? (Reference, as above.) */
bool charter_net_allows(const struct charter_net_rule *rules, u32 count,
			u8 direction, const struct charter_endpoint *ep)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (charter_net_rule_allows(&rules[i], direction, ep))
			return true;
	return false;
}

/**
 * charter_net_allows_port() - may a service be offered on a local port?
 * @rules: the manifest's network rules
 * @count: how many
 * @protocol: CHARTER_PROTO_TCP or _UDP (0: no rule matches)
 * @port: the local port, host order
 *
 * An inbound rule reads as a firewall rule: its protocol and port are the
 * service's, its address the peers that may reach it. So binding and
 * listening need a rule for the protocol and port only, on any local
 * address; peers are judged as they arrive (netpeer.c).
 *
 * Return: true if some inbound rule grants @protocol on @port.
 */
bool charter_net_allows_port(const struct charter_net_rule *rules, u32 count,
			     u8 protocol, u16 port)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (charter_net_rule_offers(&rules[i], protocol, port))
			return true;
	return false;
}
