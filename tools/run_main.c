// SPDX-License-Identifier: MIT
/*
 * qaic-run: drive workloads on the simulated card and report what clients
 * saw. The recipe: parse -> (dry run: print the plan) -> pick the device ->
 * check it can host every process -> fork and run -> report -> exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaic_run.h"
#include "tool_device.h"

static const char usage_text[] =
"Usage: qaic-run [OPTIONS] -w SPEC [-w SPEC ...]\n"
"       qaic-run [OPTIONS] -c FILE\n"
"\n"
"Run inference-shaped workloads on the simulated qaic card (qaic_sim.ko),\n"
"several at once, and report client-side throughput and latency. Each\n"
"workload process opens the device, gets its own DBC, loads its own network\n"
"and checks the network's output against its input (the sim transforms\n"
"input deterministically). Real cards need compiled programs: qaic-run is\n"
"for the simulated card.\n"
"\n"
"A workload SPEC is key=value pairs separated by commas:\n"
"  name=NAME       label in the report (default w0, w1, ...)\n"
"  in=SIZE         input bytes per inference (default 64K)\n"
"  out=SIZE        output bytes per inference (default 4K)\n"
"  nsp=N           NSPs one inference occupies, 1..16 (default 1)\n"
"  dist=D          compute time: fixed, normal, lognormal, bimodal (default fixed)\n"
"  mean=DUR        fixed/normal/bimodal: mean; lognormal: median (default 1ms)\n"
"  sd=DUR          normal/bimodal: standard deviation (default 0)\n"
"  sigma=X         lognormal: standard deviation of ln(time) (default 0.25)\n"
"  mean2=DUR sd2=DUR p2=PCT   bimodal: second mode, and its probability in %\n"
"  rate=R          open loop: Poisson arrivals, R requests/s for the workload\n"
"  depth=N         open loop: most requests in flight per process (default 8)\n"
"  outstanding=N   closed loop: requests kept in flight per process (default 1)\n"
"  batch=B         inferences per request, submitted in one execute (default 1)\n"
"  procs=P         processes, each with its own fd, DBC and network (default 1)\n"
"  time=DUR        run this long (default: -t), or\n"
"  requests=N      run this many requests, all processes together (default: -n)\n"
"  check=N         check the outputs of one request in N; 0: none (default: 1)\n"
"  queue=N         DBC queue elements (default: enough for all in flight)\n"
"  seed=N          compute-time seed (default: from --seed)\n"
"SIZE: bytes, or with K, M, G (1024-based; KiB, MiB, GiB also). DUR: a number\n"
"and a unit, ns, us, ms or s (1.5ms). Without rate= a workload is closed loop.\n"
"\n"
"Options:\n"
"  -w, --workload=SPEC   add a workload (repeat for several)\n"
"  -c, --config=FILE     add the workloads of FILE: one SPEC per line, '#' comments\n"
"  -d, --device=DEV      device index in `qaic-util list`, or node (default 0)\n"
"  -t, --time=DUR        run time of workloads without time=/requests= (default 10s)\n"
"  -n, --requests=N      request count of workloads without time=/requests=\n"
"      --timeout=DUR     give up on a request after DUR (default 10s)\n"
"      --check-every=N   default check= (default 1: every request)\n"
"      --seed=N          base seed: workload i gets N + 1000 i (default 1)\n"
"      --json            results as one JSON document on stdout\n"
"      --dry-run         print what would run (with --json: as JSON); no device\n"
"      --perf-stats      after each request, read the driver's PERF_STATS_BO for\n"
"                        its BOs (one ioctl); report submit and device latency\n"
"                        percentiles per BO (a second table, or \"perf_stats\")\n"
"  -h, --help            this text\n"
"\n"
"Latency is per request, from submission (closed loop) or from arrival (open\n"
"loop: time waiting for a free slot counts) to its completion, measured by\n"
"the client. Throughput counts inferences (requests x batch). Ctrl-C stops\n"
"the workloads early; what completed is reported.\n"
"\n"
"Exit status: 0 all requests completed with correct outputs; 1 a device,\n"
"setup or run error; 2 bad usage; 3 some outputs did not match.\n"
"\n"
"EXAMPLES\n"
"  qaic-run -w in=64K,out=4K -t 5s\n"
"      one closed-loop client, one request at a time, for 5 seconds\n"
"  qaic-run -t 20s \\\n"
"      -w name=vision,in=600K,out=4K,nsp=2,dist=lognormal,mean=1ms,sigma=0.3,rate=200 \\\n"
"      -w name=bert,in=2M,out=2M,nsp=8,dist=normal,mean=5ms,sd=500us,outstanding=2 \\\n"
"      -w name=decode,in=4K,out=512,dist=bimodal,mean=2ms,sd=200us,mean2=20ms,p2=10,procs=2\n"
"      three contrasting workloads together\n"
"  qaic-run -c workloads.conf --json | jq '.workloads[] | {name, inferences_per_s}'\n"
"  qaic-run -w in=1M,out=1M,batch=4,outstanding=2,requests=1000 --check-every 10\n"
"  qaic-run --dry-run -c workloads.conf     check a config file, see the plan\n"
"  qaic-run -w requests=500 --perf-stats --json | jq '.workloads[].perf_stats'\n"
"      the driver's own view of the same requests, to compare with the client's\n";

/* Without SA_RESTART, so sleeps and waits notice the signal. */
static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_stop_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static unsigned int total_procs(const struct run_config *cfg)
{
	unsigned int i, n = 0;

	for (i = 0; i < cfg->n; i++)
		n += cfg->w[i].procs;
	return n;
}

