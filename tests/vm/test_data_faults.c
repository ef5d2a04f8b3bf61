// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two data-path faults of the simulated card (sim/sim_dbc_fault.c,
 * docs/sim-model.md) and what the driver does under them, checked against
 * the sim's ground truth (debugfs qaic_sim/card0/truth) rather than against
 * wall-clock figures alone. One mode per run; each prints TAP and exits 0
 * when all passed (the calling suite is tests/vm/data_faults.sh):
 *
 *   test_data_faults nsp_slow   fault/nsp_slow "NSP PCT". Network A (2 NSPs)
 *                               and network B (1 NSP), fixed compute, run
 *                               one after the other, so A holds NSPs 0-1 and
 *                               B NSP 0. With NSP 1 at 400%, every truth I
 *                               record whose nsp_mask has NSP 1 shows
 *                               slow_pct 400 and compute_ns = drawn_ns * 4,
 *                               every other one 100 and compute_ns =
 *                               drawn_ns; A's PERF_STATS_BO device latency
 *                               median grows more than 2x, B's does not;
 *                               "1 100" restores it; then A and B run at
 *                               once with NSP 2 slowed (masks vary) and the
 *                               same rule holds. Bad arguments are refused.
 *   test_data_faults drop_msi   fault/dbc_drop_msi "DBC 1", interrupts (the
 *                               driver loaded with datapath_polling=0): an
 *                               inference's first response (of three: the
 *                               input slice, the output's two) raises no
 *                               MSI and the others are coalesced (the FIFO
 *                               is not empty), so the driver never learns
 *                               of any: WAIT_BO times out, its debugfs
 *                               dbc<N> keeps both BOs queued with a growing
 *                               oldest_age_ns while the truth has every
 *                               response written and the FIFO holds them;
 *                               DEACTIVATE then fails the waiter (-EPERM)
 *                               and frees every BO and mapping, and a new
 *                               round trip on the card is correct.
 *   test_data_faults polling    the same fault with datapath_polling=1:
 *                               the dropped MSI does not matter.
 *   test_data_faults stall      not a test: leave a DBC stalled on demand,
 *                               for the profiler's stall detector. Activates
 *                               a DBC, runs one inference, arms
 *                               dbc_drop_msi and runs another, waits until
 *                               the card has answered all of it (FIFO
 *                               non-empty, driver unaware), prints one line
 *                                 stalled dbc=N pid=P in=H out=H
 *                               to stdout and sleeps until killed. The
 *                               driver's dbc<N> then shows 2 queued BOs
 *                               whose oldest_age_ns grows; killing the
 *                               process (its fd closes) frees the DBC.
 *                               Exits 1 with a message if it cannot.
 */
#include <pthread.h>

#include "qaic_test.h"
#include "qaic.h"

#define COMPUTE_NS	5000000ULL	/* fixed compute of every network */
#define ROUNDS		15		/* inferences of each network per phase */
#define CONC_ROUNDS	8		/* rounds with both networks at once */
#define SLOW_NSP	1		/* in network A's NSPs (0-1), not B's (0) */
#define CONC_NSP	2		/* held only when the other network runs */
#define SLOW_PCT	400
#define WAIT_MS		10000		/* an inference that is answered */
#define STALL_WAIT_MS	300		/* WAIT_BO on one that never is, to -ETIMEDOUT */
#define PROMPT_MS	5000		/* a waiter must return this soon after DEACTIVATE */
#define MAX_RECS	1024

static struct test_card card;
static char drv_dir[300];	/* the driver's debugfs directory of the card */

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static unsigned int median(unsigned int *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_uint);
	return v[n / 2];
}

/* ---- debugfs: sim faults, sim DBC state, driver state ------------------ */

/* Write text to fault/<name> in one write(2): 0 or the write's -errno. */
static int fault_write(const char *name, const char *text)
{
	char path[512];
	ssize_t n;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/fault/%s", card.simfs, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	ret = n < 0 ? -errno : (size_t)n == strlen(text) ? 0 : -EIO;
	close(fd);
	return ret;
}

static void fault_read(const char *name, char *buf, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/fault/%s", card.simfs, name);
	if (read_text(path, buf, len))
		snprintf(buf, len, "(unreadable)");
}

/* The value of " key " among the sim's debugfs "dbc" lines of DBC dbc, or -1. */
static long long sim_dbc_value(uint32_t dbc, const char *key)
{
	char path[300], line[1024], pat[48], *p;
	long long v = -1;
	unsigned int id;
	int in = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dbc", card.simfs);
	snprintf(pat, sizeof(pat), " %s ", key);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "dbc %u ", &id) == 1)
			in = id == dbc;
		if (in && (p = strstr(line, pat)))
			v = atoll(p + strlen(pat));
	}
	fclose(f);
	return v;
}

