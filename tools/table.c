// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the tables of the human outputs, all libsmartcols: a title
 * printed by us (libsmartcols would cut it to the table's width), then
 * rows of cells.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

int vs_table_new(struct vs_table *t, bool color, FILE *out, const char *title,
		 const char *const *cols, size_t ncols)
{
	size_t i;

	t->out = out;
	t->tb = scols_new_table();
	if (!t->tb) {
		vs_error("out of memory");
		return -1;
	}
	scols_table_enable_noheadings(t->tb, 1);
	scols_table_enable_colors(t->tb, color);
	scols_table_set_column_separator(t->tb, "  ");
	scols_table_enable_minout(t->tb, 1);
	scols_table_set_stream(t->tb, out);
	snprintf(t->title, sizeof(t->title), "%s", title);
	for (i = 0; i < ncols; i++)
		if (!scols_table_new_column(t->tb, cols[i], 0, 0)) {
			vs_error("out of memory");
			return -1;
		}
	return 0;
}

void vs_table_row(struct vs_table *t, const char *color, const char *c0,
		  const char *c1, const char *c2, const char *c3)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
	const char *cells[4] = { c0, c1, c2, c3 };
	size_t i, n = scols_table_get_ncols(t->tb);

	if (!ln)
		return;
	for (i = 0; i < n && i < 4; i++) {
		char data[512];

		snprintf(data, sizeof(data), "%s%s", i == 0 ? "  " : "", cells[i] ? cells[i] : "");
		scols_line_set_data(ln, i, data);
	}
	if (color)
		scols_cell_set_color(scols_line_get_cell(ln, 1), color);
}

void vs_table_print(struct vs_table *t)
{
	fprintf(t->out, "%s\n", t->title);
	fflush(t->out);
	if (scols_table_get_nlines(t->tb))
		scols_print_table(t->tb);
	else
		fprintf(t->out, "  (nothing)\n");
	fputc('\n', t->out);
	scols_unref_table(t->tb);
}

const char *vs_state_color(enum vmxcap_state s)
{
	switch (s) {
	case VMXCAP_STATE_YES:
		return "green";
	case VMXCAP_STATE_NO:
		return "red";
	case VMXCAP_STATE_FORCED:
	case VMXCAP_STATE_DEFAULT:
		return "yellow";
	case VMXCAP_STATE_INCONSISTENT:
		return "bold";
	default:
		return "gray";
	}
}
