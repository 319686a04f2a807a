#!/usr/bin/env bash
# A throwaway PostgreSQL server for the PostgreSQL journal's tests (tests/journal_postgres.rs).
#
#   eval "$(.ci/postgres.sh start)"     # installs PostgreSQL if missing, starts a server,
#                                        # prints the variables to export
#   cargo test --all-features            # the tests read COPRODUCTION_PG_URL
#   .ci/postgres.sh stop "$COPRODUCTION_PG_DIR"
#
# `start` makes a temporary directory, creates a cluster in it (trust authentication, user
# `postgres`), and starts the server on a free port of 127.0.0.1 with its socket in the same
# directory: no system service, nothing outside the directory, and no waiting for the disk
# (fsync off: the data is thrown away). The server speaks TLS with a certificate made for
# it (OpenSSL's command, installed if missing), and its database `tls_only` takes nothing
# else: the journal's TLS tests connect there, trusting that certificate. As root the server runs as
# the `postgres` user (initdb refuses root), otherwise as the caller. Only `export` lines go
# to standard output; progress and the server's log on failure go to standard error.
# `stop DIR` stops that server and removes DIR.
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }

# The newest installed server's binaries, or nothing.
bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then printf '%s\n' "$dir"; fi
}

# Runs a server binary as the server's user.
as_server() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install_if_missing() {
    local missing=""
    if [ -z "$(bindir)" ]; then missing="postgresql"; fi
    if ! command -v openssl > /dev/null; then missing="$missing openssl"; fi
    if [ -z "$missing" ]; then return; fi
    say "installing$missing"
    local sudo_if_needed=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null; then sudo_if_needed="sudo"; fi
    $sudo_if_needed apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq $missing > /dev/null
    if [ -z "$(bindir)" ]; then
        say "postgresql was installed, but no initdb is under /usr/lib/postgresql/*/bin"
        exit 1
    fi
}

# A port of 127.0.0.1 that nothing listens on, from 55432 up.
free_port() {
    local port
    for port in $(seq 55432 55532); do
        if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
            printf '%s\n' "$port"
            return
        fi
    done
    say "no free port between 55432 and 55532"
    exit 1
}

start() {
    install_if_missing
    local bin dir port
    bin=$(bindir)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/coproduction-pg.XXXXXX")
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    port=$(free_port)
    say "starting PostgreSQL ($bin) in $dir on 127.0.0.1:$port"
    as_server "$bin/initdb" -D "$dir/data" -A trust -U postgres > "$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    # A certificate for 127.0.0.1, good for two days; the key readable by the server alone.
    as_server openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 \
        -keyout "$dir/server.key" -out "$dir/server.crt" > "$dir/openssl.log" 2>&1 || {
        cat "$dir/openssl.log" >&2
        exit 1
    }
    chmod 600 "$dir/server.key"
    # Trust on the socket and the loopback, except that `tls_only` refuses plain connections.
    cat > "$dir/data/pg_hba.conf" << 'HBA'
local     all       all                 trust
hostssl   tls_only  all  127.0.0.1/32   trust
hostnossl tls_only  all  127.0.0.1/32   reject
host      all       all  127.0.0.1/32   trust
HBA
    # The data is thrown away with the directory, so commits need not wait for the disk.
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" \
        start > /dev/null || {
        cat "$dir/log" >&2
        exit 1
    }
    as_server "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qc 'CREATE DATABASE tls_only' > /dev/null
    printf 'export COPRODUCTION_PG_DIR=%q\n' "$dir"
    printf 'export COPRODUCTION_PG_URL=%q\n' "postgresql://postgres@127.0.0.1:$port/postgres"
    printf 'export COPRODUCTION_PG_TLS_URL=%q\n' "postgresql://postgres@127.0.0.1:$port/tls_only?sslmode=require"
    printf 'export COPRODUCTION_PG_TLS_CA=%q\n' "$dir/server.crt"
}

stop() {
    local dir=${1:?usage: postgres.sh stop DIR}
    if [ ! -d "$dir/data" ]; then
        say "no server in $dir"
        return
    fi
    local bin
    bin=$(bindir)
    as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || say "the server in $dir was not running"
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *)
        say "usage: $0 start | stop DIR"
        exit 2
        ;;
esac
