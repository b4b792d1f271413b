// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: "did you mean ...?" - the known names nearest to a word
 * that matched none: by edit distance (a typo, a swapped pair of letters)
 * or as the one name the word begins.
 */
#include <ctype.h>
#include <string.h>

#include "vmxcap-show.h"

/* Letters compared without case, '-' and '_' alike: how names are matched. */
static char fold(char c)
{
	return c == '-' ? '_' : (char)tolower((unsigned char)c);
}

/*
 * Optimal string alignment distance (Damerau-Levenshtein without
 * repeated edits of one substring), capped: names are short.
 */
static unsigned int distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	unsigned int d[MAX + 1][MAX + 1], i, j;
	size_t la = strlen(a), lb = strlen(b);

	if (la > MAX || lb > MAX)
		return MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			unsigned int cost = fold(a[i - 1]) != fold(b[j - 1]), v;

			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

static bool begins(const char *name, const char *word)
{
	for (; *word; word++, name++)
		if (fold(*word) != fold(*name))
			return false;
	return true;
}

void vs_suggest(const char *word, const char *const *names, size_t n, char *out,
		size_t size)
{
	unsigned int best = ~0u, limit = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : 3;
	const char *picks[3] = { NULL, NULL, NULL }, *prefix = NULL;
	size_t i, k, npicks = 0, nprefix = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		unsigned int d = distance(word, names[i]);

		if (!d)
			continue;	/* the word itself: it failed for another reason */
		if (strlen(word) >= 3 && begins(names[i], word)) {
			nprefix++;
			prefix = names[i];
		}
		if (d > limit || d > best)
			continue;
		if (d < best) {
			best = d;
			npicks = 0;
		}
		for (k = 0; k < npicks && strcmp(picks[k], names[i]); k++)
			;
		if (k == npicks && npicks < 3)
			picks[npicks++] = names[i];
	}
	if (!npicks && nprefix == 1)
		picks[npicks++] = prefix;
	if (!npicks)
		return;
	snprintf(out, size, "; did you mean %s%s%s%s%s?", picks[0],
		 npicks > 1 ? npicks > 2 ? ", " : " or " : "", npicks > 1 ? picks[1] : "",
		 npicks > 2 ? " or " : "", npicks > 2 ? picks[2] : "");
}

bool vs_name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (fold(*a) != fold(*b))
			return false;
	return !*a && !*b;
}
