/* SPDX-License-Identifier: MIT */
/*
 * libqaic: the open userspace library for Qualcomm Cloud AI 100 (qaic) devices.
 *
 * Installed as <qaic/qaic.h>, next to its own copy of the kernel uAPI header
 * (<qaic/qaic_accel.h>, binary compatible with upstream Linux's
 * include/uapi/drm/qaic_accel.h). Build flags come from `pkg-config qaic`.
 *
 * Conventions, for every function below unless its comment says otherwise:
 * - Errors are returned as a negative errno value, and errno is set to the
 *   same (positive) value, so either style of checking works.
 * - Nothing is printed; messages are the caller's business.
 * - Every pointer argument is checked: NULL gives -EINVAL.
 * - A struct qaic_dev is not thread-safe; use one per thread, or lock.
 */
#ifndef QAIC_H_
#define QAIC_H_

#include <stddef.h>
#include <stdint.h>

#include "qaic_accel.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define QAIC_API __attribute__((visibility("default")))

/* ------------------------------------------------------------------------ */
/* Device discovery                                                          */
/* ------------------------------------------------------------------------ */

/* Longest node or sysfs path a struct qaic_device_info holds, NUL included. */
#define QAIC_PATH_MAX	256

enum qaic_node_kind {
	QAIC_NODE_ACCEL = 1,	/* /dev/accel/accelN (Linux >= 6.2) */
	QAIC_NODE_RENDER = 2,	/* /dev/dri/renderDN (older kernels) */
};

struct qaic_device_info {
	char node[QAIC_PATH_MAX];	/* device node to open, e.g. /dev/accel/accel0 */
	char sysfs[QAIC_PATH_MAX];	/* its class directory, e.g. /sys/class/accel/accel0 */
	unsigned int minor;		/* N of accelN, or of renderDN */
	enum qaic_node_kind kind;
};

/*
 * Find the qaic devices of this machine: accel nodes listed under
 * /sys/class/accel and render nodes listed under /sys/class/drm whose driver
 * is qaic (from the sysfs driver link, the uevent DRIVER= line or the
 * driver's qaic/ attribute directory; only when sysfs names no driver at all
 * is the node opened to ask its DRM driver name). Accel nodes come first, then render nodes, each by minor, so an
 * index into the list is stable while the set of devices does not change.
 *
 * Fills at most max entries of out and returns how many devices exist (which
 * may exceed max, as snprintf does); out may be NULL when max is 0.
 * Returns 0 when none is found, including when the driver is not loaded.
 */
QAIC_API int qaic_device_list(struct qaic_device_info *out, int max);

/*
 * qaic_device_list() with every /sys and /dev path taken below root instead of
 * /: for tests, and for inspecting a sysfs tree captured from another machine.
 * root NULL or "" means the live system. Node and sysfs paths in out include
 * the root prefix.
 */
QAIC_API int qaic_device_list_root(const char *root, struct qaic_device_info *out, int max);

/* "accel" or "render"; "?" for any other value. Never NULL. */
QAIC_API const char *qaic_node_kind_name(enum qaic_node_kind kind);

/*
 * Read the driver's sysfs attribute <info->sysfs>/device/qaic/<name> into buf
 * (NUL-terminated, trailing newline removed). name is a plain file name: no
 * '/', not "." or "..". Returns the string length, -ENOENT when the driver
 * does not expose the attribute, -EOVERFLOW when it does not fit in size.
 */
