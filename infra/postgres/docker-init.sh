#!/bin/bash
# hopthu: first-start init of the postgres:15 container (/docker-entrypoint-initdb.d/).
# The same roles, databases and vmail schema as scripts/infra.sh pg_setup.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres)
"${psql[@]}" -v role="${HOPTHU_DB_USER:-hopthu}" -v pw="${HOPTHU_DB_PASSWORD:?no HOPTHU_DB_PASSWORD (var/secrets.env)}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SQL
for db in hopthu_requests hopthu_directory hopthu_provisioner hopthu_notifier hopthu_console; do
  "${psql[@]}" -v db="$db" -v owner="${HOPTHU_DB_USER:-hopthu}" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
done
"${psql[@]}" -v admin_pw="${VMAIL_ADMIN_PASSWORD:?}" -v dovecot_pw="${VMAIL_DOVECOT_PASSWORD:?}" \
  -v postfix_pw="${VMAIL_POSTFIX_PASSWORD:?}" -f /hopthu/vmail-schema.sql
