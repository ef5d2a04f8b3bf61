// SPDX-License-Identifier: MIT
/*
 * qaic-util: qaic devices and their DMA bridge channels, from the driver's
 * sysfs attributes and a STATUS transaction. Subcommands dispatch from one
 * table; the device selection and error messages are shared.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qaic_util.h"

#define EXIT_USAGE	2

static const char usage_text[] =
"Usage: qaic-util [OPTIONS] [COMMAND]\n"
"\n"
"Show qaic (Cloud AI 100) devices and their DMA bridge channels (DBCs).\n"
"\n"
"Commands (any unambiguous prefix works):\n"
"  list         devices: node, kind, state, driver and NNC versions,\n"
"               host/device clock offset (the default)\n"
"  dbc          each DBC's state and owner (pid and command)\n"
"  help         this text\n"
"\n"
"Options:\n"
"  -d, --device=DEV    only device DEV: its index in `qaic-util list`, or its\n"
"                      node path (/dev/accel/accel0)\n"
"      --json          JSON output, one document on one line\n"
"      --sysroot=DIR   read /sys and /dev below DIR (a captured tree); opens\n"
"                      no device node\n"
"  -h, --help          this text\n"
"\n"
"A value the driver does not expose shows as \"-\" (null in JSON).\n"
"\n"
"EXAMPLES\n"
"  qaic-util                        list every qaic device\n"
"  qaic-util dbc -d 0               DBCs of device 0 and who owns them\n"
"  qaic-util --json dbc | jq .      every device's DBCs, as JSON\n"
"  qaic-util -d /dev/accel/accel0   one device, by node\n";

struct command {
	const char *name;
	int (*run)(const struct util_opts *o, const struct tool_device *devs, int n);
};

static const struct command commands[] = {
	{ "list", cmd_list },
	{ "dbc", cmd_dbc },
	{ "help", NULL },
};

#define NUM_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	const struct command *match = NULL;
	size_t i, len = strlen(name);

	for (i = 0; i < NUM_COMMANDS; i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
		if (len && !strncmp(commands[i].name, name, len)) {
			if (match)
				return NULL;	/* ambiguous */
			match = &commands[i];
		}
	}
	return match;
}

const char *util_attr(const struct qaic_device_info *info, const char *name, char *buf,
		      size_t size)
{
	return qaic_device_attr(info, name, buf, size) >= 0 ? buf : NULL;
}

int util_parse_i64(const char *s, int64_t *out)
{
	long long v;
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int util_parse_u32(const char *s, uint32_t *out)
{
	int64_t v;

	if (!s || *s == '-' || *s == '+' || util_parse_i64(s, &v) || v < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_SYSROOT };
	static const struct option long_opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct util_opts opts = { NULL, 0 };
	const struct command *cmd = &commands[0];
	struct tool_device *devs = NULL;
	const char *device = NULL;
	int c, n, ret;

	while ((c = getopt_long(argc, argv, "d:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case OPT_JSON:
			opts.json = 1;
			break;
		case OPT_SYSROOT:
			opts.sysroot = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_SUCCESS;
		default:
			fputs("Try 'qaic-util --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cmd = find_command(argv[optind]);
		if (!cmd) {
			fprintf(stderr, "qaic-util: unknown or ambiguous command '%s'; "
				"try 'qaic-util --help'\n", argv[optind]);
			return EXIT_USAGE;
		}
		if (optind + 1 < argc) {
			fprintf(stderr, "qaic-util: unexpected argument '%s'\n", argv[optind + 1]);
			return EXIT_USAGE;
		}
	}
	if (!cmd->run) {
		fputs(usage_text, stdout);
		return EXIT_SUCCESS;
	}

	n = tool_select_devices("qaic-util", opts.sysroot, device, &devs);
	if (n < 0) {
		/* Machines get a well-formed empty answer along with the error. */
		if (opts.json)
			puts("{\"devices\":[]}");
		return EXIT_FAILURE;
	}
	ret = cmd->run(&opts, devs, n);
	free(devs);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