/* Responses written and not yet taken by the host, as the sim sees them. */
static long long sim_rsp_pending(uint32_t dbc)
{
	long long h = sim_dbc_value(dbc, "rsphp"), t = sim_dbc_value(dbc, "rsptp");
	long long n = sim_dbc_value(dbc, "nelem");

	if (h < 0 || t < 0 || n <= 0)
		return -1;
	return (t - h + n) % n;
}

static int find_driver_dir(void)
{
	DIR *d = opendir("/sys/kernel/debug/qaic");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(drv_dir, sizeof(drv_dir), "/sys/kernel/debug/qaic/%s", de->d_name);
		closedir(d);
		return 0;
	}
	if (d)
		closedir(d);
	return -ENOENT;
}

/* "key value" line of the driver's debugfs file (state, dbc<N>), or -1. */
static long long drv_value(const char *file, const char *key)
{
	char path[400], line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", drv_dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			v = strtoll(line + klen + 1, NULL, 10);
	fclose(f);
	return v;
}

static long long drv_dbc_value(uint32_t dbc, const char *key)
{
	char file[16];

	snprintf(file, sizeof(file), "dbc%u", dbc);
	return drv_value(file, key);
}

static int drv_dbc_free(uint32_t dbc)
{
	char path[400], buf[512];

	snprintf(path, sizeof(path), "%s/dbc%u", drv_dir, dbc);
	return !read_text(path, buf, sizeof(buf)) && strstr(buf, "\nstate free\n");
}

/* The driver counts no BO and no DMA-mapped BO (waits up to 2 s for frees). */
static int drv_no_bos(long long *bos, long long *maps)
{
	int i;

	for (i = 0; i < 40; i++) {
		*bos = drv_value("state", "bos");
		*maps = drv_value("state", "bo_mappings");
		if (!*bos && !*maps)
			return 1;
		usleep(50000);
	}
	return 0;
}

/* ---- ground truth ------------------------------------------------------ */

struct rrec {
	unsigned int dbc, req_id, dir, status, msi;
	unsigned long long t_queued, t_rsp;
};

struct irec {
	unsigned long long inf, drawn, compute, t_nsp_start, t_nsp_end;
	unsigned int dbc, net_id, nsp_count, mask, slow_pct;
};

struct truth {
	struct rrec r[MAX_RECS];
	struct irec i[MAX_RECS];
	int nr, ni;
};

static int truth_clear(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/truth", card.simfs);
	return write_text(path, "clear\n");
}

/* The records of DBCs dbc0 and dbc1 (the same twice for one), oldest first. */
static int truth_read(struct truth *t, uint32_t dbc0, uint32_t dbc1)
{
	char path[300], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/truth", card.simfs);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	t->nr = t->ni = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long seq, x[6];
		unsigned int owner, elems;
		struct rrec r;
		struct irec i;

		if (sscanf(line, "R %llu %u %u %u %u %llu %u %llu %llu %llu %llu %llu %llu %u %u",
			   &seq, &r.dbc, &r.req_id, &owner, &r.dir, &x[0], &elems, &r.t_queued,
			   &x[1], &x[2], &x[3], &x[4], &r.t_rsp, &r.status, &r.msi) == 15) {
			if ((r.dbc == dbc0 || r.dbc == dbc1) && t->nr < MAX_RECS)
				t->r[t->nr++] = r;
		} else if (sscanf(line, "I %llu %llu %u %u %u %u %x %u %llu %llu %llu %llu %llu",
				  &seq, &i.inf, &i.dbc, &owner, &i.net_id, &i.nsp_count, &i.mask,
				  &i.slow_pct, &i.drawn, &i.compute, &x[0], &i.t_nsp_start,
				  &i.t_nsp_end) == 13) {
			if ((i.dbc == dbc0 || i.dbc == dbc1) && t->ni < MAX_RECS)
				t->i[t->ni++] = i;
		}
	}
	fclose(f);
	return 0;
}

/* ---- a sim network on its own DBC, one buffer pair --------------------- */

struct netrun {
	struct qaic_dev *dev;
	struct qaic_simnet net;
	struct qaic_simnet_io *io;
	uint32_t dbc, in_h, out_h;
	int nreq;	/* requests (slices) of one inference: R records, responses */
	int active;
	unsigned int lat_us[ROUNDS];	/* PERF_STATS_BO device latency, output BO */
	int nlat;
};

