#!/bin/sh
# Install the Debian packages qaic-scope needs to build, test and demo.
# Idempotent: returns at once when everything is present. Run as root.
set -eu

BPO_LIST=/etc/apt/sources.list.d/qaic-scope-backports.sources

# Packages from bookworm itself.
BASE_PKGS="build-essential make gcc clang llvm lld pkg-config libelf-dev zlib1g-dev
libbpf-dev bpftool libdrm-dev libcunit1-dev dwarves sparse kmod cpio xz-utils
busybox-static qemu-system-x86 trace-cmd linux-perf bpftrace perf-tools-unstable
linux-source-6.1 perl python3 jq zstd"

have_pkg() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# Kernel images and headers: 6.1 from bookworm, 6.12 from bookworm-backports.
kernels_present() {
	ls /boot/vmlinuz-6.1.* >/dev/null 2>&1 &&
	ls /boot/vmlinuz-6.12.* >/dev/null 2>&1 &&
	ls -d /usr/src/linux-headers-6.1.*-amd64 >/dev/null 2>&1 &&
	ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1 &&
	ls /usr/src/linux-source-6.12.tar.* >/dev/null 2>&1
}

missing=""
for p in $BASE_PKGS; do
	have_pkg "$p" || missing="$missing $p"
done
if [ -z "$missing" ] && kernels_present; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (and/or kernels); run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Derive a bookworm-backports entry from the machine's own bookworm mirror.
if [ ! -e "$BPO_LIST" ]; then
	uri=""
	if [ -e /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { u = $2 } /^Suites:.*(^| )bookworm( |$)/ { print u; exit }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ] && [ -e /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
	fi
	if [ -z "$uri" ]; then
		echo "deps.sh: no bookworm entry found in the apt sources to derive backports from" >&2
		exit 1
	fi
	cat >"$BPO_LIST" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $BASE_PKGS

# The versioned kernel packages behind each suite's metapackage.
dep_of() { # suite package-prefix
	apt-cache depends "linux-image-amd64/$1" 2>/dev/null |
		awk -v p="$2" '$1 == "Depends:" && index($2, p) == 1 { print $2; exit }'
}
k61=$(dep_of bookworm linux-image-6.1)
k612=$(dep_of bookworm-backports linux-image-6.12)
if [ -z "$k61" ] || [ -z "$k612" ]; then
	echo "deps.sh: cannot resolve kernel packages (6.1: '$k61', 6.12: '$k612')" >&2
	exit 1
fi
h61=$(echo "$k61" | sed 's/^linux-image-/linux-headers-/')
h612=$(echo "$k612" | sed 's/^linux-image-/linux-headers-/')
src612=$(apt-cache depends "$h612" 2>/dev/null >/dev/null; \
	apt-cache search --names-only '^linux-source-6\.12$' | awk '{ print $1; exit }')

apt-get install -y -q --no-install-recommends "$k61" "$h61"
apt-get install -y -q --no-install-recommends -t bookworm-backports "$k612" "$h612" ${src612:-}
