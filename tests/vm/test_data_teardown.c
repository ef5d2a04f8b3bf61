// SPDX-License-Identifier: GPL-2.0-only
/*
 * Teardown with requests in flight: a client queues inferences of a network
 * that computes for a minute on all 16 NSPs (so they stay queued) and a
 * request gated on a semaphore nobody signals, with a thread waiting on each
 * of them; then the DBCs go away in one of four ways:
 *
 *   test_data_teardown deactivate   DEACTIVATE from the client (and a GEM
 *                                   close of a queued BO before it)
 *   test_data_teardown close        the client closes its fd
 *   test_data_teardown kill         the client process is SIGKILLed
 *   test_data_teardown syserr       the card raises SYS_ERR (sim debugfs)
 *   test_data_teardown unbind       the card's driver is unbound (hot unplug)
 *
 * Every waiter must return an error promptly (none may hang or succeed),
 * the DBCs must be free again, and the card must run a network with all 16
 * NSPs afterwards, data checked. Upstream's waiters get -EPERM on
 * deactivate and reset (the DBC is no longer theirs); the errno each waiter
 * got is printed. Leak checks (DMA mappings, coherent memory, module unload)
 * are the calling suite's (tests/vm/data_teardown.sh). Prints TAP.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "qaic_test.h"
#include "qaic.h"

#define PAGE		4096
#define NUM_DBC		16
#define STALL_SEM	31
#define LONG_NET	1	/* 60 s on 16 NSPs */
#define QUICK_NET	2	/* 1 ms on 16 NSPs: needs every NSP free */
#define INFLIGHT	3	/* inferences queued on the network's DBC */
#define WAIT_MS		30000	/* waiters' own timeout: far beyond any teardown */
#define PROMPT_MS	5000	/* a waiter must return this soon after teardown */

static struct test_card card;

struct waiter {
	pthread_t thread;
	int fd;
	uint32_t dbc, handle, timeout_ms;
	int ret;
	uint64_t end_ns;
	volatile int done;
};

/* What one client has in flight. */
struct inflight {
	struct qaic_dev *dev;
	int fd;
	int net_dbc, stall_dbc;
	struct net_shape s;
	struct net_bos b[INFLIGHT];
	uint32_t stall_h;
	struct waiter w[INFLIGHT + 1];
	int nwait;
};

