#!/bin/sh
# Runs once, on the first start of an empty data volume (the postgres image's /docker-entrypoint-initdb.d), as the
# owner POSTGRES_USER: creates the API's login role and the two NOLOGIN groups it is a member of, as docs/deploy.md
# ("The database roles") has an operator do. The migrations find the groups and grant them what the API needs.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --set=api_password="$API_DB_PASSWORD" <<'SQL'
CREATE ROLE flashfundx_api NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE flashfundx_api_system NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE flashfundx_api_login LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS
    PASSWORD :'api_password' IN ROLE flashfundx_api, flashfundx_api_system;
SQL
