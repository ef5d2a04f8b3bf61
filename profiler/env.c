// SPDX-License-Identifier: MIT
/*
 * Can qaic-prof load its BPF programs here? One clear line for the first
 * thing missing, instead of a libbpf error several layers down.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "prof.h"

/* Capability numbers (linux/capability.h; CAP_PERFMON and CAP_BPF since 5.8). */
#define CAP_BIT_SYS_ADMIN	21
#define CAP_BIT_PERFMON		38
#define CAP_BIT_BPF		39
#define CAP_MASK(bit)		(1ULL << (bit))

uint64_t prof_cap_effective(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return data[0].effective | (uint64_t)data[1].effective << 32;
}

static int exists(const char *sysroot, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", sysroot, rel);
	return stat(path, &st) == 0;
}

int prof_check_env_at(uint64_t cap_effective, const char *sysroot, FILE *err)
{
	int bpf_perfmon = (cap_effective & CAP_MASK(CAP_BIT_BPF)) &&
			  (cap_effective & CAP_MASK(CAP_BIT_PERFMON));

	if (!bpf_perfmon && !(cap_effective & CAP_MASK(CAP_BIT_SYS_ADMIN))) {
		fprintf(err, "qaic-prof: loading BPF programs needs CAP_BPF and CAP_PERFMON "
			"(or CAP_SYS_ADMIN): run it as root\n");
		return PROF_EXIT_NO_PRIV;
	}
	if (!exists(sysroot, "/kernel/btf/vmlinux")) {
		fprintf(err, "qaic-prof: the kernel lacks BTF (no /sys/kernel/btf/vmlinux); "
			"its CO-RE programs need CONFIG_DEBUG_INFO_BTF=y\n");
		return PROF_EXIT_NO_BTF;
	}
	if (!exists(sysroot, "/module/qaic")) {
		fprintf(err, "qaic-prof: the qaic driver is not loaded (no /sys/module/qaic): "
			"load it first (modprobe qaic, or insmod qaic.ko)\n");
		return PROF_EXIT_NO_DRIVER;
	}
	return PROF_EXIT_OK;
}

int prof_check_env(void)
{
	return prof_check_env_at(prof_cap_effective(), "/sys", stderr);
}

int prof_driver_loaded(void)
{
	return exists("/sys", "/module/qaic");
}