static const char *errname(int e)
{
	static char buf[16];

	switch (-e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case EIO: return "EIO";
	case ECANCELED: return "ECANCELED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINTR: return "EINTR";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	}
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

static int load_net(struct qaic_dev *dev, uint32_t id, uint64_t mean_ns, struct net_shape *s)
{
	struct qaic_simnet n;

	*s = (struct net_shape){
		.in_bytes = 2 * PAGE, .out_bytes = 2 * PAGE, .in_dev = id * 0x1000000ULL,
		.out_dev = id * 0x1000000ULL + 0x800000, .sem = id, .doorbell = 0x700 + id,
	};
	memset(&n, 0, sizeof(n));
	n.net_id = id;
	n.nsp_count = 16;
	n.input_bytes = s->in_bytes;
	n.output_bytes = s->out_bytes;
	n.input_dev_addr = s->in_dev;
	n.output_dev_addr = s->out_dev;
	n.dist = QAIC_SIMNET_FIXED;
	n.mean_ns = mean_ns;
	n.sem_index = s->sem;
	n.doorbell = s->doorbell;
	return qaic_simnet_load(dev, &n);
}

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;

	w->ret = bo_wait(w->fd, w->dbc, w->handle, w->timeout_ms);
	w->end_ns = now_ns();
	w->done = 1;
	return NULL;
}

static void start_waiter(struct inflight *f, uint32_t dbc, uint32_t handle, uint32_t timeout)
{
	struct waiter *w = &f->w[f->nwait];

	*w = (struct waiter){ .fd = f->fd, .dbc = dbc, .handle = handle, .timeout_ms = timeout };
	if (!pthread_create(&w->thread, NULL, waiter_fn, w))
		f->nwait++;
}

/*
 * Open a client and queue its work: INFLIGHT inferences of the long
 * network on one DBC and a stalled request on another, each with a waiter.
 */
static int setup_inflight(struct inflight *f, uint32_t wait_ms)
{
	struct qaic_attach_slice_entry e = slice_at(0, PAGE, 0x3000000);
	int i, ret;

	memset(f, 0, sizeof(*f));
	f->net_dbc = f->stall_dbc = -1;
	ret = qaic_open(card.node, &f->dev);
	if (ret)
		return ret;
	f->fd = qaic_fd(f->dev);
	f->net_dbc = dbc_activate(f->fd, 64);
	f->stall_dbc = dbc_activate(f->fd, 16);
	if (f->net_dbc < 0 || f->stall_dbc < 0)
		return -EBADSLT;
	ret = load_net(f->dev, LONG_NET, 60000000000ULL, &f->s);
	for (i = 0; i < INFLIGHT && !ret; i++) {
		ret = net_bos_setup(f->fd, f->net_dbc, &f->s, &f->b[i]);
		if (!ret) {
			uint32_t both[2] = { f->b[i].in_h, f->b[i].out_h };

			memset(f->b[i].in, i + 1, f->s.in_bytes);
			ret = bo_execute(f->fd, f->net_dbc, both, 2);
		}
	}
	if (ret)
		return ret;
	ret = bo_create(f->fd, PAGE, &f->stall_h);
	e.sem0 = (struct qaic_sem){ .cmd = QAIC_SEM_WAIT_GT_0, .index = STALL_SEM, .presync = 1 };
	if (!ret)
		ret = bo_attach(f->fd, f->stall_h, f->stall_dbc, BO_TO_DEV, &e, 1);
	if (!ret)
		ret = bo_execute1(f->fd, f->stall_dbc, f->stall_h);
	if (ret)
		return ret;
	for (i = 0; i < INFLIGHT; i++)
		start_waiter(f, f->net_dbc, f->b[i].out_h, wait_ms);
	start_waiter(f, f->stall_dbc, f->stall_h, wait_ms);
	usleep(300000);	/* let them block, and the first inference start */
	return 0;
}

/*
 * Give the waiters until deadline to return, then report each: none may
 * still be waiting, none may have succeeded; want_timeout: they end by
 * their own timeout (when nothing can wake them earlier).
 */
static void check_waiters(struct inflight *f, const char *mode, uint64_t t_teardown,
			  uint64_t deadline_ns, int want_timeout)
{
	int i, hung = 0, succeeded = 0, timed_out = 0;
	char name[128], errs[256] = "";
	uint64_t worst_ms = 0;

	while (now_ns() < deadline_ns) {
		for (i = 0; i < f->nwait && f->w[i].done; i++)
			;
		if (i == f->nwait)
			break;
		usleep(20000);
	}
	for (i = 0; i < f->nwait; i++) {
		struct waiter *w = &f->w[i];
		uint64_t ms;

		if (!w->done) {
			hung++;
			continue;
		}
		pthread_join(w->thread, NULL);
		ms = w->end_ns > t_teardown ? (w->end_ns - t_teardown) / 1000000 : 0;
		worst_ms = ms > worst_ms ? ms : worst_ms;
		succeeded += w->ret == 0;
		timed_out += w->ret == -ETIMEDOUT;
		snprintf(errs + strlen(errs), sizeof(errs) - strlen(errs), "%s%s", i ? "," : "",
			 errname(w->ret));
	}
	printf("# %s: %d waiters returned %s, the last %llu ms after the teardown\n", mode,
	       f->nwait, errs, (unsigned long long)worst_ms);
	snprintf(name, sizeof(name), "%s_no_waiter_hangs", mode);
	tap_result(!hung && f->nwait == INFLIGHT + 1, name, "%d of %d still waiting", hung,
		   f->nwait);
	snprintf(name, sizeof(name), "%s_every_waiter_gets_an_error", mode);
	tap_result(!succeeded && (want_timeout || !timed_out), name,
		   "results %s (0 = completed, ETIMEDOUT = never woken)", errs);
}

static int dbc_is_free(int dbc)
{
	char name[32], state[32] = "";

	snprintf(name, sizeof(name), "dbc%d_state", dbc);
	return !card_attr(&card, name, state, sizeof(state)) && !strcmp(state, "free");
}

static void check_dbcs_free(const char *mode, int a, int b)
{
	char name[128];
	int waited;

	for (waited = 0; waited < 5000; waited += 50) {
		if (dbc_is_free(a) && dbc_is_free(b))
			break;
		usleep(50000);
	}
	snprintf(name, sizeof(name), "%s_dbcs_free_again", mode);
	tap_result(dbc_is_free(a) && dbc_is_free(b), name, "dbc %d %s, dbc %d %s", a,
		   dbc_is_free(a) ? "free" : "busy", b, dbc_is_free(b) ? "free" : "busy");
}

/*
 * The card still works: a fresh client runs a 16-NSP network (so every NSP
 * must have been released) and the output is right.
 */
static void check_card_works(const char *mode, struct qaic_dev *reuse)
{
	struct qaic_dev *dev = reuse;
	struct net_shape s;
	struct net_bos b;
	uint64_t bad = 1;
	char name[128];
	int fd, dbc = -1, ret = 0;

	if (!dev)
		ret = qaic_open(card.node, &dev);
	if (ret)
		goto out;
	fd = qaic_fd(dev);
	dbc = dbc_activate(fd, 32);
	ret = dbc < 0 ? dbc : load_net(dev, QUICK_NET, 1000000, &s);
	if (!ret)
		ret = net_bos_setup(fd, dbc, &s, &b);
	if (!ret) {
		uint32_t both[2] = { b.in_h, b.out_h };

		memset(b.in, 0x3c, s.in_bytes);
		ret = bo_execute(fd, dbc, both, 2);
		if (!ret)
			ret = bo_wait(fd, dbc, b.out_h, PROMPT_MS);
		if (!ret)
			bad = net_out_mismatches(b.in, s.in_bytes, b.out, s.out_bytes, NULL);
		net_bos_free(fd, &b);
	}
	qaic_simnet_unload(dev, QUICK_NET);
	if (dbc >= 0)
		dbc_deactivate(fd, dbc);
	if (!reuse)
		qaic_close(dev);
out:
	snprintf(name, sizeof(name), "%s_card_runs_all_16_nsps_afterwards", mode);
	tap_result(!ret && !bad, name, "ret %s, %llu bytes wrong", errname(ret),
		   (unsigned long long)bad);
}

static void free_bos(struct inflight *f)
{
	int i;

	for (i = 0; i < INFLIGHT; i++)
		net_bos_free(f->fd, &f->b[i]);
	if (f->stall_h)
		bo_close(f->fd, f->stall_h);
	f->stall_h = 0;
}

static int report_setup(const char *mode, int ret)
{
	char name[128];

	snprintf(name, sizeof(name), "%s_requests_in_flight", mode);
	tap_result(!ret, name, "setup failed: %s", strerror(-ret));
	return ret;
}

static void mode_deactivate(void)
{
	struct inflight f;
	uint64_t t0;
	int ret, i, detached = 0;

	if (report_setup("deactivate", setup_inflight(&f, WAIT_MS)))
		return;
	/* a BO whose handle is gone while it is queued must survive to the teardown */
	ret = bo_close(f.fd, f.b[INFLIGHT - 1].out_h);
	f.b[INFLIGHT - 1].out_h = 0;
	tap_result(!ret, "deactivate_gem_close_of_a_queued_bo", "ret %s", errname(ret));
	t0 = now_ns();
	ret = dbc_deactivate(f.fd, f.net_dbc);
	tap_result(!ret, "deactivate_dbc_with_requests_in_flight", "ret %s", errname(ret));
	ret = dbc_deactivate(f.fd, f.stall_dbc);
	tap_result(!ret, "deactivate_stalled_dbc", "ret %s", errname(ret));
	check_waiters(&f, "deactivate", t0, t0 + PROMPT_MS * 1000000ULL, 0);
	for (i = 0; i < INFLIGHT - 1; i++)
		detached += bo_detach(f.fd, f.b[i].in_h) == -EINVAL &&
			    bo_detach(f.fd, f.b[i].out_h) == -EINVAL;
	tap_result(detached == INFLIGHT - 1, "deactivate_detaches_every_bo",
		   "%d of %d BO pairs detached", detached, INFLIGHT - 1);
	check_dbcs_free("deactivate", f.net_dbc, f.stall_dbc);
	free_bos(&f);
	qaic_simnet_unload(f.dev, LONG_NET);
	check_card_works("deactivate", f.dev);
	qaic_close(f.dev);
}

/*
 * close(2) while other threads wait: their ioctls (and the BOs' mappings)
 * hold the file open, so the release (and the DBCs' teardown) comes when
 * the last waiter returns, by its own timeout, and the mappings are gone.
 */
static void mode_close(void)
{
	const uint32_t short_wait = 2000;
	struct inflight f;
	uint64_t t0;
	int i;

	if (report_setup("close", setup_inflight(&f, short_wait)))
		return;
	t0 = now_ns();
	/* the mappings and handles go with the file; only the struct is freed */
	qaic_close(f.dev);
	check_waiters(&f, "close", t0, t0 + (short_wait + PROMPT_MS) * 1000000ULL, 1);
	/* a mapping holds the file open too: the release comes with the last munmap */
	for (i = 0; i < INFLIGHT; i++) {
		munmap(f.b[i].in, f.b[i].in_bytes);
		munmap(f.b[i].out, f.b[i].out_bytes);
	}
	check_dbcs_free("close", f.net_dbc, f.stall_dbc);
	check_card_works("close", NULL);
}

static void mode_kill(void)
{
	int pipefd[2], dbcs[2] = { -1, -1 }, status = 0, reaped = 0;
	uint64_t t0, ms;
	char name[64];
	pid_t pid;

	if (pipe(pipefd))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct inflight f;
		int ret = setup_inflight(&f, WAIT_MS);

		dbcs[0] = ret ? -1 : f.net_dbc;
		dbcs[1] = ret ? -1 : f.stall_dbc;
		if (write(pipefd[1], dbcs, sizeof(dbcs)) != sizeof(dbcs))
			_exit(2);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], dbcs, sizeof(dbcs)) != sizeof(dbcs))
		dbcs[0] = -1;
	close(pipefd[0]);
	if (report_setup("kill", dbcs[0] < 0 ? -EIO : 0)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	t0 = now_ns();
	kill(pid, SIGKILL);
	while (now_ns() - t0 < PROMPT_MS * 1000000ULL) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			reaped = 1;
			break;
		}
		usleep(20000);
	}
	ms = (now_ns() - t0) / 1000000;
	snprintf(name, sizeof(name), "kill_process_with_waiters_exits");
	tap_result(reaped && WIFSIGNALED(status), name, "not reaped after %llu ms",
		   (unsigned long long)ms);
	printf("# killed client reaped after %llu ms\n", (unsigned long long)ms);
	if (!reaped)
		return;
	check_dbcs_free("kill", dbcs[0], dbcs[1]);
	check_card_works("kill", NULL);
}

