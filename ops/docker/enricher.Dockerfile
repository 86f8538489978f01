# The enricher as a container image, built from this checkout (context: the repository root):
#   docker compose build enricher        (images from .env)
#   docker build -f ops/docker/enricher.Dockerfile \
#     --build-arg MAVEN_IMAGE=... --build-arg ENRICHER_RUNTIME_IMAGE=... -t cdc-enricher .
# Both base images are pinned in .env, the one place for versions; there are no defaults here on purpose.
ARG MAVEN_IMAGE
ARG ENRICHER_RUNTIME_IMAGE

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
# Every module's pom (Maven reads the whole reactor), then the sources the enricher needs: its own, the schemas,
# and the launcher, whose test-jar the enricher's tests compile against.
COPY pom.xml ./
COPY schemas/ schemas/
COPY ops/pom.xml ops/
COPY ops/kafka-dist/pom.xml ops/kafka-dist/
COPY ops/debezium-plugin/pom.xml ops/debezium-plugin/
COPY ops/apicurio-converter/pom.xml ops/apicurio-converter/
COPY ops/apicurio/pom.xml ops/apicurio/
COPY ops/launcher/ ops/launcher/
COPY perf/pom.xml perf/
COPY enricher/ enricher/
# clean: a checkout's target/ folders may have been copied in along with the sources.
RUN mvn -B -q -pl enricher -am clean package -DskipTests \
    && cp enricher/target/enricher-*.jar /enricher.jar

FROM ${ENRICHER_RUNTIME_IMAGE}
RUN useradd --system --uid 10001 --home-dir /var/lib/enricher --create-home enricher
COPY --from=build /enricher.jar /opt/enricher/enricher.jar
USER enricher
WORKDIR /var/lib/enricher
# Kafka Streams keeps its RocksDB state under java.io.tmpdir/kafka-streams unless the config sets state.dir.
ENTRYPOINT ["java", "-jar", "/opt/enricher/enricher.jar"]
CMD ["--config", "/etc/enricher/enricher.yaml"]
