# Sourced by the ops/* commands: finds the checkout, builds the launcher and the stack's jars when missing,
# then runs a launcher main class. Maven is the only thing needed besides Java 17.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ensure_built() {
  if [[ ! -f "$REPO/ops/launcher/target/classpath.txt" || ! -d "$REPO/ops/kafka-dist/target/libs" \
        || ! -d "$REPO/ops/debezium-plugin/target/plugins" ]]; then
    echo "building the launcher, Kafka and the Debezium plugin (first run only) ..." >&2
    (cd "$REPO" && mvn -B -q -pl ops/launcher,ops/kafka-dist,ops/debezium-plugin -am install -DskipTests) >&2
  fi
}

run_launcher() {
  local main="$1"; shift
  ensure_built
  exec java -Dcdcenricher.repo="$REPO" \
    -cp "$REPO/ops/launcher/target/classes:$(cat "$REPO/ops/launcher/target/classpath.txt")" \
    "io.cdcenricher.ops.$main" "$@"
}
