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

#if defined(__cplusplus)
}
#endif

#endif /* QAIC_H_ */
