/* SPDX-License-Identifier: GPL-2.0 */
/* vmxcap-show: libsmartcols tables of the human outputs (table.c). */
#ifndef VMXCAP_TABLE_H
#define VMXCAP_TABLE_H

#include <libsmartcols.h>

#include "vmxcap-show.h"

/* Colours as escape sequences: libsmartcols takes those, not "bold red". */
#define VS_BOLD_RED	"\033[1;31m"
#define VS_BOLD_GREEN	"\033[1;32m"
#define VS_BOLD_YELLOW	"\033[1;33m"
#define VS_YELLOW	"\033[33m"
#define VS_GRAY		"\033[90m"
#define VS_BOLD		"\033[1m"

struct vs_table {
	struct libscols_table *tb;
	size_t ncols;
};

struct vs_column {
	const char *name;
	int flags;		/* SCOLS_FL_TRUNC for text that may be cut */
};

/* A table of these columns that fits width. */
void vs_table_init(struct vs_table *t, bool color, int width, FILE *out,
		   const struct vs_column *cols, size_t ncols);
/* A row (cells up to ncols, or to the first NULL); cell colored in color. */
void vs_table_add(struct vs_table *t, const char *const *cells, int colored,
		  const char *color);
/* Prints the table and frees it. */
void vs_table_done(struct vs_table *t);

/* Columns to lay text out in: the terminal's, else $COLUMNS, else 80. */
int vs_term_width(FILE *out);
/*
 * Prints first, text and suffix word-wrapped at width; later lines start
 * with indent.
 */
void vs_print_wrapped(FILE *out, int width, const char *first, const char *indent,
		      const char *text, const char *suffix);
/* text in colour seq (VS_BOLD_RED, ...) when color is set. */
void vs_print_colored(FILE *out, bool color, const char *seq, const char *text);
/* A table with headers that fits width, also when not a terminal. */
struct libscols_table *vs_scols_new(bool color, int width, FILE *out);
/* A, B, ..., Z, AA, AB, ...: the name of set g (a few calls stay valid). */
const char *vs_group_letter(size_t g);

#endif /* VMXCAP_TABLE_H */
