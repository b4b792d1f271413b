// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: prints the VMX capabilities that vmxcap.ko publishes in
 * /sys/kernel/vmxcap (or a copy of that tree, or a JSON dump), decoded by
 * the shared decoder in include/vmxcap.  Exit status: 0 success, 1 a
 * negative answer (a --require not met, CPUs differ for --diff, no VMX or
 * no module here), 2 an error (bad usage, bad input, a failed --load).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vmxcap-show.h"

#ifndef VS_VERSION
#define VS_VERSION "0.1"
#endif

#define DEFAULT_SYSFS "/sys/kernel/vmxcap"

static void usage(FILE *out)
{
	fputs("Usage:\n"
	      " vmxcap-show [options]\n"
	      " vmxcap-show [options] adjust FIELD VALUE\n"
	      "\n"
	      "Show the Intel VMX (VT-x) capabilities of every CPU, as vmxcap.ko publishes\n"
	      "them in " DEFAULT_SYSFS ", decoded.\n"
	      "\n"
	      "Input:\n"
	      "     --sysfs-root DIR    read a copy of the tree: DIR/sys/kernel/vmxcap, or DIR itself\n"
	      " -i, --input FILE      decode a JSON dump ('-' for standard input): a --dump,\n"
	      "                       a fixture entry or a list of entries (one CPU each)\n"
	      " -e, --entry ID        with --input, take the list entry with this id (repeatable)\n"
	      " -L, --load            load vmxcap.ko (libkmod) when it is not loaded\n"
	      "\n"
	      "CPUs:\n"
	      " -c, --cpu LIST        CPUs to show, e.g. 0-3,8 (default: cpu0; all for -J, -f, -D, -d, -r)\n"
	      " -a, --all             every CPU\n"
	      "\n"
	      "Output:\n"
	      " -s, --style STYLE     'human' (default) or 'vmxcap': exactly QEMU's vmxcap output\n"
	      " -J, --json            the full decode as JSON (schema: tools/README.md)\n"
	      " -f, --flags           the 'vmx flags' line Linux derives, per CPU\n"
	      " -k, --kernel X.Y      name the flags as Linux X.Y does (e.g. 6.1; default: the\n"
	      "                       running kernel for this machine's tree, else the newest)\n"
	      " -d, --diff            group CPUs by identical capabilities and show what differs\n"
	      " -r, --require LIST    exit 0 when every CPU offers all of LIST (control ids,\n"
	      "                       'vmx flags' names or GROUP.ID), 1 when not, 2 on error\n"
	      " -D, --dump            raw values and identity of every CPU as JSON (--input reads it)\n"
	      "     --color[=WHEN]    colour: auto (default, terminals only; NO_COLOR disables), always, never\n"
	      "\n"
	      "adjust FIELD VALUE:\n"
	      "   FIELD is pinbased, procbased, procbased2, procbased3, exit, exit2, entry, vmfunc:\n"
	      "   VALUE is a number or a list of control ids (ept,vpid,unrestricted_guest); prints the\n"
	      "   value to program and which controls were dropped or forced on.\n"
	      "   FIELD cr0 or cr4: VALUE is the wanted register; prints the value VMX allows and why.\n"
	      " -u, --unrestricted-guest  with cr0: PE and PG may be 0 (the \"unrestricted guest\" control)\n"
	      "\n"
	      " -h, --help            this help\n"
	      " -V, --version         the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a negative answer (requirement not met, CPUs differ,\n"
	      "no VMX or no module here), 2 an error (also --require with no tree on a VMX CPU).\n", out);
}

