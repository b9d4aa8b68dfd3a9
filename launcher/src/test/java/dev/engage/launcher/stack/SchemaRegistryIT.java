package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedded registry, run as its own process by the local stack, behaves like Confluent's. */
@ExtendWith(SharedStack.class)
class SchemaRegistryIT {
  private static final AtomicInteger SUBJECTS = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final Schema V1 = record("{\"name\":\"id\",\"type\":\"string\"}");
  private static final Schema V2_WITH_DEFAULT =
      record(
          "{\"name\":\"id\",\"type\":\"string\"}, {\"name\":\"score\",\"type\":\"int\",\"default\":0}");
  private static final Schema V2_WITHOUT_DEFAULT =
      record("{\"name\":\"id\",\"type\":\"string\"}, {\"name\":\"score\",\"type\":\"int\"}");

  private StackConfig config;
  private SchemaRegistryClient client;
  private String subject;

  @BeforeEach
  void setUp(StackConfig config) {
    this.config = config;
    this.client = new SchemaRegistryClient(config.registryUrl());
    this.subject = "registry-it-" + SUBJECTS.incrementAndGet() + "-value";
  }

  @Test
  void registeringTheSameSchemaTwiceGivesTheSameId() {
    int first = client.register(subject, V1);
    int again = new SchemaRegistryClient(config.registryUrl()).register(subject, V1);
    int underAnotherSubject = client.register(subject + "-other", V1);

    assertThat(again).isEqualTo(first);
    assertThat(underAnotherSubject).isEqualTo(first);
    assertThat(client.versions(subject)).containsExactly(1);
  }

