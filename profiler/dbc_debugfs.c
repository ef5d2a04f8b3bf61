// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbc_debugfs.h"
#include "qaic.h"

#define MAX_DEVICES	64
#define FILE_MAX	4096	/* a dbc<N> file is about 400 bytes */

/* The platform device the simulated card registers (include/qaic_hw.h QAIC_HW_SIM_NAME). */
#define SIM_PDEV_PREFIX	"qaic-sim."
#define SIM_CARD_PREFIX	"sim"

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || (*end && *end != '\n') ? -1 : 0;
}

static int parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (parse_u64(s, &x) || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* "owner <tgid> <comm>": comm is the rest of the line (it may hold blanks). */
static int parse_owner(const char *s, struct dbc_dfs *d)
{
	char *end;
	long v;
	size_t n;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end != ' ' || v < 0 || v > INT32_MAX)
		return -1;
	d->owner_tgid = (int32_t)v;
	s = end + 1;
	n = strcspn(s, "\n");
	if (n >= sizeof(d->owner_comm))
		n = sizeof(d->owner_comm) - 1;
	memcpy(d->owner_comm, s, n);
	d->owner_comm[n] = '\0';
	return 0;
}

enum { SEEN_DBC = 1, SEEN_STATE = 2, SEEN_QUEUED = 4, SEEN_COMPLETED = 8, SEEN_ALL = 15 };

int dbc_dfs_parse(const char *text, struct dbc_dfs *out)
{
	unsigned int seen = 0, fifo = 0, oldest = 0;
	const char *line = text;

	memset(out, 0, sizeof(*out));
	while (line && *line) {
		const char *next = strchr(line, '\n');
		const char *val = strchr(line, ' ');
		char key[32];
		size_t klen;
		int bad = 0;

		if (!val || (next && val > next))
			goto next_line;	/* no "key value" shape: not ours */
		klen = (size_t)(val - line);
		val++;
		if (klen >= sizeof(key))
			goto next_line;
		memcpy(key, line, klen);
		key[klen] = '\0';
		if (!strcmp(key, "dbc")) {
			bad = parse_u32(val, &out->dbc);
			seen |= SEEN_DBC;
		} else if (!strcmp(key, "state")) {
			if (!strncmp(val, "assigned", 8) && (val[8] == '\n' || !val[8]))
				out->assigned = true;
			else if (strncmp(val, "free", 4) || (val[4] != '\n' && val[4]))
				bad = 1;
			seen |= SEEN_STATE;
		} else if (!strcmp(key, "owner")) {
			bad = parse_owner(val, out);
		} else if (!strcmp(key, "fifo_size")) {
			bad = parse_u32(val, &out->fifo_size);
		} else if (!strcmp(key, "req_head")) {
			bad = parse_u32(val, &out->req_head);
			fifo |= 1;
		} else if (!strcmp(key, "req_tail")) {
			bad = parse_u32(val, &out->req_tail);
			fifo |= 2;
		} else if (!strcmp(key, "rsp_head")) {
			bad = parse_u32(val, &out->rsp_head);
			fifo |= 4;
		} else if (!strcmp(key, "rsp_tail")) {
			bad = parse_u32(val, &out->rsp_tail);
			fifo |= 8;
		} else if (!strcmp(key, "queued_bos")) {
			bad = parse_u32(val, &out->queued_bos);
			seen |= SEEN_QUEUED;
		} else if (!strcmp(key, "queued_elements")) {
			bad = parse_u32(val, &out->queued_elements);
		} else if (!strcmp(key, "oldest_seq")) {
			bad = parse_u64(val, &out->oldest_seq);
			oldest |= 1;
		} else if (!strcmp(key, "oldest_req_id")) {
			bad = parse_u32(val, &out->oldest_req_id);
			oldest |= 2;
		} else if (!strcmp(key, "oldest_age_ns")) {
			bad = parse_u64(val, &out->oldest_age_ns);
			oldest |= 4;
		} else if (!strcmp(key, "submitted")) {
			bad = parse_u64(val, &out->submitted);
		} else if (!strcmp(key, "completed")) {
			bad = parse_u64(val, &out->completed);
			seen |= SEEN_COMPLETED;
		} else if (!strcmp(key, "last_completion_ns")) {
			bad = parse_u64(val, &out->last_completion_ns);
			out->has_last_completion = true;
		} else if (!strcmp(key, "irqs")) {
			bad = parse_u64(val, &out->irqs);
		}
		if (bad)
			return -EINVAL;
next_line:
		line = next ? next + 1 : NULL;
	}
	if (seen != SEEN_ALL)
		return -EINVAL;
	out->has_fifo = fifo == 15 && out->fifo_size;
	out->has_oldest = oldest == 7;
	if (out->has_fifo && (out->req_head >= out->fifo_size || out->req_tail >= out->fifo_size ||
			      out->rsp_head >= out->fifo_size || out->rsp_tail >= out->fifo_size))
		out->has_fifo = false;	/* a register read that failed (all ones) */
	return 0;
}