static int net_up(struct qaic_dev *dev, struct netrun *r, uint32_t id, uint32_t nsp_count,
		  uint64_t mean_ns)
{
	struct qaic_simnet_plan plan;
	int ret;

	memset(r, 0, sizeof(*r));
	r->dev = dev;
	r->net = (struct qaic_simnet){
		.net_id = id, .nsp_count = nsp_count, .input_bytes = 16 << 10,
		.output_bytes = 8 << 10, .dist = QAIC_SIMNET_FIXED, .mean_ns = mean_ns,
		.seed = id, .sem_index = id, .doorbell = 0x600 + id,
	};
	ret = qaic_simnet_plan(&r->net, (uint64_t)sysconf(_SC_PAGESIZE), &plan);
	r->nreq = plan.in_count + plan.out_count;
	if (!ret)
		ret = qaic_activate(dev, plan.max_elements * 2 + 1, &r->dbc);
	if (ret)
		return ret;
	r->active = 1;
	ret = qaic_simnet_place(&r->net, r->dbc);
	if (!ret)
		ret = qaic_simnet_load(dev, &r->net);
	if (!ret)
		ret = qaic_simnet_io_create(dev, &r->net, r->dbc, 1, &r->io);
	if (!ret)
		ret = qaic_simnet_io_handles(r->io, 0, &r->in_h, &r->out_h);
	return ret;
}

static void net_down(struct netrun *r)
{
	if (r->active)
		qaic_deactivate(r->dev, r->dbc);
	r->active = 0;
	qaic_simnet_io_destroy(r->io);
	r->io = NULL;
}

static int net_submit(struct netrun *r, uint64_t seed)
{
	uint32_t slot = 0;

	qaic_simnet_io_fill(r->io, 0, seed);
	return qaic_simnet_io_submit(r->io, &slot, 1);
}

/* Wait for the submitted inference, check its data, keep its device latency. */
static int net_finish(struct netrun *r)
{
	struct qaic_perf_stats_entry e = { .handle = r->out_h };
	int ret;

	ret = qaic_simnet_io_wait(r->io, 0, WAIT_MS);
	if (!ret && qaic_simnet_io_verify(r->io, 0, NULL))
		ret = -EBADMSG;
	if (!ret)
		ret = qaic_perf_stats(r->dev, r->dbc, &e, 1);
	if (!ret && r->nlat < ROUNDS)
		r->lat_us[r->nlat++] = e.device_latency_us;
	return ret;
}

static int net_once(struct netrun *r, uint64_t seed)
{
	int ret = net_submit(r, seed);

	return ret ? ret : net_finish(r);
}

static int open_card(struct qaic_dev **dev)
{
	int ret = find_card(&card);

	if (!ret)
		ret = find_driver_dir();
	if (!ret)
		ret = qaic_open(card.node, dev);
	return ret;
}

/* ---- nsp_slow ---------------------------------------------------------- */

/*
 * Every I record obeys the fault: slow_pct is pct when nsp_mask has NSP
 * nsp (nsp < 0: none slowed), else 100, and compute_ns is
 * drawn_ns * slow_pct / 100 (the sim's integer arithmetic), drawn_ns the
 * fixed COMPUTE_NS, the NSPs held at least that long.
 */
static int check_infs(const char *name, const struct truth *t, int nsp, unsigned int pct,
		      int *slowed, int *nominal)
{
	int k, bad = 0;

	*slowed = *nominal = 0;
	for (k = 0; k < t->ni; k++) {
		const struct irec *i = &t->i[k];
		int hit = nsp >= 0 && (i->mask & (1u << nsp));
		unsigned int want = hit ? pct : 100;

		if (i->slow_pct != want || i->drawn != COMPUTE_NS ||
		    i->compute != i->drawn * want / 100 ||
		    i->t_nsp_end < i->t_nsp_start + i->compute) {
			if (!bad++)
				printf("# %s: inf %llu mask 0x%04x slow_pct %u drawn %llu compute %llu held %llu ns, want slow_pct %u\n",
				       name, i->inf, i->mask, i->slow_pct, i->drawn, i->compute,
				       i->t_nsp_end - i->t_nsp_start, want);
		}
		*slowed += hit;
		*nominal += !hit;
	}
	return !bad;
}

/* nsp_mask of every I record of DBC dbc is mask. */
static int masks_are(const struct truth *t, uint32_t dbc, unsigned int mask)
{
	int k;

	for (k = 0; k < t->ni; k++)
		if (t->i[k].dbc == dbc && t->i[k].mask != mask)
			return 0;
	return 1;
}

