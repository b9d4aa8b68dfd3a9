package dev.engage.jobs.profile;

import dev.engage.avro.ErasureRequest;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.Touchpoint;

/**
 * What the profile operator hears about a customer id, exactly one of: a touchpoint; a merge of
 * this id into another (keyed by the id that stops existing); the state of an id merged into this
 * one (keyed by the survivor); or a request to erase the customer. Flink's keyed broadcast operator
 * takes one keyed input, so the four streams meet as this union. A Flink POJO.
 */
public class ProfileInput {
  public Touchpoint touchpoint;
  public IdentityMerge merge;
  public ProfileTransfer transfer;
  public ErasureRequest erasure;

  public ProfileInput() {}

  static ProfileInput of(Touchpoint touchpoint) {
    ProfileInput input = new ProfileInput();
    input.touchpoint = touchpoint;
    return input;
  }

  static ProfileInput of(IdentityMerge merge) {
    ProfileInput input = new ProfileInput();
    input.merge = merge;
    return input;
  }

  static ProfileInput of(ProfileTransfer transfer) {
    ProfileInput input = new ProfileInput();
    input.transfer = transfer;
    return input;
  }

  static ProfileInput of(ErasureRequest erasure) {
    ProfileInput input = new ProfileInput();
    input.erasure = erasure;
    return input;
  }

  String customerId() {
    if (touchpoint != null) {
      return touchpoint.getCustomerId();
    }
    if (merge != null) {
      return merge.getFrom();
    }
    return transfer != null ? transfer.getInto() : erasure.getCustomerId();
  }
}
