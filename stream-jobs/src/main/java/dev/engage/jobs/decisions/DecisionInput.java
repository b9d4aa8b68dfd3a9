package dev.engage.jobs.decisions;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Response;
import dev.engage.avro.TriggerFired;

/**
 * What the decisions operator hears about a customer: a rule fired, a new profile version, a
 * response to an action or notification, or a request to erase them (exactly one is set). Flink's
 * keyed broadcast operator takes one keyed input, so the streams meet as this union. A Flink POJO.
 */
public class DecisionInput {
  public TriggerFired trigger;
  public CustomerProfile profile;
  public Response response;
  public ErasureRequest erasure;

  public DecisionInput() {}

  public static DecisionInput of(TriggerFired trigger) {
    DecisionInput input = new DecisionInput();
    input.trigger = trigger;
    return input;
  }

  public static DecisionInput of(CustomerProfile profile) {
    DecisionInput input = new DecisionInput();
    input.profile = profile;
    return input;
  }

  public static DecisionInput of(Response response) {
    DecisionInput input = new DecisionInput();
    input.response = response;
    return input;
  }

  public static DecisionInput of(ErasureRequest erasure) {
    DecisionInput input = new DecisionInput();
    input.erasure = erasure;
    return input;
  }

  public String customerId() {
    if (trigger != null) {
      return trigger.getCustomerId();
    }
    if (profile != null) {
      return profile.getCustomerId();
    }
    return response != null ? response.getCustomerId() : erasure.getCustomerId();
  }
}
