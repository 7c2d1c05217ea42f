#!/bin/sh
# What `make bench` needs beyond the build: wrk, nginx and python3, installed
# with apt-get only when missing (like scripts/deps.sh). Debian's policy-rc.d,
# where present, keeps the packaged nginx service from starting; the benchmark
# runs its own nginx instance on a loopback port with a config in a temp dir.
set -eu

missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
[ -z "$missing" ] && exit 0

echo "fazhi bench: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "fazhi bench: run as root (or install:$missing)" >&2; exit 1
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
