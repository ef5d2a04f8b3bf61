#!/bin/sh
# Print the release of every installed target kernel (6.12 first, then 6.1)
# whose image and build headers are both present, one per line.
for series in 6.12 6.1; do
	for build in /lib/modules/$series.*/build; do
		[ -e "$build/Makefile" ] || continue
		rel=$(basename "$(dirname "$build")")
		[ -e "/boot/vmlinuz-$rel" ] || continue
		echo "$rel"
	done
done | sort -r -V