/* "dbc D mask 0xM: N" for each distinct (DBC, NSP mask) among the I records. */
static void print_masks(const struct truth *t)
{
	unsigned int dbc[8], mask[8], n[8], k, j, m = 0;

	for (k = 0; k < (unsigned int)t->ni; k++) {
		for (j = 0; j < m; j++)
			if (dbc[j] == t->i[k].dbc && mask[j] == t->i[k].mask)
				break;
		if (j == m && m < 8) {
			dbc[m] = t->i[k].dbc;
			mask[m] = t->i[k].mask;
			n[m++] = 0;
		}
		if (j < m)
			n[j]++;
	}
	for (j = 0; j < m; j++)
		printf("#   dbc %u nsp_mask 0x%04x: %u inferences\n", dbc[j], mask[j], n[j]);
}

/* rounds x (A, then B), one at a time; 0 or the first error. */
static int run_phase(struct netrun *a, struct netrun *b, uint64_t seed)
{
	int k, ret = 0;

	a->nlat = b->nlat = 0;
	for (k = 0; k < ROUNDS && !ret; k++) {
		ret = net_once(a, seed + 2 * k);
		if (!ret)
			ret = net_once(b, seed + 2 * k + 1);
	}
	return ret;
}

static void check_bad_args(const char *file, const char *const *bad, int n, const char *armed)
{
	char name[64], now[128];
	int k, ret;

	for (k = 0; k < n; k++) {
		ret = fault_write(file, bad[k]);
		snprintf(name, sizeof(name), "%s_refuses_\"%s\"", file, bad[k]);
		for (char *p = name; *p; p++)
			if (*p == ' ')
				*p = '_';
		tap_result(ret == -EINVAL, name, "write gave %d (%s), want -EINVAL", ret,
			   strerror(-ret));
	}
	fault_read(file, now, sizeof(now));
	tap_result(!strcmp(now, armed), "refused_writes_leave_the_fault_as_it_was",
		   "%s reads \"%s\", want \"%s\"", file, now, armed);
}