/*
 * Refuse early, with a clear reason, what would fail in every child: a
 * device not ONLINE, or fewer free DBCs than processes. Drivers without
 * these attributes (upstream's) are not checked here.
 */
static int check_device(const struct qaic_device_info *info, unsigned int procs)
{
	char buf[64], name[32];
	unsigned int free_dbcs = 0, i;
	unsigned long num = 0;

	if (qaic_device_attr(info, "state", buf, sizeof(buf)) >= 0 && strcmp(buf, "ONLINE")) {
		fprintf(stderr, "qaic-run: %s is %s, not ONLINE (wait for it, or see dmesg)\n",
			info->node, buf);
		return -1;
	}
	if (qaic_device_attr(info, "num_dbc", buf, sizeof(buf)) < 0)
		return 0;
	num = strtoul(buf, NULL, 10);
	for (i = 0; i < num; i++) {
		snprintf(name, sizeof(name), "dbc%u_state", i);
		if (qaic_device_attr(info, name, buf, sizeof(buf)) < 0)
			return 0;
		free_dbcs += !strcmp(buf, "free");
	}
	if (procs > free_dbcs) {
		fprintf(stderr, "qaic-run: the workloads need %u DBCs (one per process); %s has "
			"%u free of %lu (see qaic-util dbc)\n", procs, info->node, free_dbcs, num);
		return -1;
	}
	return 0;
}

static int report_errors(const struct run_config *cfg, const struct run_wl_result *res)
{
	int status = RUN_EXIT_OK;
	unsigned int i;

	for (i = 0; i < cfg->n; i++) {
		if (res[i].status) {
			fprintf(stderr, "qaic-run: %s: %s\n", cfg->w[i].name, res[i].error);
			status = RUN_EXIT_FAIL;
		} else if (res[i].mismatches) {
			fprintf(stderr, "qaic-run: %s: %llu of %llu checked outputs did not match "
				"their inputs; first: %s\n", cfg->w[i].name,
				(unsigned long long)res[i].mismatches,
				(unsigned long long)res[i].checked, res[i].first_mismatch);
			if (status == RUN_EXIT_OK)
				status = RUN_EXIT_MISMATCH;
		}
	}
	return status;
}

int main(int argc, char **argv)
{
	struct run_config *cfg = calloc(1, sizeof(*cfg));
	struct run_wl_result *res = NULL;
	struct tool_device *dev = NULL;
	struct qaic_dev *probe;
	struct run_err err;
	int ret, status = RUN_EXIT_FAIL;

	if (!cfg) {
		fprintf(stderr, "qaic-run: out of memory\n");
		return RUN_EXIT_FAIL;
	}
	if (run_parse_args(argc, argv, cfg, &err)) {
		fprintf(stderr, "qaic-run: %s\nTry 'qaic-run --help'.\n", err.msg);
		free(cfg);
		return RUN_EXIT_USAGE;
	}
	if (cfg->help) {
		fputs(usage_text, stdout);
		free(cfg);
		return RUN_EXIT_OK;
	}
	if (cfg->dry_run) {
		if (cfg->json)
			ret = run_report_json(stdout, cfg, NULL);
		else
			run_report_plan(stdout, cfg), ret = 0;
		free(cfg);
		return ret ? RUN_EXIT_FAIL : RUN_EXIT_OK;
	}

	if (tool_select_devices("qaic-run", NULL, cfg->device ? cfg->device : "0", &dev) < 0)
		goto out;
	cfg->node = dev->info.node;
	ret = qaic_open(cfg->node, &probe);
	if (ret) {
		fprintf(stderr, "qaic-run: cannot open %s: %s\n", cfg->node, strerror(-ret));
		goto out;
	}
	qaic_close(probe);
	if (check_device(&dev->info, total_procs(cfg)))
		goto out;

	res = calloc(cfg->n, sizeof(*res));
	if (!res) {
		fprintf(stderr, "qaic-run: out of memory\n");
		goto out;
	}
	install_signals();
	if (!cfg->json)
		fprintf(stderr, "qaic-run: %u workload%s, %u process%s on %s; Ctrl-C stops early\n",
			cfg->n, cfg->n == 1 ? "" : "s", total_procs(cfg),
			total_procs(cfg) == 1 ? "" : "es", cfg->node);
	ret = run_processes(cfg, cfg->node, res);
	if (ret == -ECANCELED && run_stop_requested) {
		fprintf(stderr, "qaic-run: stopped before the workloads started\n");
		goto out;
	}
	if (ret && ret != -ECANCELED && ret != -EIO)
		fprintf(stderr, "qaic-run: cannot start the workload processes: %s\n",
			strerror(-ret));
	if (cfg->json) {
		if (run_report_json(stdout, cfg, res))
			fprintf(stderr, "qaic-run: cannot write the report\n");
	} else {
		run_report_table(stdout, cfg, res);
	}
	status = report_errors(cfg, res);
	if (ret && status == RUN_EXIT_OK)
		status = RUN_EXIT_FAIL;
out:
	free(res);
	free(dev);
	free(cfg);
	return status;
}
