# Engage's own services as one image (the engage CLI and every module's jars), for
# docker-compose.yml and clusters. Build from the repository root: docker build -t engage .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY rules rules
COPY ingestion ingestion
COPY launcher launcher
COPY stream-jobs stream-jobs
COPY serving-api serving-api
RUN mvn -B -q package -DskipTests \
 && mvn -B -q -pl launcher dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/lib \
 && cp launcher/target/engage-launcher-*.jar /app/lib/ \
 && rm /app/lib/*-tests.jar 2>/dev/null || true

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app/lib /app/lib
ENTRYPOINT ["java", "-cp", "/app/lib/*", "dev.engage.launcher.EngageCli"]
CMD ["--help"]
