#!/bin/sh
# Install the Debian packages fazhi needs, only those that are missing.
# Usage: scripts/deps.sh build|test|run
# Runs apt-get only when something is missing, so repeated `make` calls are fast
# and work offline once everything is there.
set -eu

build_pkgs="gcc make pkg-config libevent-dev libjansson-dev libsqlite3-dev libsodium-dev libssl-dev"
test_pkgs="libcmocka-dev python3 curl"

case "${1:-build}" in
build|run) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
*) echo "usage: $0 build|test|run" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "fazhi: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "fazhi: run as root (or install:$missing)" >&2; exit 1
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