static int fail(void)
{
	fprintf(stderr, "vmxcap-show: %s\n", vs_last_error());
	return 2;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

enum mode { M_HUMAN, M_VMXCAP, M_JSON, M_FLAGS, M_DIFF, M_REQUIRE, M_DUMP, M_ADJUST };

enum { OPT_SYSFS = 256, OPT_COLOR };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sysfs-root", required_argument, NULL, OPT_SYSFS },
		{ "input", required_argument, NULL, 'i' },
		{ "entry", required_argument, NULL, 'e' },
		{ "load", no_argument, NULL, 'L' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ "style", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "flags", no_argument, NULL, 'f' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "diff", no_argument, NULL, 'd' },
		{ "require", required_argument, NULL, 'r' },
		{ "dump", no_argument, NULL, 'D' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "unrestricted-guest", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sysfs_root = NULL, *input = NULL, *cpulist = NULL, *require = NULL;
	const char *entries[65] = { NULL };
	const char *adj_what = NULL, *adj_value = NULL;
	size_t nentries = 0, i, nmodes = 0;
	bool all = false, json = false, flags = false, diff = false, dump = false;
	bool vmxcap_style = false, load = false, ug = false;
	int color = -1, opt, ret;
	struct vs_opts o = { false, 0 };
	struct vs_machine m;
	enum mode mode = M_HUMAN;
	char dir[4096];
	bool *sel, *want = NULL;
	const char *nc = getenv("NO_COLOR");

	opterr = 0;	/* one error line of our own */
	while ((opt = getopt_long(argc, argv, "+i:e:Lc:as:Jfk:dr:DuhV", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SYSFS:
			sysfs_root = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 'e':
			if (nentries == 64) {
				fprintf(stderr, "vmxcap-show: at most 64 --entry options\n");
				return 2;
			}
			entries[nentries++] = optarg;
			break;
		case 'L':
			load = true;
			break;
		case 'c':
			cpulist = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 's':
			if (!strcmp(optarg, "vmxcap")) {
				vmxcap_style = true;
			} else if (strcmp(optarg, "human")) {
				fprintf(stderr, "vmxcap-show: --style: unknown style '%s' (human, vmxcap)\n",
					optarg);
				return 2;
			}
			break;
		case 'J':
			json = true;
			break;
		case 'f':
			flags = true;
			break;
		case 'k': {
			unsigned int a, b;
			char extra;

			if (sscanf(optarg, "%u.%u%c", &a, &b, &extra) != 2 || a > 255 || b > 255) {
				fprintf(stderr, "vmxcap-show: --kernel: want a release like 6.1, not '%s'\n",
					optarg);
				return 2;
			}
			o.kver = VMXCAP_KVER(a, b);
			break;
		}
		case 'd':
			diff = true;
			break;
		case 'r':
			require = optarg;
			break;
		case 'D':
			dump = true;
			break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "auto")) {
				color = -1;
			} else if (!strcmp(optarg, "always")) {
				color = 1;
			} else if (!strcmp(optarg, "never")) {
				color = 0;
			} else {
				fprintf(stderr, "vmxcap-show: --color: want auto, always or never\n");
				return 2;
			}
			break;
		case 'u':
			ug = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vmxcap-show %s (decoder vocabulary %s)\n", VS_VERSION,
			       VMXCAP_DECODER_VERSION);
			return 0;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "vmxcap-show: option -%c: %s (try --help)\n", optopt,
					strchr("iecskr", optopt) ? "needs an argument" : "unknown option");
			else
				fprintf(stderr, "vmxcap-show: bad option '%s' (try --help)\n",
					argv[optind - 1]);
			return 2;
		}
	}
	/* Options may also follow the subcommand: "adjust cr0 0x30 -u". */
	if (optind < argc && !strcmp(argv[optind], "adjust")) {
		int rest = argc - optind - 1;
		char **args = argv + optind + 1;

		for (i = 0; i < (size_t)rest; i++)
			if (!strcmp(args[i], "-u") || !strcmp(args[i], "--unrestricted-guest")) {
				ug = true;
				memmove(&args[i], &args[i + 1], (size_t)(rest - (int)i - 1) * sizeof(*args));
				rest--;
				i--;
			}
		if (rest != 2) {
			fprintf(stderr, "vmxcap-show: usage: vmxcap-show [options] adjust FIELD VALUE\n");
			return 2;
		}
		adj_what = args[0];
		adj_value = args[1];
		mode = M_ADJUST;
		nmodes++;
	} else if (optind < argc) {
		fprintf(stderr, "vmxcap-show: unexpected argument '%s' (try --help)\n", argv[optind]);
		return 2;
	}
	{
		/* The output options, each its own mode; at most one may be given. */
		const struct { bool on; enum mode mode; } modes[] = {
			{ vmxcap_style, M_VMXCAP }, { json && !diff, M_JSON },
			{ flags, M_FLAGS }, { diff, M_DIFF }, { require != NULL, M_REQUIRE },
			{ dump, M_DUMP },
		};

		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (modes[i].on) {
				mode = modes[i].mode;
				nmodes++;
			}
	}
	if (nmodes > 1) {
		fprintf(stderr, "vmxcap-show: choose one of --style=vmxcap, --json, --flags, --diff, --require, --dump, adjust\n");
		return 2;
	}
	/*
	 * This machine's own tree: name the flags as the running kernel does
	 * in /proc/cpuinfo (and the module in vmx_flags); other machines'
	 * data gets the newest naming unless --kernel says otherwise.
	 */
	if (!o.kver && !input && !sysfs_root) {
		struct utsname u;
		unsigned int a, b;

		if (!uname(&u) && sscanf(u.release, "%u.%u", &a, &b) == 2 && a < 256 && b < 256)
			o.kver = VMXCAP_KVER(a, b);
	}
	if (input && sysfs_root) {
		fprintf(stderr, "vmxcap-show: --input and --sysfs-root exclude each other\n");
		return 2;
	}
	if (nentries && !input) {
		fprintf(stderr, "vmxcap-show: --entry selects entries of an --input list\n");
		return 2;
	}
	if (ug && mode != M_ADJUST) {
		fprintf(stderr, "vmxcap-show: --unrestricted-guest belongs to adjust cr0\n");
		return 2;
	}
	if (color < 0)
		color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
	o.color = color;

	/* ---- the source ---- */
	if (input) {
		if (vs_read_dump_file(input, nentries ? entries : NULL, &m))
			return fail();
	} else {
		if (sysfs_root) {
			snprintf(dir, sizeof(dir), "%s/sys/kernel/vmxcap", sysfs_root);
			if (!is_dir(dir))
				snprintf(dir, sizeof(dir), "%s", sysfs_root);
		} else {
			snprintf(dir, sizeof(dir), "%s", DEFAULT_SYSFS);
			if (!is_dir(dir) && load && vs_load_module())
				return fail();
			if (!is_dir(dir)) {
				/* No tree: say why (and for --require, a verdict). */
				ret = vs_explain(dir, mode == M_REQUIRE, stdout);
				return ret == 2 ? fail() : ret;
			}
		}
		if (vs_read_sysfs(dir, &m))
			return fail();
	}

	/* ---- CPU selection ---- */
	sel = calloc(m.n, sizeof(*sel));
	if (!sel) {
		vs_machine_free(&m);
		fprintf(stderr, "vmxcap-show: out of memory\n");
		return 2;
	}
	if (cpulist) {
		want = calloc(VS_MAX_CPU + 1, sizeof(*want));
		if (!want || vs_parse_cpulist(cpulist, want, NULL, "--cpu")) {
			if (!want)
				vs_error("out of memory");
			ret = fail();
			goto out;
		}
		for (i = 0; i < m.n; i++) {
			sel[i] = want[m.cpus[i].id];
			want[m.cpus[i].id] = false;
		}
		for (i = 0; i <= VS_MAX_CPU; i++)
			if (want[i]) {
				vs_error("--cpu: cpu %zu is not in the %s (%s)", i, m.source_kind,
					 m.source);
				ret = fail();
				goto out;
			}
	} else if (all || mode == M_JSON || mode == M_FLAGS || mode == M_DIFF ||
		   mode == M_REQUIRE || mode == M_DUMP) {
		for (i = 0; i < m.n; i++)
			sel[i] = true;
	} else {
		sel[0] = true;	/* cpu0, or the lowest CPU there is */
	}

	switch (mode) {
	case M_VMXCAP:
	case M_ADJUST: {
		size_t n = 0, first = 0;

		for (i = 0; i < m.n; i++)
			if (sel[i] && !n++)
				first = i;
		if (n != 1) {
			vs_error("%s works on one CPU; choose it with --cpu N",
				 mode == M_ADJUST ? "adjust" : "--style=vmxcap");
			ret = fail();
			goto out;
		}
		if (mode == M_VMXCAP)
			ret = vs_show_vmxcap(&m.cpus[first], stdout);
		else
			ret = vs_adjust(&m.cpus[first], adj_what, adj_value, ug, stdout);
		break;
	}
	case M_JSON:
		ret = vs_show_json(&m, sel, &o, stdout);
		break;
	case M_FLAGS:
		ret = vs_show_flags(&m, sel, &o, stdout);
		break;
	case M_DIFF:
		ret = vs_show_diff(&m, sel, &o, json, stdout);
		break;
	case M_REQUIRE:
		ret = vs_require(&m, sel, require, stdout);
		break;
	case M_DUMP:
		ret = vs_show_dump(&m, sel, stdout);
		break;
	default:
		ret = vs_show_human(&m, sel, &o, stdout);
		break;
	}
	if (ret == 2)
		fail();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "vmxcap-show: writing the output: %s\n", strerror(errno));
		ret = 2;
	}
out:
	free(want);
	free(sel);
	vs_machine_free(&m);
	return ret;
}