static int mode_nsp_slow(void)
{
	static const char *const bad[] = {
		"16 400", "1 0", "1 100001", "garbage", "1", "1 400 5", "1 400x",
		"1 4294967696", "-1 400", "",
	};
	static struct truth t;
	struct netrun a = { 0 }, b = { 0 };
	struct qaic_dev *dev = NULL;
	unsigned int a0, b0, a1, b1, a2, b2;
	int ret, slowed, nominal, ok;
	char buf[128], arg[32];

	ret = open_card(&dev);
	if (!ret)
		ret = net_up(dev, &a, 1, 2, COMPUTE_NS);
	if (!ret)
		ret = net_up(dev, &b, 2, 1, COMPUTE_NS);
	tap_result(!ret, "two_networks_on_two_dbcs", "%s", strerror(-ret));
	if (ret)
		goto out;
	fault_read("nsp_slow", buf, sizeof(buf));
	tap_result(!buf[0], "no_nsp_slowed_at_start", "nsp_slow reads \"%s\"", buf);
	printf("# network A: dbc %u, 2 NSPs; network B: dbc %u, 1 NSP; fixed %llu ns\n", a.dbc,
	       b.dbc, COMPUTE_NS);

	/* Baseline. */
	truth_clear();
	ret = run_phase(&a, &b, 100);
	tap_result(!ret, "baseline_inferences_data_checked", "%s", strerror(-ret));
	truth_read(&t, a.dbc, b.dbc);
	ok = check_infs("baseline", &t, -1, 100, &slowed, &nominal);
	tap_result(ok && nominal == 2 * ROUNDS, "baseline_truth_nominal",
		   "%d of %d I records at 100%% with compute_ns == drawn_ns", nominal,
		   2 * ROUNDS);
	tap_result(masks_are(&t, a.dbc, 0x3) && masks_are(&t, b.dbc, 0x1),
		   "one_at_a_time_A_holds_nsp_0_1_B_nsp_0", "NSP masks differ");
	a0 = median(a.lat_us, a.nlat);
	b0 = median(b.lat_us, b.nlat);

	/* NSP 1 at 400%: A is slowed, B is not. */
	snprintf(arg, sizeof(arg), "%d %d", SLOW_NSP, SLOW_PCT);
	ret = fault_write("nsp_slow", arg);
	fault_read("nsp_slow", buf, sizeof(buf));
	tap_result(!ret && !strcmp(buf, arg), "nsp_slow_armed", "write %d, reads \"%s\"", ret,
		   buf);
	check_bad_args("nsp_slow", bad, sizeof(bad) / sizeof(bad[0]), arg);
	truth_clear();
	ret = run_phase(&a, &b, 200);
	tap_result(!ret, "slowed_inferences_data_checked", "%s", strerror(-ret));
	truth_read(&t, a.dbc, b.dbc);
	ok = check_infs("slowed", &t, SLOW_NSP, SLOW_PCT, &slowed, &nominal);
	tap_result(ok && slowed == ROUNDS && nominal == ROUNDS &&
		   masks_are(&t, a.dbc, 0x3) && masks_are(&t, b.dbc, 0x1),
		   "slowed_truth_exact_per_nsp_mask",
		   "%d slowed (want %d: A's), %d nominal (want %d: B's)", slowed, ROUNDS, nominal,
		   ROUNDS);
	a1 = median(a.lat_us, a.nlat);
	b1 = median(b.lat_us, b.nlat);
	printf("# PERF_STATS_BO device latency medians (us): baseline A %u B %u; NSP %d at %d%%: A %u (x%.2f) B %u (x%.2f)\n",
	       a0, b0, SLOW_NSP, SLOW_PCT, a1, a0 ? (double)a1 / a0 : 0, b1,
	       b0 ? (double)b1 / b0 : 0);
	tap_result(a1 > 2 * a0, "client_latency_of_slowed_network_grows_over_2x",
		   "A's median %u us vs baseline %u us", a1, a0);
	tap_result(a1 > 2 * b1, "slowed_network_over_2x_the_other_in_the_same_phase",
		   "A's median %u us vs B's %u us", a1, b1);

	/* Restored. */
	snprintf(arg, sizeof(arg), "%d 100", SLOW_NSP);
	ret = fault_write("nsp_slow", arg);
	fault_read("nsp_slow", buf, sizeof(buf));
	tap_result(!ret && !buf[0], "nsp_100_restores", "write %d, reads \"%s\"", ret, buf);
	truth_clear();
	ret = run_phase(&a, &b, 300);
	tap_result(!ret, "restored_inferences_data_checked", "%s", strerror(-ret));
	truth_read(&t, a.dbc, b.dbc);
	ok = check_infs("restored", &t, -1, 100, &slowed, &nominal);
	tap_result(ok && nominal == 2 * ROUNDS, "restored_truth_nominal",
		   "%d of %d I records at 100%%", nominal, 2 * ROUNDS);
	a2 = median(a.lat_us, a.nlat);
	b2 = median(b.lat_us, b.nlat);
	printf("# restored medians (us): A %u (x%.2f of baseline) B %u\n", a2,
	       a0 ? (double)a2 / a0 : 0, b2);
	tap_result(2 * a2 < a1, "client_latency_back_under_half_the_slowed",
		   "A's median %u us, slowed %u us", a2, a1);

	/* Both at once, NSP 2 slowed: masks vary, the rule holds per mask. */
	snprintf(arg, sizeof(arg), "%d %d", CONC_NSP, SLOW_PCT);
	ret = fault_write("nsp_slow", arg);
	truth_clear();
	for (int k = 0; !ret && k < CONC_ROUNDS; k++) {
		ret = net_submit(&a, 400 + 2 * k);
		if (!ret)
			ret = net_submit(&b, 401 + 2 * k);
		if (!ret)
			ret = net_finish(&a);
		if (!ret)
			ret = net_finish(&b);
	}
	tap_result(!ret, "concurrent_inferences_data_checked", "%s", strerror(-ret));
	truth_read(&t, a.dbc, b.dbc);
	ok = check_infs("concurrent", &t, CONC_NSP, SLOW_PCT, &slowed, &nominal);
	printf("# both at once, NSP %d at %d%%: %d inferences held it (slowed), %d did not\n",
	       CONC_NSP, SLOW_PCT, slowed, nominal);
	print_masks(&t);
	tap_result(ok && slowed + nominal == 2 * CONC_ROUNDS, "concurrent_truth_exact_per_nsp_mask",
		   "%d slowed + %d nominal of %d", slowed, nominal, 2 * CONC_ROUNDS);
	snprintf(arg, sizeof(arg), "%d 100", CONC_NSP);
	fault_write("nsp_slow", arg);
out:
	net_down(&a);
	net_down(&b);
	qaic_close(dev);
	return tap_done();
}

/* ---- dbc_drop_msi ------------------------------------------------------ */

struct waiter {
	pthread_t thread;
	int fd;
	uint32_t dbc, handle;
	int ret;
	uint64_t end_ns;
	volatile int done;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;

