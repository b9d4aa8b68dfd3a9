package dev.engage.schemas.redis;

import dev.engage.avro.Action;
import dev.engage.avro.NextBestActions;
import dev.engage.schemas.json.AvroToJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash a customer's next-best-actions are kept in ({@link RedisKeys#nextBestActions}), shaped
 * so that the API sends what it reads without parsing it: {@code json} is the answer of {@code GET
 * /v1/customers/{id}/next-best-actions}, {@code agentJson} the answer for agents when some action
 * is not for them (absent otherwise), {@code validUntil} the epoch millis of the first action's
 * expiry (absent without actions), past which the API filters the JSON itself until the job writes
 * the next decision, and {@code version}, for the job's write-if-newer.
 */
public final class StoredActions {
  public static final String VERSION = "version";
  public static final String JSON = "json";
  public static final String AGENT_JSON = "agentJson";
  public static final String VALID_UNTIL = "validUntil";

  private StoredActions() {}

  /** The hash's fields for one list of actions, in a stable order. */
  public static Map<String, String> fields(NextBestActions list) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(VERSION, Long.toString(list.getVersion()));
    fields.put(JSON, AvroToJson.write(list).toString());
    List<Action> forAgents = list.getActions().stream().filter(Action::getAgentVisible).toList();
    if (forAgents.size() < list.getActions().size()) {
      NextBestActions agentList = NextBestActions.newBuilder(list).setActions(forAgents).build();
      fields.put(AGENT_JSON, AvroToJson.write(agentList).toString());
    }
    list.getActions().stream()
        .mapToLong(a -> a.getExpiresAt().toEpochMilli())
        .min()
        .ifPresent(first -> fields.put(VALID_UNTIL, Long.toString(first)));
    return fields;
  }
}
