// SPDX-License-Identifier: MIT
/*
 * qaic-prof's command line, bpftool style: a table of { name, run } entries,
 * any unambiguous prefix of a name selects it, `help` and --help everywhere.
 */
#include <string.h>
#include <unistd.h>

#include "prof.h"

static const struct prof_cmd help_cmd = {
	.name = "help",
	.summary = "list the commands, or show one command's usage and examples",
	.synopsis = "[COMMAND]",
	.options = "",
	.examples = "  qaic-prof help            # the commands\n"
		    "  qaic-prof help lat        # one command's options and examples\n",
};

static int is_help_flag(const char *s)
{
	return !strcmp(s, "-h") || !strcmp(s, "--help");
}

/* cmds[0..] then help: the names prefixes are matched against. */
static const struct prof_cmd *nth(const struct prof_cmd *const *cmds, size_t i)
{
	size_t n = 0;

	while (cmds[n])
		n++;
	return i < n ? cmds[i] : i == n ? &help_cmd : NULL;
}

const struct prof_cmd *prof_find_cmd(const struct prof_cmd *const *cmds, const char *name,
				     int *ambiguous)
{
	const struct prof_cmd *c, *found = NULL;
	size_t i, len = strlen(name), matches = 0;

	*ambiguous = 0;
	if (!len)
		return NULL;
	for (i = 0; (c = nth(cmds, i)); i++) {
		if (!strcmp(c->name, name))
			return c;
		if (!strncmp(c->name, name, len)) {
			found = c;
			matches++;
		}
	}
	if (matches > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return found;
}

/* "record, report": the commands a prefix could mean. */
static void print_matches(FILE *out, const struct prof_cmd *const *cmds, const char *prefix)
{
	const struct prof_cmd *c;
	const char *sep = "";
	size_t i;

	for (i = 0; (c = nth(cmds, i)); i++) {
		if (!strncmp(c->name, prefix, strlen(prefix))) {
			fprintf(out, "%s%s", sep, c->name);
			sep = ", ";
		}
	}
}

/* The first line of a block of lines. */
static void print_first_line(FILE *out, const char *text)
{
	const char *nl = strchr(text, '\n');

	fprintf(out, "%.*s\n", nl ? (int)(nl - text) : (int)strlen(text), text);
}

void prof_print_commands(FILE *out, const struct prof_cmd *const *cmds)
{
	const struct prof_cmd *c;
	size_t i;

	fprintf(out, "usage: qaic-prof COMMAND [OPTIONS] [ARGS]\n"
		     "       qaic-prof help [COMMAND]\n"
		     "       qaic-prof COMMAND --help\n\n"
		     "Profile Cloud AI 100 (qaic) inference queues with BPF.\n\n"
		     "COMMANDS:\n");
	for (i = 0; (c = nth(cmds, i)); i++)
		fprintf(out, "  %-8s  %s\n", c->name, c->summary);
	fprintf(out, "\nA command may be shortened to any prefix that names only it.\n\n"
		     "EXAMPLES:\n");
	for (i = 0; (c = nth(cmds, i)); i++)
		print_first_line(out, c->examples);
}

void prof_print_usage(FILE *out, const struct prof_cmd *cmd)
{
	fprintf(out, "usage: qaic-prof %s%s%s\n\n%s\n\nOPTIONS:\n%s"
		     "  -h, --help        this help\n\nEXAMPLES:\n%s",
		cmd->name, *cmd->synopsis ? " " : "", cmd->synopsis, cmd->summary,
		cmd->options ? cmd->options : "", cmd->examples);
}

/* A command, or an error (printed) and NULL. */
static const struct prof_cmd *lookup(const struct prof_cmd *const *cmds, const char *name)
{
	const struct prof_cmd *c;
	int ambiguous;

	c = prof_find_cmd(cmds, name, &ambiguous);
	if (c)
		return c;
	if (ambiguous) {
		fprintf(stderr, "qaic-prof: '%s' is ambiguous: ", name);
		print_matches(stderr, cmds, name);
		fputs("\n", stderr);
	} else {
		fprintf(stderr, "qaic-prof: unknown command '%s' ('qaic-prof help' lists them)\n",
			name);
	}
	return NULL;
}

static int run_help(const struct prof_cmd *const *cmds, int argc, char **argv)
{
	const struct prof_cmd *c;

	if (argc < 2) {
		prof_print_commands(stdout, cmds);
		return PROF_EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "qaic-prof: help takes one command, not '%s'\n", argv[2]);
		return PROF_EXIT_USAGE;
	}
	c = lookup(cmds, argv[1]);
	if (!c)
		return PROF_EXIT_USAGE;
	prof_print_usage(stdout, c);
	return PROF_EXIT_OK;
}

int prof_dispatch(const struct prof_cmd *const *cmds, int argc, char **argv)
{
	const struct prof_cmd *c;
	int i;

	if (argc < 2) {
		prof_print_commands(stderr, cmds);
		return PROF_EXIT_USAGE;
	}
	if (is_help_flag(argv[1])) {
		prof_print_commands(stdout, cmds);
		return PROF_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "qaic-prof: options follow a command: qaic-prof COMMAND %s "
			"('qaic-prof help' lists the commands)\n", argv[1]);
		return PROF_EXIT_USAGE;
	}
	c = lookup(cmds, argv[1]);
	if (!c)
		return PROF_EXIT_USAGE;
	/* CMD --help: anywhere among its arguments, up to a "--" */
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (is_help_flag(argv[i])) {
			prof_print_usage(stdout, c);
			return PROF_EXIT_OK;
		}
	}
	if (c == &help_cmd)
		return run_help(cmds, argc - 1, argv + 1);
	argv[1] = (char *)c->name;	/* a prefix reads as the full name from here on */
	optind = 1;			/* getopt starts afresh on the command's own argv */
	return c->run(argc - 1, argv + 1);
}
