#!/bin/sh
# make bench: boot the test VM (6.12) once per bench/*.sh and run it there.
# Each prints ratios measured side by side in one run, never absolute
# timings (the VM is emulated: only ratios mean anything). What the benches
# need beyond `make all` (BPF objects) is built first by bench/Makefile.
# Each bench should stay under about 5 minutes; the VM's limit is a guard.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s -C bench
rc=0
for b in bench/*.sh; do
	echo "== $b"
	scripts/vm.sh --kernel 6.12 --timeout 420 -- "QAIC_TOP=\$PWD sh $b" || rc=1
done
exit $rc