static void mode_syserr(void)
{
	struct inflight f;
	int ret, i, detached = 0;
	uint64_t t0;

	if (report_setup("syserr", setup_inflight(&f, WAIT_MS)))
		return;
	t0 = now_ns();
	ret = sim_fault(&card, "syserr", "1");
	tap_result(!ret, "syserr_raised", "sim fault/syserr: %s", strerror(-ret));
	check_waiters(&f, "syserr", t0, t0 + 2 * PROMPT_MS * 1000000ULL, 0);
	ret = wait_state(&card, "ONLINE", 30000);
	tap_result(!ret, "syserr_card_online_again", "not ONLINE within 30 s");
	for (i = 0; i < INFLIGHT; i++)
		detached += bo_detach(f.fd, f.b[i].in_h) == -EINVAL &&
			    bo_detach(f.fd, f.b[i].out_h) == -EINVAL;
	tap_result(detached == INFLIGHT, "syserr_detaches_every_bo", "%d of %d BO pairs detached",
		   detached, INFLIGHT);
	check_dbcs_free("syserr", f.net_dbc, f.stall_dbc);
	free_bos(&f);
	/* the client outlives the reset: the same fd runs the network again */
	check_card_works("syserr", f.dev);
	qaic_close(f.dev);
}

/*
 * The card goes away under the client (its driver is unbound, as on a PCI
 * hot unplug): waiters return an error, the client's ioctls say -ENODEV,
 * and once the driver is bound again a new client computes on the card.
 */
