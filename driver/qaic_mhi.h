/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MHI controller for an AIC100: the kernel's MHI host stack (mhi.ko) drives
 * the card's control path through the register access of struct qaic_hw.
 */
#ifndef QAIC_MHI_H_
#define QAIC_MHI_H_

#include <linux/mhi.h>

#include "qaic_hw.h"

/*
 * Register an MHI controller for @hw and start powering it up (async: the
 * channel devices appear once the card reports mission mode). @dev is the
 * card's device and must be the one @hw does DMA with. @status_cb gets
 * mhi.ko's callbacks. Returns the controller or an ERR_PTR.
 */
struct mhi_controller *qaic_mhi_register_controller(struct device *dev, struct qaic_hw *hw,
						    void (*status_cb)(struct mhi_controller *mhi,
								      enum mhi_callback reason));
/* Power down (graceful when @link_up), unregister and free. */
void qaic_mhi_free_controller(struct mhi_controller *mhi, bool link_up);
/* Reset: power down (the channel devices go away) ... */
void qaic_mhi_start_reset(struct mhi_controller *mhi);
/* ... and power up again (they come back in mission mode). */
void qaic_mhi_reset_done(struct mhi_controller *mhi);

#endif /* QAIC_MHI_H_ */
