// SPDX-License-Identifier: MIT
/*
 * qaic-prof: one binary, one subcommand per cmd_<name>.c (see prof.h for
 * how to add one). main() only dispatches.
 */
#include "prof.h"

/* The subcommands, in the order `qaic-prof help` lists them (help comes last). */
static const struct prof_cmd *const commands[] = {
	&prof_cmd_top,
	&prof_cmd_lat,
	&prof_cmd_bw,
	&prof_cmd_record,
	&prof_cmd_stall,
	&prof_cmd_report,
	NULL,
};

int main(int argc, char **argv)
{
	return prof_dispatch(commands, argc, argv);
}