  @Test
  void backwardIncompatibleChangeIsRefusedWith409AndConfluentsErrorBody() throws Exception {
    client.register(subject, V1);

    HttpResponse<String> answer = post("/subjects/" + subject + "/versions", V2_WITHOUT_DEFAULT);

    assertThat(answer.statusCode()).isEqualTo(409);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("error_code").asInt()).isEqualTo(409);
    assertThat(body.path("message").asText())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject \""
                + subject
                + "\"")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "score");
    assertThat(client.versions(subject)).containsExactly(1);
  }

  @Test
  void compatibleChangeWithANewDefaultedFieldGetsANewVersion() {
    int v1 = client.register(subject, V1);
    int v2 = client.register(subject, V2_WITH_DEFAULT);

    assertThat(v2).isNotEqualTo(v1);
    assertThat(client.versions(subject)).containsExactly(1, 2);
    assertThat(client.latest(subject).version()).isEqualTo(2);
    assertThat(client.latest(subject).schema()).isEqualTo(V2_WITH_DEFAULT);
    assertThat(client.lookup(subject, V1).version()).isEqualTo(1);
  }

  @Test
  void compatibilityEndpointAnswersWithoutRegistering() throws Exception {
    client.register(subject, V1);

    assertThat(client.isCompatibleWithLatest(subject, V2_WITH_DEFAULT)).isTrue();
    assertThat(client.isCompatibleWithLatest(subject, V2_WITHOUT_DEFAULT)).isFalse();
    JsonNode verbose =
        JSON.readTree(
            post(
                    "/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                    V2_WITHOUT_DEFAULT)
                .body());
    assertThat(verbose.path("messages").toString()).contains("score");
    assertThat(client.versions(subject)).containsExactly(1);
  }

  @Test
  void unknownThingsAnswer404WithConfluentsErrorCodes() throws Exception {
    client.register(subject, V1);

    assertError(get("/subjects/no-such-subject/versions"), 404, 40401);
    assertError(get("/subjects/" + subject + "/versions/7"), 404, 40402);
    assertError(get("/schemas/ids/987654"), 404, 40403);
    assertError(post("/subjects/" + subject, V2_WITH_DEFAULT), 404, 40403);
    assertError(get("/subjects/" + subject + "/versions/zero"), 422, 42202);
    assertError(
        send("POST", "/subjects/" + subject + "/versions", "{\"schema\":\"{not avro\"}"),
        422,
        42201);
    assertError(get("/config/" + subject), 404, 40408);
    assertThatThrownBy(() -> client.latest("no-such-subject"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }

  @Test
  void subjectLevelNoneAllowsAnyChangeAndGlobalLevelIsBackward() throws Exception {
    client.register(subject, V1);

    assertThat(JSON.readTree(get("/config").body()).path("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
    HttpResponse<String> put = send("PUT", "/config/" + subject, "{\"compatibility\":\"NONE\"}");
    assertThat(JSON.readTree(put.body()).path("compatibility").asText()).isEqualTo("NONE");
    assertThat(client.register(subject, V2_WITHOUT_DEFAULT)).isPositive();
    assertThat(JSON.readTree(get("/config/" + subject).body()).path("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertError(send("PUT", "/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
  }

  @Test
  void subjectsAreSoftDeletedFirstThenPermanently() throws Exception {
    client.register(subject, V1);

    assertError(send("DELETE", "/subjects/" + subject + "?permanent=true", null), 404, 40405);
    assertThat(send("DELETE", "/subjects/" + subject, null).body()).isEqualTo("[1]");
    assertThat(client.subjects()).doesNotContain(subject);
    assertError(get("/subjects/" + subject + "/versions"), 404, 40401);
    assertThat(get("/subjects/" + subject + "/versions?deleted=true").body()).isEqualTo("[1]");
    assertThat(send("DELETE", "/subjects/" + subject + "?permanent=true", null).body())
        .isEqualTo("[1]");
    assertError(get("/subjects/" + subject + "/versions?deleted=true"), 404, 40401);
  }

  @Test
  void anySchemaIsCompatibleWithASubjectThatDoesNotExistYet() {
    assertThat(client.isCompatibleWithLatest(subject, V2_WITHOUT_DEFAULT)).isTrue();
    assertThat(client.subjects()).doesNotContain(subject);
  }

  @Test
  void versionsAreSoftDeletedOnceAndReRegisteringReplacesTheDeletedOne() throws Exception {
    int id = client.register(subject, V1);
    client.register(subject, V2_WITH_DEFAULT);

    assertThat(send("DELETE", "/subjects/" + subject + "/versions/1", null).body()).isEqualTo("1");
    assertError(send("DELETE", "/subjects/" + subject + "/versions/1", null), 404, 40406);
    assertThat(get("/subjects/" + subject + "/versions?deleted=true").body()).isEqualTo("[1,2]");

    // Registering V1 again (BACKWARD allows it: V1 reads V2's data) gives its old id, as version 3.
    assertThat(new SchemaRegistryClient(config.registryUrl()).register(subject, V1)).isEqualTo(id);
    assertThat(get("/subjects/" + subject + "/versions?deleted=true").body()).isEqualTo("[2,3]");
  }

  @Test
  void idsAndVersionsSurviveARegistryRestart(LocalStack stack) {
    int v1 = client.register(subject, V1);
    int v2 = client.register(subject, V2_WITH_DEFAULT);

    stack.restart("registry");

    SchemaRegistryClient fresh = new SchemaRegistryClient(config.registryUrl());
    assertThat(fresh.schemaById(v1)).isEqualTo(V1);
    assertThat(fresh.schemaById(v2)).isEqualTo(V2_WITH_DEFAULT);
    assertThat(fresh.register(subject, V2_WITH_DEFAULT)).isEqualTo(v2);
    assertThat(fresh.versions(subject)).containsExactly(1, 2);
    Schema v3 =
        record(
            "{\"name\":\"id\",\"type\":\"string\"}, {\"name\":\"tag\",\"type\":\"string\",\"default\":\"\"}");
    assertThat(fresh.register(subject, v3)).isGreaterThan(v2);
  }

  private static void assertError(HttpResponse<String> answer, int status, int errorCode)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(JSON.readTree(answer.body()).path("error_code").asInt())
        .as(answer.body())
        .isEqualTo(errorCode);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.schemaregistry.v1+json");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  private HttpResponse<String> post(String path, Schema schema) throws Exception {
    return send("POST", path, JSON.createObjectNode().put("schema", schema.toString()).toString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.registryUrl() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"test\",\"fields\":["
                + fields
                + "]}");
  }
}
