#!/bin/sh
# Install the Debian packages fazhi needs, only those that are missing.
# Usage: scripts/deps.sh build|test|run|web|e2e
# Runs apt-get only when something is missing, so repeated `make` calls are fast
# and work offline once everything is there.
#   web   Node.js and npm for the browser UI build (Debian's nodejs and npm,
#         installed only when the `node` or `npm` command is missing, so a
#         newer Node already on the machine is used as it is)
#   e2e   the browser tests: Debian's chromium (/usr/bin/chromium) and a CJK font
set -eu

build_pkgs="gcc make pkg-config libevent-dev libjansson-dev libsqlite3-dev libsodium-dev libssl-dev libzip-dev libexpat1-dev libxlsxwriter-dev libpq-dev libmimalloc-dev"
test_pkgs="libcmocka-dev python3 curl"
e2e_pkgs="chromium fonts-noto-cjk"

missing=""
case "${1:-build}" in
build|run) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
web)
	want=""
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
	;;
e2e) want="$e2e_pkgs" ;;
*) echo "usage: $0 build|test|run|web|e2e" >&2; exit 2 ;;
esac

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
