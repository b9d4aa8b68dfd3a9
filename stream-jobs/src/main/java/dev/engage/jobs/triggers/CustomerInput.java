package dev.engage.jobs.triggers;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;

/**
 * What the trigger operator hears about a customer: a touchpoint, or a new version of their profile
 * (exactly one is set). Flink's keyed broadcast operator takes one keyed input, so the two streams
 * meet as this union. A Flink POJO.
 */
public class CustomerInput {
  public Touchpoint touchpoint;
  public CustomerProfile profile;

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

  public String customerId() {
    return touchpoint != null ? touchpoint.getCustomerId() : profile.getCustomerId();
  }
}
