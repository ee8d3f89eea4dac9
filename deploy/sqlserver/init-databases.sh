#!/usr/bin/env bash
# Run by the sqlserver-init job of docker-compose.yml before the services start, on every `up` (it is idempotent):
# each service gets a database and a login of its own, db_owner of that database only (enough for its migrations),
# so no service connects as sa and none can read another's data. Passwords come from the environment.
set -euo pipefail
sqlcmd=(/opt/mssql-tools18/bin/sqlcmd -S sqlserver -U sa -P "$MSSQL_SA_PASSWORD" -C -b)

for service in users concert payment token; do
  variable="${service^^}_DB_PASSWORD"
  password="${!variable:?$variable is not set}"
  name="concertbooking_${service}"
  # sqlcmd substitutes the variables as text: a password must not contain a single quote.
  "${sqlcmd[@]}" -v Name="$name" -v Password="$password" -Q "
    IF DB_ID('\$(Name)') IS NULL CREATE DATABASE [\$(Name)];
    IF SUSER_ID('\$(Name)') IS NULL
      CREATE LOGIN [\$(Name)] WITH PASSWORD = N'\$(Password)', DEFAULT_DATABASE = [\$(Name)], CHECK_POLICY = ON;
    ELSE
      ALTER LOGIN [\$(Name)] WITH PASSWORD = N'\$(Password)';
    EXEC('USE [\$(Name)]; IF USER_ID(''\$(Name)'') IS NULL CREATE USER [\$(Name)] FOR LOGIN [\$(Name)]; ALTER ROLE db_owner ADD MEMBER [\$(Name)];');
  "
done
echo "databases and logins ready"
