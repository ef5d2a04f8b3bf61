#!/bin/sh
# make bench: boot the test VM (6.12) and run every bench/*.sh in it. Each
# prints ratios measured side by side in one run, never absolute timings
# (the VM is emulated: only ratios mean anything).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
rc=0
for b in bench/*.sh; do
	echo "== $b"
	scripts/vm.sh --kernel 6.12 --timeout 300 -- "QAIC_TOP=\$PWD sh $b" || rc=1
done
exit $rc
