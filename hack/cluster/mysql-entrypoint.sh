#!/bin/bash
# Entrypoint of the test cluster's MySQL stand-in image: Debian's
# mariadb-server with the environment contract of the official mysql image
# that wordpress-fn renders for:
#   MYSQL_ROOT_PASSWORD (or MYSQL_ALLOW_EMPTY_PASSWORD=yes), MYSQL_DATABASE,
#   MYSQL_USER, MYSQL_PASSWORD; arguments starting with "-" are mysqld
#   options (the profile's embedded.args, e.g. --character-set-server=...).
# As there: an empty data directory (/var/lib/mysql, the volume) is
# initialized once, with networking off until the users exist, so the
# readiness probe on 3306 passes only when the database is usable.
set -euo pipefail

if [[ "${1:0:1}" == "-" ]]; then set -- mysqld "$@"; fi
if [[ "$1" != mysqld && "$1" != mariadbd ]]; then exec "$@"; fi
shift

datadir=/var/lib/mysql
# As the official image does (with gosu): own the volume, then run
# everything as mysql. Root here has no CAP_KILL (the profile drops it), so
# it could not even stop the server it started for the initialization.
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p /run/mysqld "${datadir}"
  chown mysql:mysql /run/mysqld
  find "${datadir}" \! -user mysql -exec chown mysql:mysql '{}' +
  exec setpriv --reuid=mysql --regid=mysql --init-groups -- "$0" mysqld "$@"
fi

sql_string() { # a single-quoted SQL string literal
  local s="${1//\\/\\\\}"
  printf "'%s'" "${s//\'/\\\'}"
}

if [[ ! -d "${datadir}/mysql" ]]; then
  if [[ -z "${MYSQL_ROOT_PASSWORD:-}" && "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" != yes ]]; then
    echo "mysql-entrypoint: database is uninitialized and MYSQL_ROOT_PASSWORD is not set" >&2
    exit 1
  fi
  echo "mysql-entrypoint: initializing ${datadir}" >&2
  mariadb-install-db --datadir="${datadir}" --skip-test-db \
    --auth-root-authentication-method=normal >/dev/null
  sock=/run/mysqld/init.sock
  mariadbd --datadir="${datadir}" --skip-networking --socket="${sock}" "$@" &
  pid=$!
  for _ in $(seq 1 60); do
    mariadb-admin --socket="${sock}" -uroot ping >/dev/null 2>&1 && break
    kill -0 "${pid}" 2>/dev/null || { echo "mysql-entrypoint: mariadbd exited during init" >&2; exit 1; }
    sleep 1
  done
  {
    root_pw="$(sql_string "${MYSQL_ROOT_PASSWORD:-}")"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY ${root_pw};"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY ${root_pw};"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [[ -n "${MYSQL_DATABASE:-}" ]]; then
      echo "CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE}\`;"
    fi
    if [[ -n "${MYSQL_USER:-}" && -n "${MYSQL_PASSWORD:-}" ]]; then
      echo "CREATE USER $(sql_string "${MYSQL_USER}")@'%' IDENTIFIED BY $(sql_string "${MYSQL_PASSWORD}");"
      if [[ -n "${MYSQL_DATABASE:-}" ]]; then
        echo "GRANT ALL ON \`${MYSQL_DATABASE}\`.* TO $(sql_string "${MYSQL_USER}")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket="${sock}" -uroot
  kill "${pid}"
  wait "${pid}"
  echo "mysql-entrypoint: initialized" >&2
fi

# Debian's server config binds 127.0.0.1; the official image listens on all
# addresses and resolves no client names. The profile's options come last.
exec mariadbd --datadir="${datadir}" --bind-address=0.0.0.0 \
  --skip-name-resolve "$@"
