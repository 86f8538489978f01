#!/bin/bash
# Runs once in the MySQL container's first start: the replication user Debezium connects as.
# The password comes from the container's environment, never from a committed file.
set -euo pipefail
mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE USER IF NOT EXISTS 'cdc'@'%' IDENTIFIED BY '${CDC_DATABASE_PASSWORD}';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'cdc'@'%';
FLUSH PRIVILEGES;
SQL
