package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Touchpoint;

/**
 * What the trigger operator hears about a customer: a touchpoint, a new version of their profile,
 * or a request to erase them (exactly one is set). Flink's keyed broadcast operator takes one keyed
 * input, so the three streams meet as this union. A Flink POJO.
 */
public class CustomerInput {
  public Touchpoint touchpoint;
  public CustomerProfile profile;
  public ErasureRequest erasure;

  public CustomerInput() {}

  public static CustomerInput of(Touchpoint touchpoint) {
    CustomerInput input = new CustomerInput();
    input.touchpoint = touchpoint;
    return input;
  }

  public static CustomerInput of(CustomerProfile profile) {
    CustomerInput input = new CustomerInput();
    input.profile = profile;
    return input;
  }

  public static CustomerInput of(ErasureRequest erasure) {
    CustomerInput input = new CustomerInput();
    input.erasure = erasure;
    return input;
  }

  public String customerId() {
    if (touchpoint != null) {
      return touchpoint.getCustomerId();
    }
    return profile != null ? profile.getCustomerId() : erasure.getCustomerId();
  }
}