	w->ret = bo_wait(w->fd, w->dbc, w->handle, 30000);
	w->end_ns = now_ns();
	w->done = 1;
	return NULL;
}

/* Wait up to 5 s until the card has answered n requests of dbc (truth). */
static int truth_wait_rsp(struct truth *t, uint32_t dbc, int n)
{
	int k;

	for (k = 0; k < 100; k++) {
		if (!truth_read(t, dbc, dbc) && t->nr >= n)
			return 0;
		usleep(50000);
	}
	return -ETIMEDOUT;
}

/*
 * Set up a network on its own DBC, run one inference (so the driver's
 * drain and re-enable are long over), arm "DBC 1" and submit another.
 */
static int arm_and_submit(struct qaic_dev *dev, struct netrun *r, int check_args)
{
	static const char *const bad[] = { "16 1", "x", "0", "0 1 2", "0 1x" };
	static const char *const stall_bad[] = { "0 2", "16 1" };
	char arg[32], buf[64];
	int ret;

	ret = net_up(dev, r, 3, 1, 1000000);
	if (!ret)
		ret = net_once(r, 1);
	tap_result(!ret, "network_runs_before_the_fault", "%s", strerror(-ret));
	if (ret)
		return ret;
	usleep(50000);
	if (check_args) {
		check_bad_args("dbc_drop_msi", bad, sizeof(bad) / sizeof(bad[0]), "");
		check_bad_args("dbc_stall", stall_bad, sizeof(stall_bad) / sizeof(stall_bad[0]),
			       "");
	}
	truth_clear();
	snprintf(arg, sizeof(arg), "%u 1", r->dbc);
	ret = fault_write("dbc_drop_msi", arg);
	fault_read("dbc_drop_msi", buf, sizeof(buf));
	tap_result(!ret && !strcmp(buf, arg), "dbc_drop_msi_armed", "write %d, reads \"%s\"",
		   ret, buf);
	if (!ret)
		ret = net_submit(r, 2);
	tap_result(!ret, "inference_submitted", "%s", strerror(-ret));
	return ret;
}

/*
 * The card answered every request of the inference (truth R records with
 * t_rsp, status 0); the first response raised no MSI, and neither did the
 * others when @coalesced (the host had not taken the first); the fault is
 * used up.
 */
static void check_msi_dropped(struct truth *t, const struct netrun *r, int coalesced)
{
	int k, ret, written = 0, msis = 0;
	char buf[64];

	ret = truth_wait_rsp(t, r->dbc, r->nreq);
	for (k = 0; k < t->nr; k++) {
		written += t->r[k].t_rsp && !t->r[k].status;
		msis += t->r[k].msi;
	}
	tap_result(!ret && t->nr == r->nreq && written == r->nreq,
		   "truth_every_response_written", "%d R records (%d answered) for dbc %u, want %d",
		   t->nr, written, r->dbc, r->nreq);
	tap_result(t->nr && !t->r[0].msi, "truth_first_response_raised_no_msi", "msi %u",
		   t->nr ? t->r[0].msi : 9);
	if (coalesced)
		tap_result(!msis, "truth_later_responses_coalesced_no_msi", "%d MSIs raised", msis);
	fault_read("dbc_drop_msi", buf, sizeof(buf));
	tap_result(!buf[0] && sim_dbc_value(r->dbc, "msis_dropped") == 1,
		   "sim_dropped_exactly_one_msi", "fault reads \"%s\", msis_dropped %lld", buf,
		   sim_dbc_value(r->dbc, "msis_dropped"));
}