static void mode_unbind(void)
{
	char dev[128], drv[300], path[512];
	struct inflight f;
	uint64_t t0;
	ssize_t n;
	int ret;

	snprintf(path, sizeof(path), "%s/..", card.sysfs);
	if (!realpath(path, drv)) {
		tap_result(0, "unbind_find_device", "no %s", path);
		return;
	}
	snprintf(dev, sizeof(dev), "%s", strrchr(drv, '/') + 1);
	snprintf(path, sizeof(path), "%s/../driver", card.sysfs);
	n = readlink(path, drv, sizeof(drv) - 1);
	if (n < 0) {
		tap_result(0, "unbind_find_driver", "no %s", path);
		return;
	}
	drv[n] = '\0';
	if (report_setup("unbind", setup_inflight(&f, WAIT_MS)))
		return;
	t0 = now_ns();
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/unbind", strrchr(drv, '/') + 1);
	ret = write_text(path, dev);
	tap_result(!ret, "unbind_driver_with_requests_in_flight", "%s: %s", path, strerror(-ret));
	check_waiters(&f, "unbind", t0, t0 + PROMPT_MS * 1000000ULL, 0);
	ret = bo_execute1(f.fd, f.net_dbc, f.b[0].in_h);
	tap_result(ret == -ENODEV, "unbind_ioctls_say_enodev", "execute: %s", errname(ret));
	free_bos(&f);
	qaic_close(f.dev);
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/bind", strrchr(drv, '/') + 1);
	ret = write_text(path, dev);
	tap_result(!ret, "bind_driver_again", "%s: %s", path, strerror(-ret));
	ret = ret ? ret : find_card(&card);
	ret = ret ? ret : wait_state(&card, "ONLINE", 30000);
	tap_result(!ret, "unbind_card_online_after_bind", "ret %d", ret);
	if (!ret)
		check_card_works("unbind", NULL);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} modes[] = {
		{ "deactivate", mode_deactivate },
		{ "close", mode_close },
		{ "kill", mode_kill },
		{ "syserr", mode_syserr },
		{ "unbind", mode_unbind },
	};
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: test_data_teardown deactivate|close|kill|syserr|unbind\n");
		return 2;
	}
	if (find_card(&card)) {
		printf("Bail out! no qaic device found\n");
		return 1;
	}
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(argv[1], modes[i].name)) {
			modes[i].fn();
			return tap_done();
		}
	}
	fprintf(stderr, "unknown mode %s\n", argv[1]);
	return 2;
}
