package dev.engage.jobs.profile;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ProfileState;
import dev.engage.avro.RuleRecord;
import dev.engage.jobs.triggers.RuleChange;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment or scoring model published or deleted on the rules topic: kept in broadcast state,
 * compiled into {@link ProfileDefinitions}, and re-applied to every customer kept in state at once.
 */
final class DefinitionChanges {
  private static final Logger LOG = LoggerFactory.getLogger(DefinitionChanges.class);

  private final ProfileDefinitions definitions;
  private boolean loaded;

  DefinitionChanges(ProfileDefinitions definitions) {
    this.definitions = definitions;
  }

  /** After a start or restore: compiles what the broadcast state holds, once. */
  void loadOnce(ReadOnlyBroadcastState<String, RuleRecord> published) throws Exception {
    if (!loaded) {
      refresh(published);
    }
  }

  void apply(RuleChange change, ProfileUpdater.Context ctx, Collector<CustomerProfile> out)
      throws Exception {
    BroadcastState<String, RuleRecord> published =
        ctx.getBroadcastState(ProfileDescriptors.DEFINITIONS);
    RuleRecord known = published.get(change.id);
    if (change.isDeletion()) {
      if (known == null) {
        return;
      }
      published.remove(change.id);
    } else if (!ProfileDefinitions.KINDS.contains(change.record.getKind())
        || (known != null
            && known.getVersion() == change.record.getVersion()
            && known.getEnabled() == change.record.getEnabled())) {
      return; // a trigger rule, or a version already applied (the topic is re-read on start)
    } else {
      published.put(change.id, change.record);
    }
    refresh(published);
    Cause cause = causeOf(change, known);
    int[] changed = {0};
    ctx.applyToKeyedState(
        ProfileDescriptors.STATE,
        (customer, customerState) -> {
          ProfileState current = customerState.value();
          if (current != null && definitions.classify(current)) {
            current.getProfile().setLastCause(cause);
            current.getProfile().setVersion(current.getProfile().getVersion() + 1);
            current.getProfile().setUpdatedAt(cause.getReceivedAt());
            customerState.update(current);
            out.collect(CustomerProfile.newBuilder(current.getProfile()).build());
            changed[0]++;
          }
        });
    LOG.info("Definition {} applied; {} profiles changed", change.id, changed[0]);
  }

  private void refresh(ReadOnlyBroadcastState<String, RuleRecord> published) throws Exception {
    definitions.refresh(published.immutableEntries());
    loaded = true;
  }

  private static Cause causeOf(RuleChange change, RuleRecord before) {
    if (change.isDeletion()) {
      return new Cause(
          change.id + "/deleted", before.getKind() + "_deleted", before.getUpdatedAt());
    }
    RuleRecord record = change.record;
    return new Cause(
        record.getId() + "/" + record.getVersion(),
        record.getKind() + "_published",
        record.getUpdatedAt());
  }
}
