// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control traffic with known shape, for the tracepoint checks:
 *   manage_traffic N [HOLD_S]   N STATUS requests, then one ACTIVATE (queue 32),
 *                      held HOLD_S seconds (default 0), and its DEACTIVATE.
 *                      Prints "dbc=<id>" and exits 0 on success.
 */
#include "qaic_test.h"

int main(int argc, char **argv)
{
	struct qaic_manage_trans_activate_from_dev *r;
	struct qaic_manage_trans_activate_to_dev *a;
	struct qaic_manage_trans_deactivate *d;
	struct test_card card;
	struct raw_msg m;
	long i, n, hold;
	int fd, ret;

	n = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
	hold = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	if (n < 0 || n > 100000 || hold < 0 || hold > 3600 || find_card(&card)) {
		fprintf(stderr, "usage: manage_traffic N [HOLD_S] (N 0..100000, HOLD_S 0..3600), with a qaic card present\n");
		return 2;
	}
	fd = open(card.node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror(card.node);
		return 1;
	}
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
		ret = raw_manage(fd, &m);
		if (ret) {
			fprintf(stderr, "status: %s\n", strerror(-ret));
			return 1;
		}
	}
	memset(&m, 0, sizeof(m));
	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = 32;
	ret = raw_manage(fd, &m);
	r = (void *)m.buf;
	if (ret || m.count != 1) {
		fprintf(stderr, "activate: %s\n", strerror(-ret));
		return 1;
	}
	printf("dbc=%u\n", r->dbc_id);
	fflush(stdout);
	sleep(hold);
	memset(&m, 0, sizeof(m));
	d = raw_add(&m, QAIC_TRANS_DEACTIVATE_FROM_USR, sizeof(*d));
	d->dbc_id = r->dbc_id;
	ret = raw_manage(fd, &m);
	if (ret) {
		fprintf(stderr, "deactivate: %s\n", strerror(-ret));
		return 1;
	}
	close(fd);
	return 0;
}