static int mode_drop_msi(void)
{
	static struct truth t;
	struct netrun r = { 0 }, fresh = { 0 };
	struct qaic_dev *dev = NULL;
	struct waiter w = { 0 };
	long long irqs, done, age1, age2, seq1, seq2, bos, maps;
	uint64_t s1, e1, s2, e2, t0;
	int ret, wret;

	ret = open_card(&dev);
	if (!ret && drv_dbc_value(0, "polling") != 0)
		ret = -EINVAL;
	tap_result(!ret, "card_open_driver_uses_interrupts", "%s", strerror(-ret));
	if (ret)
		goto out;
	if (arm_and_submit(dev, &r, 1))
		goto out;
	irqs = drv_dbc_value(r.dbc, "irqs");
	done = drv_dbc_value(r.dbc, "completed");
	check_msi_dropped(&t, &r, 1);

	wret = qaic_wait(dev, r.dbc, r.out_h, STALL_WAIT_MS);
	tap_result(wret == -ETIMEDOUT, "wait_bo_times_out", "got %d (%s)", wret,
		   strerror(-wret));
	wret = qaic_wait(dev, r.dbc, r.in_h, 1);
	tap_result(wret == -ETIMEDOUT, "input_bo_wait_times_out_too", "got %d", wret);

	ret = (int)sim_rsp_pending(r.dbc);
	tap_result(ret == r.nreq, "sim_fifo_holds_every_response", "rsptp - rsphp = %d, want %d",
		   ret, r.nreq);
	tap_result(drv_dbc_value(r.dbc, "rsp_head") == sim_dbc_value(r.dbc, "rsphp") &&
		   drv_dbc_value(r.dbc, "rsp_tail") == sim_dbc_value(r.dbc, "rsptp") &&
		   drv_dbc_value(r.dbc, "rsp_head") != drv_dbc_value(r.dbc, "rsp_tail"),
		   "driver_reads_the_same_non_empty_fifo", "driver %lld/%lld, sim %lld/%lld",
		   drv_dbc_value(r.dbc, "rsp_head"), drv_dbc_value(r.dbc, "rsp_tail"),
		   sim_dbc_value(r.dbc, "rsphp"), sim_dbc_value(r.dbc, "rsptp"));

	s1 = now_ns();
	age1 = drv_dbc_value(r.dbc, "oldest_age_ns");
	seq1 = drv_dbc_value(r.dbc, "oldest_req_id");
	e1 = now_ns();
	tap_result(drv_dbc_value(r.dbc, "queued_bos") == 2 &&
		   drv_dbc_value(r.dbc, "completed") == done &&
		   drv_dbc_value(r.dbc, "irqs") == irqs,
		   "driver_keeps_both_bos_queued_without_an_irq",
		   "queued_bos %lld, completed %lld (was %lld), irqs %lld (was %lld)",
		   drv_dbc_value(r.dbc, "queued_bos"), drv_dbc_value(r.dbc, "completed"), done,
		   drv_dbc_value(r.dbc, "irqs"), irqs);
	tap_result(t.nr > 0 && seq1 == t.r[0].req_id, "driver_oldest_is_the_answered_request",
		   "oldest_req_id %lld, truth req_id %u", seq1, t.nr > 0 ? t.r[0].req_id : 0);
	/* The request is older than the response the card wrote for it. */
	tap_result(t.nr > 0 && age1 > 0 && (uint64_t)age1 >= s1 - t.r[0].t_rsp,
		   "oldest_age_covers_the_time_since_the_card_answered",
		   "oldest_age_ns %lld, card answered %llu ns before", age1,
		   t.nr > 0 ? (unsigned long long)(s1 - t.r[0].t_rsp) : 0ULL);
	usleep(200000);
	s2 = now_ns();
	age2 = drv_dbc_value(r.dbc, "oldest_age_ns");
	seq2 = drv_dbc_value(r.dbc, "oldest_req_id");
	e2 = now_ns();
	/* Read inside [s, e]: the age grows by as much as the clock, no less, no more. */
	tap_result(seq2 == seq1 && age2 - age1 >= (long long)(s2 - e1) &&
		   age2 - age1 <= (long long)(e2 - s1), "oldest_age_grows_with_the_clock",
		   "age %lld -> %lld ns over %llu..%llu ns", age1, age2,
		   (unsigned long long)(s2 - e1), (unsigned long long)(e2 - s1));
	printf("# stalled: dbc %u, request %lld answered by the card, age %lld ns and growing\n",
	       r.dbc, seq1, age2);

	/* DEACTIVATE fails the waiter and frees everything. */
	w = (struct waiter){ .fd = qaic_fd(dev), .dbc = r.dbc, .handle = r.out_h };
	if (pthread_create(&w.thread, NULL, waiter_fn, &w)) {
		tap_result(0, "waiter_started", "pthread_create failed");
		goto out;
	}
	usleep(100000);
	tap_result(!w.done, "waiter_blocks", "returned %d", w.ret);
	t0 = now_ns();
	ret = qaic_deactivate(dev, r.dbc);
	r.active = 0;
	tap_result(!ret, "deactivate_the_stalled_dbc", "%s", strerror(-ret));
	while (!w.done && now_ns() - t0 < PROMPT_MS * 1000000ULL)
		usleep(10000);
	if (w.done)
		pthread_join(w.thread, NULL);
	tap_result(w.done && w.ret == -EPERM, "deactivate_fails_the_waiter_with_eperm",
		   "done %d ret %d (%s)", w.done, w.ret, strerror(-w.ret));
	if (w.done)
		printf("# waiter returned %llu us after DEACTIVATE\n",
		       (unsigned long long)(w.end_ns - t0) / 1000);
	tap_result(drv_dbc_free(r.dbc) && drv_dbc_value(r.dbc, "queued_bos") == 0,
		   "driver_dbc_free_nothing_queued", "queued_bos %lld",
		   drv_dbc_value(r.dbc, "queued_bos"));
	net_down(&r);
	ret = drv_no_bos(&bos, &maps);
	tap_result(ret, "driver_counts_no_bo_and_no_mapping", "bos %lld bo_mappings %lld", bos,
		   maps);

	/* The card works: a new DBC, an inference with its MSI, data checked. */
	truth_clear();
	ret = net_up(dev, &fresh, 4, 1, 1000000);
	if (!ret)
		ret = net_once(&fresh, 3);
	tap_result(!ret, "fresh_round_trip_data_checked", "%s", strerror(-ret));
	truth_read(&t, fresh.dbc, fresh.dbc);
	tap_result(t.nr == fresh.nreq && t.r[0].msi == 1 && drv_dbc_value(fresh.dbc, "irqs") >= 1,
		   "fresh_round_trip_completed_by_its_msi", "%d R records, msi %u, irqs %lld",
		   t.nr, t.nr ? t.r[0].msi : 9, drv_dbc_value(fresh.dbc, "irqs"));
out:
	if (!w.done && w.thread)
		diag_dbc(&card, r.dbc);
	net_down(&r);
	net_down(&fresh);
	qaic_close(dev);
	return tap_done();
}

