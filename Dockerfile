# Engage's own services as one image (the engage CLI and every module's jars), for
# docker-compose.yml and clusters. Build from the repository root: docker build -t engage .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY rules rules
COPY rules-bench rules-bench
COPY ingestion ingestion
COPY launcher launcher
COPY flink-cluster flink-cluster
COPY stream-jobs stream-jobs
COPY serving-api serving-api
COPY delivery delivery
COPY end-to-end end-to-end
RUN mvn -B -q package -DskipTests \
 && mvn -B -q -pl launcher dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/lib \
 && cp launcher/target/engage-launcher-*.jar /app/lib/ \
 && mvn -B -q -pl ingestion dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/ingestion/lib \
 && cp ingestion/target/engage-ingestion-*.jar /app/ingestion/lib/ \
 && mvn -B -q -pl delivery dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/delivery/lib \
 && cp delivery/target/engage-delivery-*.jar /app/delivery/lib/ \
 && mvn -B -q -pl serving-api dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/api/lib \
 && cp serving-api/target/engage-serving-api-*.jar /app/api/lib/ \
 && mkdir -p /app/stream-jobs && cp stream-jobs/target/engage-stream-jobs-*-job.jar /app/stream-jobs/engage-stream-jobs-job.jar

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/lib /app/lib
# Kafka Streams (ingestion) runs from its own classpath, never beside Flink
COPY --from=build /app/ingestion/lib /app/ingestion/lib
COPY --from=build /app/delivery/lib /app/delivery/lib
COPY --from=build /app/api/lib /app/api/lib
# the job jar a Flink cluster runs (flink run, /jars/upload); the stream-jobs service submits it
COPY --from=build /app/stream-jobs /app/stream-jobs
ENTRYPOINT ["java", "-cp", "/app/lib/*", "dev.engage.launcher.EngageCli"]
CMD ["--help"]
