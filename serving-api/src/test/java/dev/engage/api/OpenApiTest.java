package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engage.api.auth.ApiKey;
import dev.engage.api.auth.ApiKeys;
import dev.engage.api.auth.Role;
import dev.engage.api.http.RouteTable;
import dev.engage.api.ops.OperatorRoutes;
import dev.engage.api.receipts.ReceiptProviders;
import dev.engage.api.redis.RedisSettings;
import dev.engage.schemas.topics.TopicSettings;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hand-written OpenAPI description matches the served routes, both ways, roles included. */
class OpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  private static ServingApi api;
  private static JsonNode openApi;

  @BeforeAll
  static void start() throws Exception {
    // nothing is called: clients connect lazily, so dead addresses are fine
    api =
        ServingApi.start(
            new ApiSettings(
                "127.0.0.1",
                0,
                RedisSettings.of("redis://127.0.0.1:1", false, 1),
                "127.0.0.1:1",
                "http://127.0.0.1:1",
                new ApiKeys(List.of(new ApiKey("k", ApiKeys.generate(Role.ADMIN), Role.ADMIN, 0))),
                List.of(),
                10,
                65536,
                TopicSettings.local(),
                null,
                ReceiptProviders.none(),
                null));
    openApi = TestApi.JSON.readTree(OperatorRoutes.openApi());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void everyServedRouteIsDescribedAndEveryDescribedRouteIsServed() {
    Set<String> served =
        api.routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> described = new TreeSet<>();
    openApi
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));

    assertThat(described).isEqualTo(served);
  }

  @Test
  void theDescribedRolesAreTheEnforcedRoles() {
    for (RouteTable.Route route : api.routes()) {
      JsonNode operation =
          openApi.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
      Set<String> described = new TreeSet<>();
      operation.path("x-roles").forEach(r -> described.add(r.asText()));
      Set<String> enforced =
          route.roles().stream().map(Role::label).collect(Collectors.toCollection(TreeSet::new));
      assertThat(described).as(route.method() + " " + route.path()).isEqualTo(enforced);
    }
  }

  @Test
  void everyReferencedSchemaExists() {
    Set<String> refs = new TreeSet<>();
    collectRefs(openApi, refs);
    for (String ref : refs) {
      String[] parts = ref.substring(2).split("/");
      JsonNode target = openApi;
      for (String part : parts) {
        target = target.path(part);
      }
      assertThat(target.isMissingNode()).as(ref).isFalse();
    }
    assertThat(refs).isNotEmpty();
  }

  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("$ref")) {
          refs.add(field.getValue().asText());
        } else {
          collectRefs(field.getValue(), refs);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
