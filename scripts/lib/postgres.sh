# Shared by scripts/backup and scripts/restore (sourced, not run): the database connection and the PostgreSQL tools.
#
# The connection is the one the worker uses: ConnectionStrings__FlashFundX (an Npgsql connection string, the
# tables' owner; docs/configuration.md), turned into libpq's PG* variables. When it is unset, libpq's own PG*
# variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD or ~/.pgpass, PGSSLMODE...) are used as they are.
# The password only ever travels in PGPASSWORD: never on a command line, never printed.

ffx_die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Npgsql keys (case and spaces ignored, with their aliases) → libpq variables. Pooling and the like have no libpq
# counterpart and are ignored.
ffx_export_setting() {
  local key=$1 value=$2
  key=${key,,}
  key=${key// /}
  case "$key" in
    host | server) export PGHOST="$value" ;;
    port) export PGPORT="$value" ;;
    database | db) export PGDATABASE="$value" ;;
    username | user | userid | uid) export PGUSER="$value" ;;
    password | pwd | psw) export PGPASSWORD="$value" ;;
    passfile) export PGPASSFILE="$value" ;;
    timeout) export PGCONNECT_TIMEOUT="$value" ;;
    sslmode)
      case "${value,,}" in
        verifyca | verify-ca) export PGSSLMODE=verify-ca ;;
        verifyfull | verify-full) export PGSSLMODE=verify-full ;;
        *) export PGSSLMODE="${value,,}" ;;
      esac
      ;;
    rootcertificate | sslrootcert) export PGSSLROOTCERT="$value" ;;
    sslcertificate | sslcert) export PGSSLCERT="$value" ;;
    sslkey) export PGSSLKEY="$value" ;;
  esac
}

# Parses "Key=Value;Key='quoted; value';..." (values may be quoted with ' or ", a doubled quote standing for itself).
ffx_parse_connection_string() {
  local s=$1 n=${#1} i=0 key value quote c
  while ((i < n)); do
    while ((i < n)) && [[ "${s:i:1}" == [\;[:space:]] ]]; do i=$((i + 1)); done
    ((i < n)) || break
    key=""
    while ((i < n)) && [[ "${s:i:1}" != "=" ]]; do key+=${s:i:1}; i=$((i + 1)); done
    ((i < n)) || ffx_die "ConnectionStrings__FlashFundX is malformed near '${key%% *}' (expected Key=Value pairs separated by ';')"
    i=$((i + 1))
    while ((i < n)) && [[ "${s:i:1}" == [[:space:]] ]]; do i=$((i + 1)); done
    value=""
    c=${s:i:1}
    if [[ "$c" == "'" || "$c" == '"' ]]; then
      quote=$c
      i=$((i + 1))
      while ((i < n)); do
        c=${s:i:1}
        if [[ "$c" == "$quote" ]]; then
          if [[ "${s:i+1:1}" == "$quote" ]]; then value+=$c; i=$((i + 2)); continue; fi
          i=$((i + 1))
          break
        fi
        value+=$c
        i=$((i + 1))
      done
    else
      while ((i < n)) && [[ "${s:i:1}" != ";" ]]; do value+=${s:i:1}; i=$((i + 1)); done
      value="${value%"${value##*[![:space:]]}"}"
    fi
    key="${key%"${key##*[![:space:]]}"}"
    ffx_export_setting "$key" "$value"
  done
}

ffx_connect_from_settings() {
  if [[ -n "${ConnectionStrings__FlashFundX:-}" ]]; then
    ffx_parse_connection_string "$ConnectionStrings__FlashFundX"
  fi
  [[ -n "${PGDATABASE:-}" ]] || ffx_die "no database given: set ConnectionStrings__FlashFundX (the owner's connection string) or PGDATABASE (with PGHOST, PGPORT, PGUSER...)"
  # Never wait at a password prompt (cron, CI): a missing password is an error.
  export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
}

# "database 'x' on host:port as user", without the password.
ffx_target() {
  echo "database '${PGDATABASE}' on ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$(id -un)}"
}

# A PostgreSQL client tool: $PG_BIN when set, else PATH, else the newest /usr/lib/postgresql/*/bin (Debian).
ffx_pg_tool() {
  local name=$1 dir
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/$name" ]] || ffx_die "$name not found in PG_BIN ($PG_BIN)"
    echo "$PG_BIN/$name"
    return
  fi
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [[ -x "$dir/$name" ]]; then
      echo "$dir/$name"
      return
    fi
  done
  ffx_die "$name not found on PATH, in PG_BIN or /usr/lib/postgresql/*/bin (install the postgresql-client package)"
}
