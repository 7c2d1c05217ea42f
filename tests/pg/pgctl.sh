#!/bin/sh
# A private PostgreSQL 15 server for the tests: installed from Debian when
# missing, initialised as the unprivileged `postgres` user in a temporary
# directory, listening on a free loopback port, torn down afterwards.
#   tests/pg/pgctl.sh start DIR     prints the base URL (postgresql://fazhi@127.0.0.1:PORT)
#   tests/pg/pgctl.sh stop DIR
#   tests/pg/pgctl.sh halt DIR      stops the server (pg_ctl stop -m fast), keeps its data
#   tests/pg/pgctl.sh resume DIR    starts it again on the same port and data
# The server trusts local connections: it exists only for one test run.
# pg_trgm (the trigram index of the full-text search, see sql/pg/0005) is
# created by the superuser in template1, so every test database has it, as a
# DBA would on a shared instance where the application role may not create
# extensions.
set -eu
PGBIN=/usr/lib/postgresql/15/bin
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|halt|resume DIR" >&2; exit 2; }

# Start the server of DIR on the port recorded in DIR/port.
pg_start() {
	port=$(cat "$1/port")
	su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$1/data' -l '$1/server.log' -w -o \"-p $port -k '$1' -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200\" start >/dev/null"
}

case $cmd in
start)
	if [ ! -x "$PGBIN/initdb" ]; then
		echo "fazhi: installing PostgreSQL 15 for the tests" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends postgresql-15 >&2
	fi
	mkdir -p "$dir"
	chown postgres "$dir"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	su postgres -s /bin/sh -c "$PGBIN/initdb -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
	echo "$port" >"$dir/port"
	pg_start "$dir"
	# The application connects as its own role; the tests' databases are created per run.
	su postgres -s /bin/sh -c "$PGBIN/psql -h 127.0.0.1 -p $port -U postgres -qAtc \"CREATE ROLE fazhi LOGIN CREATEDB\" postgres" >/dev/null
	su postgres -s /bin/sh -c "$PGBIN/psql -h 127.0.0.1 -p $port -U postgres -qAtc \"CREATE EXTENSION pg_trgm\" template1" >/dev/null
	echo "postgresql://fazhi@127.0.0.1:$port"
	;;
halt)
	su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$dir/data' -m fast -w stop >/dev/null"
	;;
resume)
	pg_start "$dir"
	;;
stop)
	if [ -d "$dir/data" ]; then
		su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$dir/data' -m fast -w stop >/dev/null" || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop|halt|resume DIR" >&2
	exit 2
	;;
esac