QAIC_API int qaic_device_attr(const struct qaic_device_info *info, const char *name,
			      char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Opening a device                                                          */
/* ------------------------------------------------------------------------ */

struct qaic_dev;

/*
 * Open a device node (accel or render) read-write and check that its DRM
 * driver is qaic: -ENODEV if it is another driver or not a DRM node at all,
 * the open(2) errno (-ENOENT, -EACCES, ...) if it cannot be opened.
 * On success *out is a handle to release with qaic_close(); on error *out is
 * set to NULL.
 */
QAIC_API int qaic_open(const char *path, struct qaic_dev **out);

/* Open entry n (0-based) of qaic_device_list(); -ENODEV if there is none. */
QAIC_API int qaic_open_index(int n, struct qaic_dev **out);

/* Close the node and free the handle. NULL is accepted and ignored. */
QAIC_API void qaic_close(struct qaic_dev *dev);

/*
 * The open file descriptor, for ioctls this library does not wrap and for
 * poll(2). It stays owned by dev: do not close it. -EINVAL if dev is NULL.
 */
QAIC_API int qaic_fd(const struct qaic_dev *dev);

/* The kernel driver's DRM version (DRM_IOCTL_VERSION, via drmGetVersion). */
QAIC_API int qaic_version(struct qaic_dev *dev, int *major, int *minor);

/* ------------------------------------------------------------------------ */
/* MANAGE messages: building requests                                        */
/* ------------------------------------------------------------------------ */

/* struct qaic_msg.state */
enum qaic_msg_state {
	QAIC_MSG_REQUEST = 0,	/* being built; a zeroed qaic_msg is an empty request */
	QAIC_MSG_REPLY = 1,	/* buf holds the kernel's complete reply */
	QAIC_MSG_REPLY_PARTIAL = 2,	/* the device refused a transaction
					 * (qaic_manage gave -ECANCELED): buf holds
					 * the reply, at least up to and including
					 * the refusal (upstream's driver stops
					 * decoding there)
					 */
};

/*
 * One DRM_IOCTL_QAIC_MANAGE message. Build it with qaic_msg_init() and the
 * qaic_msg_add_*() functions, send it with qaic_manage(), which replaces the
 * request in buf with the kernel's reply, then read the reply with
 * qaic_reply_iter_init()/qaic_reply_next() or qaic_reply_find().
 * Fields are readable; change them only through these functions.
 * Transactions in buf are in host byte order, as the uAPI defines them.
 */
struct qaic_msg {
	uint32_t len;		/* bytes of transactions in buf */
	uint32_t count;		/* number of transactions (a reply's count is the device's) */
	uint32_t deactivates;	/* DEACTIVATE_FROM_USR transactions in the request */
	uint32_t state;		/* enum qaic_msg_state */
	uint8_t buf[QAIC_MANAGE_MAX_MSG_LENGTH];
};

/* Make msg an empty request. */
QAIC_API int qaic_msg_init(struct qaic_msg *msg);

/*
 * Builders: each appends one transaction to a request. All return 0, or
 * -EINVAL for a bad argument or a msg that already holds a reply (call
 * qaic_msg_init() again), -E2BIG when the transaction can never fit in a
 * message, -ENOSPC when it does not fit in what is left of this one (the
 * message is left unchanged).
 */

/* STATUS_FROM_USR: ask for the NNC protocol version and status flags. */
QAIC_API int qaic_msg_add_status(struct qaic_msg *msg);

/*
 * ACTIVATE_FROM_USR: ask for a DBC whose queues hold queue_size (> 0)
 * elements each; options is passed to the device unchanged.
 */
QAIC_API int qaic_msg_add_activate(struct qaic_msg *msg, uint32_t queue_size,
				   uint32_t options);

/* DEACTIVATE_FROM_USR: release DBC dbc_id, which this client activated. */
QAIC_API int qaic_msg_add_deactivate(struct qaic_msg *msg, uint32_t dbc_id);

/*
 * PASSTHROUGH_FROM_USR: len (> 0) bytes of payload for the device firmware,
 * zero-padded to a multiple of 8 bytes (the transaction's len counts the
 * padding; the firmware's own format must tell it where the payload ends).
 */
QAIC_API int qaic_msg_add_passthrough(struct qaic_msg *msg, const void *payload, size_t len);

/*
 * DMA_XFER_FROM_USR: have the kernel copy size (> 0) bytes of this process's
 * memory at addr to the device, under the firmware-defined tag. The memory
 * must stay valid until qaic_manage() returns.
 */
QAIC_API int qaic_msg_add_dma_xfer(struct qaic_msg *msg, uint32_t tag, const void *addr,
				   uint64_t size);

/* ------------------------------------------------------------------------ */
/* MANAGE messages: sending                                                  */
/* ------------------------------------------------------------------------ */

/*
 * Send msg (a non-empty request) with DRM_IOCTL_QAIC_MANAGE. The kernel
 * rewrites buf in place with the reply and sets len and count.
 * Returns 0 with msg->state QAIC_MSG_REPLY; -ECANCELED when the device
 * refused a transaction, with msg->state QAIC_MSG_REPLY_PARTIAL and the
 * refusal's status readable in the reply; any other error leaves msg a request
 * (-ENODEV: device not ONLINE, -EINVAL: the kernel rejected the request,
 * -EBADMSG: the kernel claimed a reply longer than the buffer).
 */
QAIC_API int qaic_manage(struct qaic_dev *dev, struct qaic_msg *msg);

/*
 * Put a reply obtained by other means (a capture, a raw ioctl) into msg, to
 * parse it with the functions below. len bytes are copied from data (which
 * may be NULL when len is 0). msg->deactivates is kept: set it through the
 * request that produced the reply. -E2BIG if len exceeds the buffer.
 */
QAIC_API int qaic_msg_set_reply(struct qaic_msg *msg, const void *data, uint32_t len,
				uint32_t count);

/* ------------------------------------------------------------------------ */
/* MANAGE messages: reading replies                                          */
/* ------------------------------------------------------------------------ */

/* A view of one reply transaction; data points into the qaic_msg. */
struct qaic_trans {
	uint32_t type;		/* QAIC_TRANS_* */
	uint32_t len;		/* whole transaction, header included */
	const uint8_t *data;	/* the len - 8 bytes after the header */
	uint32_t data_len;
};

struct qaic_reply_iter {
	const struct qaic_msg *msg;
	uint32_t off;
	uint32_t index;
};

/*
 * Check a whole reply before anything of it is read, then start iterating.
 * Every transaction header must have len >= 8, a multiple of 8, and within
 * the bytes that remain; the transactions must fill len exactly; and their
 * number must agree with count. count may exceed the transactions present
 * only by the DEACTIVATE_FROM_USR transactions of the request (upstream's
 * driver consumes their DEACTIVATE_FROM_DEV answers) or, in a partial reply,
 * by the transactions the device never reached.
 * -EINVAL if msg holds no reply, -EBADMSG if the reply is malformed.
 * Unknown transaction types are not an error: the iterator returns them.
 */
QAIC_API int qaic_reply_iter_init(struct qaic_reply_iter *it, const struct qaic_msg *msg);

/* Next transaction into *t: returns 1, or 0 at the end (t untouched). */
QAIC_API int qaic_reply_next(struct qaic_reply_iter *it, struct qaic_trans *t);

/*
 * The first transaction of the given type in msg's reply (after the same
 * checks as qaic_reply_iter_init). -ENOMSG if there is none.
 */
QAIC_API int qaic_reply_find(const struct qaic_msg *msg, uint32_t type, struct qaic_trans *t);

/*
 * Typed getters: -ENOMSG when t is of another type, -EBADMSG when it is too
 * short for its type. They report the device's status as data; they do not
 * turn it into an error.
 */
struct qaic_activate_reply {
	uint32_t status;	/* 0: the DBC is yours */
	uint32_t dbc_id;
	uint64_t options;
};

struct qaic_status_reply {
	uint16_t major;		/* NNC protocol version */
	uint16_t minor;
	uint32_t status;
	uint64_t flags;		/* bit 0: the device wants CRCs on messages */
};

/*
 * Upstream's driver does not pass DEACTIVATE_FROM_DEV to the user, so most
 * replies to a DEACTIVATE carry none; a driver that does uses this layout.
 */
struct qaic_deactivate_reply {
	uint32_t status;
	uint32_t dbc_id;
};

QAIC_API int qaic_trans_get_activate(const struct qaic_trans *t, struct qaic_activate_reply *out);
QAIC_API int qaic_trans_get_status(const struct qaic_trans *t, struct qaic_status_reply *out);
QAIC_API int qaic_trans_get_deactivate(const struct qaic_trans *t,
				       struct qaic_deactivate_reply *out);

/* PASSTHROUGH_FROM_DEV: the firmware's payload, padding included. */
QAIC_API int qaic_trans_get_passthrough(const struct qaic_trans *t, const void **payload,
					size_t *len);

/* ------------------------------------------------------------------------ */
/* Convenience: one transaction, one ioctl                                   */
/* ------------------------------------------------------------------------ */

/*
 * STATUS. Fills *out and returns 0; when the device answers with a nonzero
 * status, *out is still filled and -ECANCELED is returned.
 */
QAIC_API int qaic_status(struct qaic_dev *dev, struct qaic_status_reply *out);

/* The NNC protocol version the device's firmware speaks (through STATUS). */
QAIC_API int qaic_nnc_version(struct qaic_dev *dev, uint16_t *major, uint16_t *minor);

/*
 * ACTIVATE a DBC with queue_size-element queues and no options; *dbc_id
 * receives its id. -ECANCELED when the device refuses (e.g. none free).
 */
QAIC_API int qaic_activate(struct qaic_dev *dev, uint32_t queue_size, uint32_t *dbc_id);

/* DEACTIVATE a DBC this client activated; -EPERM/-EINVAL from the kernel otherwise. */
QAIC_API int qaic_deactivate(struct qaic_dev *dev, uint32_t dbc_id);

/* ------------------------------------------------------------------------ */
/* Buffer objects                                                            */
/* ------------------------------------------------------------------------ */

/*
 * The data path, as upstream's uAPI defines it: a client creates buffer
 * objects (BOs, GEM handles of this open file), maps them to fill or read
 * them, slices them onto one of its DBCs (each slice: a byte range of the BO,
 * the device address it moves to or from, up to four semaphore commands and
 * a doorbell write), then executes them on that DBC and waits for them.
 * Handles belong to the struct qaic_dev that created or imported them.
 *
 * These calls keep no state in a struct qaic_dev: several threads may make
 * them on one dev at once (e.g. one thread executing while another waits).
 */

/* Transfer direction of a sliced BO (qaic_attach_slice_hdr.dir and
 * qaic_execute_entry.dir). */
enum qaic_dir {
	QAIC_DIR_TO_DEV = 1,	/* host memory -> device */
	QAIC_DIR_FROM_DEV = 2,	/* device -> host memory */
};

/*
 * CREATE_BO: a BO of size (> 0) bytes; the kernel rounds the size up to
 * whole pages. *handle receives its GEM handle.
 */
QAIC_API int qaic_bo_create(struct qaic_dev *dev, uint64_t size, uint32_t *handle);

/*
 * MMAP_BO, then mmap(2) of size bytes (> 0, at most the BO's size) of the
 * BO, readable and writable, shared with the device. *addr receives the
 * mapping (NULL on error); release it with qaic_bo_munmap(). A mapping stays
 * valid after qaic_bo_close() until it is unmapped.
 */
QAIC_API int qaic_bo_mmap(struct qaic_dev *dev, uint32_t handle, uint64_t size, void **addr);

/* munmap(2) a mapping made by qaic_bo_mmap() with the same size. */
QAIC_API int qaic_bo_munmap(void *addr, uint64_t size);

/*
 * Release the handle (DRM_IOCTL_GEM_CLOSE, through libdrm). The BO itself
 * lives on while it is mapped, exported or queued.
 */
QAIC_API int qaic_bo_close(struct qaic_dev *dev, uint32_t handle);

/*
 * PRIME export (through libdrm): a dma-buf file descriptor for the BO,
 * close-on-exec and read-write, in *prime_fd (-1 on error). Close it with
 * close(2).
 */
QAIC_API int qaic_bo_export(struct qaic_dev *dev, uint32_t handle, int *prime_fd);

/*
 * PRIME import (through libdrm): a handle of this dev for the dma-buf
 * prime_fd (>= 0), which may come from another device or process. Importing
 * the same buffer twice gives the same handle.
 */
QAIC_API int qaic_bo_import(struct qaic_dev *dev, int prime_fd, uint32_t *handle);

/* ------------------------------------------------------------------------ */
/* Slices                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * A slice is one struct qaic_attach_slice_entry (the uAPI struct itself).
 * The builders below fill one without getting a field wrong; the kernel
 * turns each slice into DMA bridge request elements, one per contiguous run
 * of the BO's memory: the presync semaphore (at most one) gates every
 * element, the postsync commands and the doorbell follow the last one.
 */

/*
 * Start a slice: bytes [offset, offset + size) of the BO move to (or from)
 * device address dev_addr. No semaphore, no doorbell. size 0 is a slice
 * without a transfer (semaphores and doorbell only), as upstream defines it.
 * -EINVAL if e is NULL or offset + size overflows.
 */
QAIC_API int qaic_slice_init(struct qaic_attach_slice_entry *e, uint64_t offset,
			     uint64_t size, uint64_t dev_addr);

/*
 * Write data to the doorbell at device address db_addr after the slice's
 * transfer. bits is the write's width: 32, 16 or 8 (data must fit), and
 * db_addr must be aligned to it. bits 0 removes the doorbell.
 */
QAIC_API int qaic_slice_doorbell(struct qaic_attach_slice_entry *e, uint64_t db_addr,
				 uint32_t data, uint32_t bits);

/* When a semaphore command runs (struct qaic_sem.presync). */
enum qaic_sem_sync {
	QAIC_SEM_POSTSYNC = 0,	/* after the transfer */
	QAIC_SEM_PRESYNC = 1,	/* before it: the condition gates the transfer */
};

/*
 * Add a semaphore command in the first unused of the slice's four slots.
 * cmd is QAIC_SEM_NOP .. QAIC_SEM_WAIT_GT_0, index 0..31, val 0..4095,
 * flags a combination of QAIC_SEM_INSYNCFENCE and QAIC_SEM_OUTSYNCFENCE (a
 * NOP needs one, or it would do nothing). -EINVAL for a value out of range
 * or a second presync command (the hardware takes one), -ENOSPC when all
 * four slots are used.
 */
QAIC_API int qaic_slice_sem(struct qaic_attach_slice_entry *e, enum qaic_sem_sync sync,
			    uint8_t cmd, uint8_t index, uint16_t val, uint8_t flags);

/*
 * Check count slices for a BO of bo_size bytes: every field in range as the
 * kernel checks it (doorbell width and alignment, semaphore fields, padding
 * zero, at most one presync), every slice within the BO, and, stricter than
 * the kernel (which accepts overlaps, as upstream does), no two slices
 * overlapping. Returns 0, or -EINVAL with the index of the first bad slice
 * in *bad (bad may be NULL).
 */
QAIC_API int qaic_slice_check(const struct qaic_attach_slice_entry *e, uint32_t count,
			      uint64_t bo_size, uint32_t *bad);

/*
 * ATTACH_SLICE_BO: slice the BO onto DBC dbc_id (which this client
 * activated) for transfers in direction dir, with count (> 0) slices.
 * Kernel errors: -EINVAL (bad slice, BO already sliced, DBC not yours),
 * -ENOENT (unknown handle), -ENOSPC (more elements than the DBC's queue).
 */
QAIC_API int qaic_bo_attach(struct qaic_dev *dev, uint32_t handle, uint32_t dbc_id,
			    enum qaic_dir dir, const struct qaic_attach_slice_entry *e,
			    uint32_t count);

/* DETACH_SLICE_BO: drop the BO's slices; -EBUSY while it is queued. */
QAIC_API int qaic_bo_detach(struct qaic_dev *dev, uint32_t handle);

/* ------------------------------------------------------------------------ */
/* Execute, wait, statistics                                                 */
/* ------------------------------------------------------------------------ */

/*
 * EXECUTE_BO: queue count (> 0) sliced BOs on DBC dbc_id, in order, in one
 * call (dir of each entry: QAIC_DIR_*). Returns once they are queued.
 * -EAGAIN when the DBC's request queue has no room for all of them (nothing
 * is queued: wait for earlier work and try again; libqaic never retries
 * it), -EINVAL for a BO not sliced or still queued, -EPERM for a DBC that is
 * not yours, -ENODEV when the device went away.
 */
QAIC_API int qaic_execute(struct qaic_dev *dev, uint32_t dbc_id,
			  const struct qaic_execute_entry *e, uint32_t count);

/*
 * PARTIAL_EXECUTE_BO: as qaic_execute(), but only the first resize bytes of
 * each BO are transferred (resize <= the BO's size; 0: no transfer at all,
 * semaphores and doorbells still run).
 */
QAIC_API int qaic_partial_execute(struct qaic_dev *dev, uint32_t dbc_id,
				  const struct qaic_partial_execute_entry *e, uint32_t count);

/*
 * WAIT_BO: block until the BO's last execution on DBC dbc_id is complete,
 * for at most timeout_ms (0: the driver's default, upstream's
 * wait_exec_default_timeout_ms). A BO already complete returns at once.
 * -ETIMEDOUT; -EINTR when a signal handler installed without SA_RESTART
 * runs (unlike drmIoctl, libqaic does not restart the wait, so a handler can
 * stop a waiter); -ENOENT for an unknown handle; -EPERM for a DBC not yours,
 * or released while waiting (deactivate, device reset, driver unbind);
 * -ENODEV for a device that is not ONLINE when the wait starts. A request
 * the device completed with an error status still returns 0, as upstream's
 * driver does: the status is in the qaic:qaic_bo_complete tracepoint, the
 * DBC's debugfs device_errors count and qaic-prof's error counts.
 */
QAIC_API int qaic_wait(struct qaic_dev *dev, uint32_t dbc_id, uint32_t handle,
		       uint32_t timeout_ms);

/*
 * PERF_STATS_BO: for each of count (> 0) entries, fill in the statistics
 * of the last execution of BO e[i].handle (set by the caller) on DBC
 * dbc_id: queue level before, elements queued, submit and device latency
 * in microseconds.
 */
QAIC_API int qaic_perf_stats(struct qaic_dev *dev, uint32_t dbc_id,
			     struct qaic_perf_stats_entry *e, uint16_t count);

/* ------------------------------------------------------------------------ */
/* Simulated networks (qaic_sim.ko only)                                     */
/* ------------------------------------------------------------------------ */

/*
 * A real card runs compiled programs, loaded with tools that know their
 * format; nothing below applies to one. The simulated card (qaic_sim.ko)
 * instead runs a "network" described by these numbers: how many bytes go in
 * and out per inference, how many NSPs it occupies and how long it computes.
 * The description travels as the payload of a PASSTHROUGH transaction
 * (struct simnet_desc of qaic_sim_net.h, little endian); the generic message
 * API above is what carries it, and stays usable for any other firmware
 * payload.
 */

/* struct qaic_simnet.dist: per-inference compute time distribution */
enum qaic_simnet_dist {
	QAIC_SIMNET_FIXED = 0,		/* always mean_ns */
	QAIC_SIMNET_NORMAL = 1,		/* normal(mean_ns, stddev_ns), clamped at 0 */
	QAIC_SIMNET_LOGNORMAL = 2,	/* median mean_ns, sigma = stddev_ns / 1e9 */
	QAIC_SIMNET_BIMODAL = 3,	/* normal(mean_ns, stddev_ns), or with probability
					 * alt_permille / 1000
					 * normal(alt_mean_ns, alt_stddev_ns)
					 */
};

#define QAIC_SIMNET_MAX_NSP	16

struct qaic_simnet {
	uint32_t net_id;		/* chosen by the caller, unique per client */
	uint32_t nsp_count;		/* 1..QAIC_SIMNET_MAX_NSP */
	uint64_t input_bytes;		/* sent per inference */
	uint64_t output_bytes;		/* returned per inference */
	uint64_t input_dev_addr;	/* device DDR address of the input buffer */
	uint64_t output_dev_addr;	/* device DDR address of the output buffer */
	uint32_t dist;			/* enum qaic_simnet_dist */
	uint32_t seed;
	uint64_t mean_ns;
	uint64_t stddev_ns;
	uint64_t alt_mean_ns;
	uint64_t alt_stddev_ns;
	uint32_t alt_permille;		/* 0..1000 */
	uint32_t sem_index;		/* semaphore the program signals when done, 0..31 */
	uint32_t doorbell;		/* doorbell data value that starts the program */
	uint32_t weights_tag;		/* DMA_XFER tag of the weights; 0: no weights */
	uint64_t weights_bytes;		/* size of the weights */
	const void *weights;		/* weights_bytes bytes, sent after the descriptor */
};

/* What the simulated firmware answered. */
struct qaic_simnet_reply {
	uint32_t status;		/* 0, or the firmware's NNC_STATUS_* code */
	uint32_t net_id;
};

/*
 * Append a PASSTHROUGH carrying a LOAD descriptor for net and, when the
 * network has weights, a DMA_XFER of them under weights_tag (the firmware
 * learns their size from the descriptor, which is why the descriptor comes
 * first). -EINVAL when a field is out of range (nsp_count, dist,
 * alt_permille, sem_index) or the weights fields disagree (weights_tag,
 * weights_bytes and weights all set, or all zero/NULL). Other errors as for
 * the builders above; on any error nothing is appended.
 */
QAIC_API int qaic_msg_add_simnet_load(struct qaic_msg *msg, const struct qaic_simnet *net);

/* Append a PASSTHROUGH carrying an UNLOAD descriptor for net_id. */
QAIC_API int qaic_msg_add_simnet_unload(struct qaic_msg *msg, uint32_t net_id);

/*
 * Read the simulated firmware's answer from a PASSTHROUGH_FROM_DEV.
 * -ENOMSG for another type, -EBADMSG when short or without the sim's magic.
 */
QAIC_API int qaic_trans_get_simnet(const struct qaic_trans *t, struct qaic_simnet_reply *out);

/*
 * Load (or replace) net on the simulated device, with its weights if any.
 * The firmware's refusal becomes an errno: -EINVAL (bad descriptor),
 * -ENOSPC (too many networks, device memory full), -EPERM (owned by another
 * client), -ENOENT (unknown), -EIO (any other code); -EBADMSG when the
 * answer is missing or names another network. If the descriptor is accepted
 * but the weights transfer fails, the network stays loaded without them:
 * unload it, or load it again.
 */
QAIC_API int qaic_simnet_load(struct qaic_dev *dev, const struct qaic_simnet *net);

/* Unload network net_id; -ENOENT if the device does not know it. */
QAIC_API int qaic_simnet_unload(struct qaic_dev *dev, uint32_t net_id);

/* ------------------------------------------------------------------------ */
/* Running a simulated network (qaic_sim.ko only)                            */
/* ------------------------------------------------------------------------ */

/*
 * How a loaded network runs on the sim's DMA bridge (qaic_sim_net.h): an
 * input BO moves input_bytes TO_DEV to input_dev_addr and then writes the
 * network's doorbell value (32 bits) at QAIC_SIMNET_DOORBELL_ADDR, which
 * starts one inference; an output BO whose first request element waits on
 * semaphore sem_index with a presync QAIC_SEM_WAIT_GT_0 ("P": wait for > 0,
 * then decrement), which the inference increments when done, then moves
 * output_bytes FROM_DEV from output_dev_addr. Executing the input BO and
 * then the output BO on the DBC runs one inference; the DBC processes its
 * queue in order, so the output of one inference is read before the next
 * input lands.
 *
 * The kernel repeats a slice's presync command on every request element of
 * the slice (one per contiguous run of memory), and a "P" must run once per
 * inference, so the output BO carries two slices: its first page, gated by
 * the "P" (one element: a page never spans two runs), and the rest, if any,
 * without semaphores.
 *
 * Real cards run compiled programs with their own buffers, semaphores and
 * doorbells; the generic calls above are the ones to use for them.
 */

/* Where the sim's DMA bridge listens for network doorbells (outside DDR). */
#define QAIC_SIMNET_DOORBELL_ADDR	0x0000100000000000ULL

/*
 * qaic_simnet_place() gives DBC n the device DDR range
 * [n * QAIC_SIMNET_DBC_SPAN, (n + 1) * QAIC_SIMNET_DBC_SPAN): input in its
 * first half, output in its second. Networks running at the same time must
 * not share DDR, and each DBC has one owner, so per-DBC ranges keep clients
 * apart. 16 DBCs use the first 4 GiB (the sim's DDR is 16 GiB by default;
 * its firmware keeps DMA_XFER data in the upper half).
 */
#define QAIC_SIMNET_DBC_SPAN		(256ULL << 20)

/*
 * Set net->input_dev_addr and output_dev_addr to DBC dbc_id's range.
 * -EINVAL if net is NULL, input_bytes or output_bytes is 0, or dbc_id >= 32
 * (32 spans fill the lower 8 GiB); -E2BIG if input_bytes or output_bytes
 * exceeds half the span.
 */
QAIC_API int qaic_simnet_place(struct qaic_simnet *net, uint32_t dbc_id);

/* What the helper creates for one inference; see qaic_simnet_plan(). */
struct qaic_simnet_plan {
	uint64_t in_bo_size;		/* input BO: input_bytes, rounded up to pages */
	uint64_t out_bo_size;		/* output BO: output_bytes, rounded up to pages */
	uint32_t in_count;		/* slices of the input BO (1) */
	uint32_t out_count;		/* slices of the output BO (1 or 2) */
	struct qaic_attach_slice_entry in_slices[1];
	struct qaic_attach_slice_entry out_slices[2];
	/*
	 * Most request elements one inference may take in the DBC's queue:
	 * one per page of each slice at worst (the kernel makes one per
	 * contiguous run of pages, so usually far fewer). Size the queue at
	 * ACTIVATE from this.
	 */
	uint32_t max_elements;
};

/*
 * The slices and BO sizes the sim network helper uses for net, for a
 * kernel whose page size is page_size (a power of two, >= 4096; e.g.
 * sysconf(_SC_PAGESIZE)). Pure: no device is involved. -EINVAL for a NULL
 * pointer, a bad page size, input_bytes or output_bytes 0 or above 1 TiB,
 * or a sem_index > 31.
 */
QAIC_API int qaic_simnet_plan(const struct qaic_simnet *net, uint64_t page_size,
			      struct qaic_simnet_plan *plan);

/*
 * Check an inference's output against its input with the network's
 * deterministic transform (out[k] = in[k % in_len] ^ (uint8_t)(k * 7 + 0x5a)).
 * Returns 0 when every byte matches, or -EBADMSG with the offset of the
 * first wrong byte in *first_bad (first_bad may be NULL). -EINVAL for NULL
 * buffers or a zero length.
 */
QAIC_API int qaic_simnet_check(const void *in, uint64_t in_len, const void *out,
			       uint64_t out_len, uint64_t *first_bad);

/*
 * A set of `slots` input/output BO pairs for one loaded network on one DBC,
 * created, mapped and sliced per the plan above. Slots let a caller keep
 * several inferences queued (pipelining) or submit several in one execute
 * (batching). Calls on different slots may run in different threads at
 * once; calls on one slot must not overlap.
 */
struct qaic_simnet_io;

/* Most slots one set holds. */
#define QAIC_SIMNET_IO_MAX_SLOTS	4096

/*
 * Create the set for net (loaded on dev by this client, addresses placed)
 * on DBC dbc_id (activated by this client, its queue large enough for
 * max_elements per slot queued at once), with slots (1..4096) pairs of BOs.
 * Inputs start zeroed. On error nothing is left behind and *out is NULL.
 * Kernel errors as for qaic_bo_create/mmap/attach.
 */
QAIC_API int qaic_simnet_io_create(struct qaic_dev *dev, const struct qaic_simnet *net,
				   uint32_t dbc_id, uint32_t slots,
				   struct qaic_simnet_io **out);

/*
 * Detach, unmap and close every BO of the set and free it. Call it only
 * when nothing of the set is queued (after waiting); NULL is ignored.
 */
QAIC_API void qaic_simnet_io_destroy(struct qaic_simnet_io *io);

/* Number of slots; -EINVAL if io is NULL. */
QAIC_API int qaic_simnet_io_slots(const struct qaic_simnet_io *io);

/*
 * The mapped input (input_bytes long) or output (output_bytes long) of a
 * slot. NULL, with errno EINVAL, for a NULL io or a slot out of range.
 */
QAIC_API uint8_t *qaic_simnet_io_input(struct qaic_simnet_io *io, uint32_t slot);
QAIC_API uint8_t *qaic_simnet_io_output(struct qaic_simnet_io *io, uint32_t slot);

/* The slot's BO handles, e.g. for qaic_perf_stats() (either pointer may be NULL). */
QAIC_API int qaic_simnet_io_handles(const struct qaic_simnet_io *io, uint32_t slot,
				    uint32_t *in_handle, uint32_t *out_handle);

/* Fill a slot's input with pseudo-random bytes, the same for the same seed. */
QAIC_API int qaic_simnet_io_fill(struct qaic_simnet_io *io, uint32_t slot, uint64_t seed);

/*
 * Start count (1..slots) inferences, one per listed slot, in that order, in
 * one EXECUTE_BO call (input then output BO of each). The slots must be
 * distinct and none still queued. -EAGAIN when the queue has no room
 * (nothing was queued); other errors as for qaic_execute().
 */
QAIC_API int qaic_simnet_io_submit(struct qaic_simnet_io *io, const uint32_t *slots,
				   uint32_t count);

/*
 * Wait for the slot's inference: its output BO, then its input BO (done by
 * then; waited so the slot can be submitted again at once). Errors as for
 * qaic_wait().
 */
QAIC_API int qaic_simnet_io_wait(struct qaic_simnet_io *io, uint32_t slot,
				 uint32_t timeout_ms);

/* qaic_simnet_check() of the slot's output against its input. */
QAIC_API int qaic_simnet_io_verify(struct qaic_simnet_io *io, uint32_t slot,
				   uint64_t *first_bad);

#if defined(__cplusplus)
}
#endif

#endif /* QAIC_H_ */
