package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.Role;
import dev.engage.avro.Touchpoint;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Rules over HTTP on the real rules and touchpoints topics. */
class RulesApiIT extends ApiOnSharedStack {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String id = "big-basket-" + run;

  private String rule(String condition) {
    return "id: "
        + id
        + "\nname: Big basket\nwhen:\n  kind: event\n  condition: \""
        + condition
        + "\"\naction: {code: THANK_YOU}\n";
  }

  private HttpResponse<String> put(String source) throws Exception {
    return api.send("PUT", "/v1/rules/" + id, Role.MARKETER, source, "application/yaml");
  }

  @Test
  void aRuleIsPublishedVersionedListedReadAndDeleted() throws Exception {
    String source = rule("event.type == 'purchase' && event.amount > 100.0");

    HttpResponse<String> created = put(source);
    HttpResponse<String> again = put(source);
    HttpResponse<String> changed = put(rule("event.type == 'purchase' && event.amount > 200.0"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(TestApi.json(created).path("version").asInt()).isEqualTo(1);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(TestApi.json(again).path("changed").asBoolean()).isFalse();
    assertThat(TestApi.json(changed).path("version").asInt()).isEqualTo(2);

    JsonNode one = TestApi.json(api.get("/v1/rules/" + id, Role.MARKETER));
    assertThat(one.path("version").asInt()).isEqualTo(2);
    assertThat(one.path("updatedBy").asText()).isEqualTo("marketer-key");
    assertThat(one.path("source").asText()).contains("200.0");
    JsonNode list = TestApi.json(api.get("/v1/rules", Role.MARKETER)).path("rules");
    assertThat(list.findValuesAsText("id")).contains(id);

    assertThat(api.send("DELETE", "/v1/rules/" + id, Role.MARKETER, "", null).statusCode())
        .isEqualTo(204);
    assertThat(api.send("DELETE", "/v1/rules/" + id, Role.MARKETER, "", null).statusCode())
        .isEqualTo(404);
    assertThat(api.get("/v1/rules/" + id, Role.MARKETER).statusCode()).isEqualTo(404);
  }

  @Test
  void twoSavesFromTheSameVersionAtOnceKeepOneAndAnswerTheOther409() throws Exception {
    assertThat(put(rule("event.type == 'purchase'")).statusCode()).isEqualTo(201);
    List<Callable<HttpResponse<String>>> saves = new ArrayList<>();
    for (String amount : List.of("100.0", "200.0")) {
      saves.add(
          () ->
              api.send(
                  api.request("/v1/rules/" + id, api.key(Role.MARKETER))
                      .header("Content-Type", "application/yaml")
                      .header("If-Match", "\"1\"")
                      .PUT(
                          HttpRequest.BodyPublishers.ofString(
                              rule("event.type == 'purchase' && event.amount > " + amount)))));
    }
    ExecutorService editors = Executors.newFixedThreadPool(2);
    List<HttpResponse<String>> answers = new ArrayList<>();
    try {
      for (Future<HttpResponse<String>> answer : editors.invokeAll(saves)) {
        answers.add(answer.get());
      }
    } finally {
      editors.shutdown();
    }

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
    HttpResponse<String> saved =
        answers.stream().filter(a -> a.statusCode() == 200).findFirst().get();
    HttpResponse<String> refused =
        answers.stream().filter(a -> a.statusCode() == 409).findFirst().get();
    assertThat(TestApi.json(saved).path("version").asInt()).isEqualTo(2);
    assertThat(refused.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(TestApi.json(refused).path("currentVersion").asInt()).isEqualTo(2);
    assertThat(refused.headers().firstValue("ETag")).contains("\"2\"");
    HttpResponse<String> now = api.get("/v1/rules/" + id, Role.MARKETER);
    assertThat(TestApi.json(now).path("version").asInt()).isEqualTo(2);
    assertThat(now.headers().firstValue("ETag")).contains("\"2\"");
  }

  @Test
  void validateReportsProblemsWithLineAndColumn() throws Exception {
    HttpResponse<String> answer =
        api.send(
            "POST",
            "/v1/rules/validate",
            Role.MARKETER,
            rule("event.type == 'purchase' && event.amout > 100.0"),
            "application/yaml");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode result = TestApi.json(answer);
    assertThat(result.path("valid").asBoolean()).isFalse();
    JsonNode error = result.path("errors").get(0);
    assertThat(error.path("field").asText()).isEqualTo("when.condition");
    assertThat(error.path("line").asInt()).isEqualTo(5);
    assertThat(error.path("column").asInt()).isPositive();
    assertThat(error.path("message").asText()).contains("amout");

    JsonNode valid =
        TestApi.json(
            api.send(
                "POST",
                "/v1/rules/validate",
                Role.MARKETER,
                rule("event.type == 'purchase'"),
                "application/yaml"));
    assertThat(valid.path("valid").asBoolean()).isTrue();
    assertThat(valid.path("kind").asText()).isEqualTo("rule");
  }

  @Test
  void anOfferIsValidatedWithLineAndColumnAndPublishedLikeAnyDefinition() throws Exception {
    String offer =
        """
        kind: offer
        id: %s
        name: Gold card
        eligibility: "profile.historicValue > 500.0"
        code: GOLD_CARD
        value: "profile.predictedValue12 * 0.05"
        """
            .formatted(id);

    JsonNode invalid =
        TestApi.json(
            api.send("POST", "/v1/rules/validate", Role.MARKETER, offer, "application/yaml"));
    HttpResponse<String> published = put(offer.replace("predictedValue12 ", "predictedValue12m "));

    assertThat(invalid.path("valid").asBoolean()).isFalse();
    JsonNode error = invalid.path("errors").get(0);
    assertThat(error.path("field").asText()).isEqualTo("value");
    assertThat(error.path("line").asInt()).isEqualTo(6);
    assertThat(error.path("message").asText()).contains("predictedValue12");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    assertThat(TestApi.json(api.get("/v1/rules/" + id, Role.MARKETER)).path("kind").asText())
        .isEqualTo("offer");
  }

  @Test
  void anInvalidRuleIsNotPublishedAndTheProblemNamesItsPlace() throws Exception {
    HttpResponse<String> answer = put(rule("event.type == 'purchase' && event.amout > 100.0"));

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode error = TestApi.json(answer).path("errors").get(0);
    assertThat(error.path("line").asInt()).isEqualTo(5);
    assertThat(error.path("field").asText()).isEqualTo("when.condition");
    assertThat(api.get("/v1/rules/" + id, Role.MARKETER).statusCode()).isEqualTo(404);
  }

  @Test
  void theBodysIdMustBeThePathsId() throws Exception {
    HttpResponse<String> answer =
        api.send("PUT", "/v1/rules/other-" + run, Role.MARKETER, rule("true"), "application/yaml");

    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode error = TestApi.json(answer).path("errors").get(0);
    assertThat(error.path("field").asText()).isEqualTo("id");
    assertThat(error.path("line").asInt()).isEqualTo(1);
  }

  @Test
  void backtestReplaysRecentTouchpointsThroughADraft() throws Exception {
    String customer = "bt-" + run;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, api.bootstrapServers);
    try (KafkaProducer<String, Touchpoint> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), api.topics.touchpoints().valueSerde().serializer())) {
      for (int i = 0; i < 3; i++) {
        Instant now = Instant.now();
        producer
            .send(
                new ProducerRecord<>(
                    api.topics.touchpoints().name(),
                    customer,
                    Touchpoint.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setCustomerId(customer)
                        .setType(i < 2 ? "purchase" : "page_view")
                        .setChannel("web")
                        .setSource("test")
                        .setOccurredAt(now)
                        .setReceivedAt(now)
                        .setAmount(150.0)
                        .build()))
            .get();
      }
    }

    HttpResponse<String> answer =
        api.send(
            "POST",
            "/v1/rules/" + id + "/backtest?since=1h",
            Role.MARKETER,
            rule("event.type == 'purchase' && event.customerId == '" + customer + "'"),
            "application/yaml");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode report = TestApi.json(answer);
    assertThat(report.path("draft").asBoolean()).isTrue();
    assertThat(report.path("firings").asInt()).isEqualTo(2);
    assertThat(report.path("customers").asInt()).isEqualTo(1);
    assertThat(report.path("events").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(report.path("samples").get(0).path("customerId").asText()).isEqualTo(customer);
  }

  @Test
  void backtestOfAnUnpublishedRuleWithoutDraftIs404AndABadPeriodIs400() throws Exception {
    assertThat(
            api.send("POST", "/v1/rules/" + id + "/backtest", Role.MARKETER, "", null).statusCode())
        .isEqualTo(404);
    HttpResponse<String> badSince =
        api.send(
            "POST", "/v1/rules/" + id + "/backtest?since=1w", Role.MARKETER, rule("true"), null);
    assertThat(badSince.statusCode()).isEqualTo(400);
    assertThat(TestApi.json(badSince).path("detail").asText()).startsWith("since:");
  }

  @Test
  void everyPublishedVersionIsListedNewestFirstWithItsSourceAndTheDeletion() throws Exception {
    assertThat(put(rule("event.amount > 100.0")).statusCode()).isEqualTo(201);
    assertThat(put(rule("event.amount > 200.0")).statusCode()).isEqualTo(200);
    assertThat(put(rule("event.amount > 300.0")).statusCode()).isEqualTo(200);

    JsonNode versions = awaitVersions(3);
    assertThat(versions.findValuesAsText("version")).containsExactly("3", "2", "1");
    assertThat(versions.get(0).path("source").asText()).contains("300.0");
    assertThat(versions.get(2).path("source").asText()).contains("100.0");
    assertThat(versions.get(1).path("updatedBy").asText()).isEqualTo("marketer-key");
    assertThat(versions.get(1).path("enabled").asBoolean()).isTrue();

    assertThat(api.send("DELETE", "/v1/rules/" + id, Role.MARKETER, "", null).statusCode())
        .isEqualTo(204);
    JsonNode afterDelete = awaitVersions(4);
    assertThat(afterDelete.get(0).path("deleted").asBoolean()).isTrue();
    assertThat(afterDelete.get(1).path("version").asInt()).isEqualTo(3);

    HttpResponse<String> unknown = api.get("/v1/rules/never-" + run + "/versions", Role.MARKETER);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(api.get("/v1/rules/" + id + "/versions", Role.AGENT).statusCode()).isEqualTo(403);
  }

  /** The rule's history once it holds the count of changes (it is read in the background). */
  private JsonNode awaitVersions(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode versions = TestApi.JSON.createArrayNode();
    while (versions.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(200);
      HttpResponse<String> answer = api.get("/v1/rules/" + id + "/versions", Role.MARKETER);
      if (answer.statusCode() == 200) {
        versions = TestApi.json(answer).path("versions");
      }
    }
    assertThat(versions).as("versions of " + id).hasSize(count);
    return versions;
  }
}