/* ---- datapath_polling=1 ------------------------------------------------ */

static int mode_polling(void)
{
	static struct truth t;
	struct netrun r = { 0 };
	struct qaic_dev *dev = NULL;
	long long bos, maps;
	int ret;

	ret = open_card(&dev);
	if (!ret && drv_dbc_value(0, "polling") != 1)
		ret = -EINVAL;
	tap_result(!ret, "card_open_driver_polls", "%s", strerror(-ret));
	if (ret)
		goto out;
	if (arm_and_submit(dev, &r, 0))
		goto out;
	ret = net_finish(&r);
	tap_result(!ret, "polling_completes_despite_the_dropped_msi", "%s", strerror(-ret));
	if (ret)
		diag_dbc(&card, r.dbc);
	check_msi_dropped(&t, &r, 0);
	tap_result(drv_dbc_value(r.dbc, "queued_bos") == 0 &&
		   drv_dbc_value(r.dbc, "rsp_head") == drv_dbc_value(r.dbc, "rsp_tail"),
		   "fifo_drained_nothing_queued", "queued_bos %lld",
		   drv_dbc_value(r.dbc, "queued_bos"));
	net_down(&r);
	ret = drv_no_bos(&bos, &maps);
	tap_result(ret, "driver_counts_no_bo_and_no_mapping", "bos %lld bo_mappings %lld", bos,
		   maps);
out:
	net_down(&r);
	qaic_close(dev);
	return tap_done();
}

/* ---- stall on demand --------------------------------------------------- */

static int mode_stall(void)
{
	struct netrun r = { 0 };
	struct qaic_dev *dev = NULL;
	char arg[32];
	int ret, k;

	ret = open_card(&dev);
	if (!ret)
		ret = net_up(dev, &r, 5, 1, 1000000);
	if (!ret)
		ret = net_once(&r, 1);
	if (ret) {
		fprintf(stderr, "stall: cannot run a network: %s\n", strerror(-ret));
		return 1;
	}
	usleep(50000);
	snprintf(arg, sizeof(arg), "%u 1", r.dbc);
	ret = fault_write("dbc_drop_msi", arg);
	if (!ret)
		ret = net_submit(&r, 2);
	for (k = 0; !ret && sim_rsp_pending(r.dbc) != r.nreq; k++) {
		if (k == 100)
			ret = -ETIMEDOUT;
		usleep(50000);
	}
	if (ret) {
		fprintf(stderr, "stall: %s\n", strerror(-ret));
		return 1;
	}
	printf("stalled dbc=%u pid=%d in=%u out=%u\n", r.dbc, (int)getpid(), r.in_h, r.out_h);
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "nsp_slow"))
		return mode_nsp_slow();
	if (!strcmp(mode, "drop_msi"))
		return mode_drop_msi();
	if (!strcmp(mode, "polling"))
		return mode_polling();
	if (!strcmp(mode, "stall"))
		return mode_stall();
	fprintf(stderr, "usage: %s nsp_slow|drop_msi|polling|stall\n", argv[0]);
	return 2;
}