static uint32_t ring_used(uint32_t head, uint32_t tail, uint32_t size)
{
	return size ? (tail + size - head) % size : 0;
}

uint32_t dbc_dfs_req_pending(const struct dbc_dfs *d)
{
	return d->has_fifo ? ring_used(d->req_head, d->req_tail, d->fifo_size) : 0;
}

uint32_t dbc_dfs_rsp_pending(const struct dbc_dfs *d)
{
	return d->has_fifo ? ring_used(d->rsp_head, d->rsp_tail, d->fifo_size) : 0;
}

bool dbc_dfs_card_is(const char *card, const char *parent)
{
	size_t pl = strlen(SIM_PDEV_PREFIX), cl = strlen(SIM_CARD_PREFIX);

	if (!strcmp(card, parent))
		return true;
	return !strncmp(parent, SIM_PDEV_PREFIX, pl) && !strncmp(card, SIM_CARD_PREFIX, cl) &&
	       parent[pl] && !strcmp(parent + pl, card + cl);
}

int dbc_dfs_root(char *buf, size_t size)
{
	char line[1024], dev[256], mnt[512], type[64];
	bool found = false;
	FILE *f;

	f = fopen("/proc/mounts", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %511s %63s", dev, mnt, type) == 3 &&
		    !strcmp(type, "debugfs")) {
			found = true;
			break;
		}
	}
	fclose(f);
	if (!found)
		return -ENOENT;
	if (snprintf(buf, size, "%s/qaic", mnt) >= (int)size)
		return -ENAMETOOLONG;
	if (access(buf, R_OK | X_OK))
		return errno == ENOENT ? -ENODEV : -errno;
	return 0;
}

/* The basename of a device's sysfs "device" link, e.g. "qaic-sim.0". */
static int parent_name(const struct qaic_device_info *info, char *buf, size_t size)
{
	char link[QAIC_PATH_MAX + 16], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "%s/device", info->sysfs);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (snprintf(buf, size, "%s", base) >= (int)size)
		return -ENAMETOOLONG;
	return 0;
}

int dbc_dfs_cards(const char *root, struct dbc_dfs_card *out, int max)
{
	static struct qaic_device_info devs[MAX_DEVICES];
	char parent[MAX_DEVICES][256];
	struct dirent *de;
	int n = 0, ndev, i, j;
	DIR *d;

	d = opendir(root);
	if (!d)
		return -errno;
	while (n < max && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (snprintf(out[n].dir, sizeof(out[n].dir), "%s/%s", root, de->d_name) >=
		    (int)sizeof(out[n].dir) ||
		    snprintf(out[n].name, sizeof(out[n].name), "%s", de->d_name) >=
		    (int)sizeof(out[n].name))
			continue;
		out[n].minor = -1;
		n++;
	}
	closedir(d);

	ndev = qaic_device_list(devs, MAX_DEVICES);
	if (ndev > MAX_DEVICES)
		ndev = MAX_DEVICES;
	for (j = 0; j < ndev; j++)
		if (parent_name(&devs[j], parent[j], sizeof(parent[j])))
			parent[j][0] = '\0';
	for (i = 0; i < n; i++)
		for (j = 0; j < ndev; j++)
			if (parent[j][0] && dbc_dfs_card_is(out[i].name, parent[j]))
				out[i].minor = (int32_t)devs[j].minor;
	if (n == 1 && ndev == 1)
		out[0].minor = (int32_t)devs[0].minor;
	return n;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int dbc_dfs_read(const char *card_dir, uint32_t dbc, struct dbc_dfs *out, uint64_t *t0,
		 uint64_t *t1)
{
	char path[600], text[FILE_MAX];
	size_t len = 0;
	ssize_t n = 0;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/dbc%u", card_dir, dbc);
	*t0 = mono_ns();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* seq_file: one read returns the whole (small) file; loop anyway */
	while (len < sizeof(text) - 1) {
		n = read(fd, text + len, sizeof(text) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	ret = n < 0 ? -errno : 0;
	close(fd);
	*t1 = mono_ns();
	if (ret)
		return ret;
	text[len] = '\0';
	return dbc_dfs_parse(text, out);
}
