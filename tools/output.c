// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --output FILE, written so that a reader (node_exporter's
 * textfile collector, NFD, a fact cache) never sees half a file, an empty
 * one or a failed run's: standard output goes to a temporary file in
 * FILE's directory, renamed over FILE only when the tool succeeded; on
 * failure it is removed and the previous FILE stays.  The temporary file
 * is a dot file (node_exporter reads only *.prom, NFD skips dot files)
 * made 0644, since mkstemp()'s 0600 is unreadable to an exporter running
 * as another user.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmxcap-show.h"

int vs_output_begin(struct vs_output *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 1, fd;
	struct stat st;

	o->path = path;
	if (!path[0] || (slash && !slash[1])) {
		vs_error("--output: want a file name, not '%s'", path);
		return -1;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		vs_error("--output: %s is not a regular file", path);
		return -1;
	}
	if (snprintf(o->tmp, sizeof(o->tmp), "%.*s/.%s.XXXXXX", dirlen, slash ? path : ".",
		     slash ? slash + 1 : path) >= (int)sizeof(o->tmp)) {
		vs_error("--output: %s: name too long", path);
		return -1;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		vs_error("--output: cannot create a file in the directory of %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0644) || fflush(stdout) || dup2(fd, STDOUT_FILENO) < 0) {
		vs_error("--output: %s: %s", o->tmp, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	close(fd);
	return 0;
}

int vs_output_end(struct vs_output *o, bool keep)
{
	/* The data on disk before the name points to it: a crash leaves the old file. */
	if (keep && (fflush(stdout) || fsync(STDOUT_FILENO))) {
		fprintf(stderr, "vmxcap-show: --output: writing %s: %s\n", o->tmp, strerror(errno));
		keep = false;
	}
	if (keep && rename(o->tmp, o->path)) {
		fprintf(stderr, "vmxcap-show: --output: renaming %s to %s: %s\n", o->tmp, o->path,
			strerror(errno));
		keep = false;
	}
	if (!keep) {
		unlink(o->tmp);
		return -1;
	}
	return 0;
}
