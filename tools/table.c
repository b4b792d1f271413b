// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the layout of the human outputs: libsmartcols tables with
 * headers that fit the terminal (values whole, long names and meanings
 * truncated), prose wrapped at word boundaries, and colour.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "table.h"

int vs_term_width(FILE *out)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;
	long n;

	if (isatty(fileno(out)) && !ioctl(fileno(out), TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	n = cols ? strtol(cols, NULL, 10) : 0;
	return n >= 20 && n <= 1000 ? (int)n : 80;
}

void vs_print_wrapped(FILE *out, int width, const char *first, const char *indent,
		      const char *text, const char *suffix)
{
	char *all, *p;
	const char *lead = first;
	int room;

	if (asprintf(&all, "%s%s", text, suffix) < 0) {
		fputs("vmxcap-show: out of memory\n", stderr);
		exit(2);
	}
	p = all;
	while (*p) {
		int len = (int)strlen(p), cut;

		room = width - (int)strlen(lead);
		if (room < 20)
			room = 20;
		cut = len;
		if (len > room) {
			/* The last space that fits; a longer word goes whole. */
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (!cut)
				cut = (int)strcspn(p, " ");
		}
		fprintf(out, "%s%.*s\n", lead, cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		lead = indent;
	}
	if (p == all)
		fprintf(out, "%s\n", first);
	free(all);
}

void vs_print_colored(FILE *out, bool color, const char *seq, const char *text)
{
	if (color)
		fprintf(out, "%s%s\033[0m", seq, text);
	else
		fputs(text, out);
}

struct libscols_table *vs_scols_new(bool color, int width, FILE *out)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb) {
		fputs("vmxcap-show: out of memory\n", stderr);
		exit(2);
	}
	scols_table_enable_colors(tb, color);
	scols_table_set_column_separator(tb, "  ");
	scols_table_set_stream(tb, out);
	/* The same width whether or not a terminal reads it: 80 in pipes. */
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
	scols_table_set_termwidth(tb, (size_t)width);
	return tb;
}

const char *vs_group_letter(size_t g)
{
	static char names[4][16];
	static unsigned int next;
	char *b = names[next++ % 4], tmp[16];
	size_t n = 0;

	/* A..Z, then AA..ZZ, ...: spreadsheet columns, never two alike. */
	do {
		tmp[n++] = (char)('A' + g % 26);
		g = g / 26;
	} while (g-- > 0 && n < sizeof(tmp) - 1);
	while (n)
		*b++ = tmp[--n];
	*b = '\0';
	return names[(next - 1) % 4];
}

void vs_table_init(struct vs_table *t, bool color, int width, FILE *out,
		   const struct vs_column *cols, size_t ncols)
{
	size_t i;

	t->tb = vs_scols_new(color, width, out);
	t->ncols = ncols;
	for (i = 0; i < ncols; i++)
		if (!scols_table_new_column(t->tb, cols[i].name, 0, cols[i].flags)) {
			fputs("vmxcap-show: out of memory\n", stderr);
			exit(2);
		}
}

void vs_table_add(struct vs_table *t, const char *const *cells, int colored,
		  const char *color)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
	size_t i;

	if (!ln) {
		fputs("vmxcap-show: out of memory\n", stderr);
		exit(2);
	}
	for (i = 0; i < t->ncols && cells[i]; i++)
		scols_line_set_data(ln, i, cells[i]);
	if (colored >= 0 && color)
		scols_cell_set_color(scols_line_get_cell(ln, (size_t)colored), color);
}

void vs_table_done(struct vs_table *t)
{
	scols_print_table(t->tb);
	scols_unref_table(t->tb);
	t->tb = NULL;
}

