package dev.engage.api.customers;

import dev.engage.api.auth.ApiKey;
import dev.engage.api.auth.Authenticator;
import dev.engage.api.auth.Role;
import dev.engage.api.http.Json;
import dev.engage.api.http.RouteTable;
import dev.engage.api.kafka.EventPublisher;
import dev.engage.api.redis.CustomerState;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Response;
import dev.engage.avro.Touchpoint;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.topics.TopicCatalog;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The customer writes. Responses and preference changes go to Kafka only ({@code responses}, and
 * {@code touchpoints.raw}, whence the normalizer takes a preference change on to {@code
 * touchpoints} as it does a collected event): the Flink job owns the profile and is the one to
 * apply them. Erasure publishes the request first (so it is never lost), then deletes the
 * customer's Redis keys; both are idempotent, so a failed erasure can simply be repeated. All
 * answer 202: accepted, applied asynchronously.
 */
public final class CustomerWriteRoutes {
  private final EventPublisher publisher;
  private final TopicCatalog topics;
  private final CustomerState state;
  private final Clock clock;

  public CustomerWriteRoutes(
      EventPublisher publisher, TopicCatalog topics, CustomerState state, Clock clock) {
    this.publisher = publisher;
    this.topics = topics;
    this.state = state;
    this.clock = clock;
  }

  public void register(RouteTable routes) {
    routes.post("/v1/customers/{id}/responses", this::respond, Role.AGENT, Role.APP, Role.SERVICE);
    routes.put("/v1/customers/{id}/preferences", this::preferences, Role.APP);
    routes.delete("/v1/customers/{id}", this::erase, Role.ADMIN);
  }

  private void respond(Context ctx) {
    String id = CustomerIds.of(ctx);
    Response response =
        ResponseBody.read(Json.objectBody(ctx), id, Authenticator.caller(ctx), clock.instant());
    publisher.publish(topics.responses(), id, response);
    Json.send(
        ctx,
        202,
        Json.MAPPER
            .createObjectNode()
            .put("eventId", response.getEventId())
            .put("customerId", id)
            .put("type", response.getType().name().toLowerCase(java.util.Locale.ROOT)));
  }

  private void preferences(Context ctx) {
    String id = CustomerIds.of(ctx);
    ApiKey caller = Authenticator.caller(ctx);
    Touchpoint event =
        PreferencesBody.read(
            Json.objectBody(ctx),
            id,
            caller.role() == Role.AGENT ? "call_center" : "app",
            "api:" + caller.name(),
            clock.instant());
    publisher.publish(topics.touchpointsRaw(), id, RawEnvelope.of(event).toJson());
    var answer =
        Json.MAPPER.createObjectNode().put("eventId", event.getEventId()).put("customerId", id);
    var applied = answer.putObject("preferences");
    event.getAttributes().forEach(applied::put);
    Json.send(ctx, 202, answer);
  }

  private void erase(Context ctx) {
    String id = CustomerIds.of(ctx);
    ApiKey caller = Authenticator.caller(ctx);
    Instant now = clock.instant();
    ErasureRequest request =
        ErasureRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setCustomerId(id)
            .setRequestedBy(caller.name())
            .setRequestedAt(now)
            .build();
    publisher.publish(topics.erasure(), id, request);
    // the customer's decisions on the compacted actions topic (keyed by customer) go at once
    publisher.tombstone(topics.actions(), id);
    long deleted = state.erase(id);
    Json.send(
        ctx,
        202,
        Json.MAPPER
            .createObjectNode()
            .put("requestId", request.getRequestId())
            .put("customerId", id)
            .put("redisKeysDeleted", deleted));
  }
}
