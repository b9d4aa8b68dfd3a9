package dev.engage.schemas.topics;

import dev.engage.avro.Attribution;
import dev.engage.avro.Booking;
import dev.engage.avro.ContactPoints;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.NotificationDeadLetter;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.serde.AvroDeserializer;
import dev.engage.schemas.serde.AvroSerializer;
import dev.engage.schemas.serde.AvroWireCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of DESIGN.md's contract table with its key and value types, built from configuration,
 * plus the profile job's internal {@code profile.transfers} (merged profiles on their way to the
 * surviving customer id) and {@code rules.history} (every published version of a definition). Keys
 * are strings; values are Avro in Confluent's wire format, except the raw JSON as collectors
 * received it and the identity links (a customer id).
 */
public final class TopicCatalog {
  private final TopicSettings settings;
  private final SchemaRegistryClient registry;
  private final List<Topic<?, ?>> all = new ArrayList<>();

  private final Topic<String, String> touchpointsRaw;
  private final Topic<String, Touchpoint> touchpoints;
  private final Topic<String, DeadLetter> touchpointsDlq;
  private final Topic<String, String> identityLinks;
  private final Topic<String, IdentityMerge> identityMerges;
  private final Topic<String, FlightStatus> flightStatus;
  private final Topic<String, Booking> bookings;
  private final Topic<String, RuleRecord> rules;
  private final Topic<String, RuleRecord> rulesHistory;
  private final Topic<String, CustomerProfile> profiles;
  private final Topic<String, TriggerFired> triggers;
  private final Topic<String, NextBestActions> actions;
  private final Topic<String, Notification> notifications;
  private final Topic<String, Response> responses;
  private final Topic<String, Decision> decisions;
  private final Topic<String, PropensityCounts> propensities;
  private final Topic<String, ErasureRequest> erasure;
  private final Topic<String, ProfileTransfer> profileTransfers;
  private final Topic<String, ContactPoints> contacts;
  private final Topic<String, NotificationDeadLetter> notificationsDlq;
  private final Topic<String, DeadLetter> jobsDlq;
  private final Topic<String, Attribution> attributions;

  public TopicCatalog(TopicSettings settings, SchemaRegistryClient registry) {
    this.settings = settings;
    this.registry = registry;
    touchpointsRaw = text("touchpoints.raw", Cleanup.DELETE);
    touchpoints = avro("touchpoints", Cleanup.DELETE, Touchpoint.class);
    touchpointsDlq = avro("touchpoints.dlq", Cleanup.DELETE, DeadLetter.class);
    identityLinks = text("identity.links", Cleanup.COMPACT);
    identityMerges = avro("identity.merges", Cleanup.DELETE, IdentityMerge.class);
    flightStatus = avro("flight.status", Cleanup.DELETE, FlightStatus.class);
    bookings = avro("bookings", Cleanup.COMPACT, Booking.class);
    rules = avro("rules", Cleanup.COMPACT, RuleRecord.class);
    rulesHistory = avro("rules.history", Cleanup.KEEP, RuleRecord.class);
    profiles = avro("profiles", Cleanup.COMPACT, CustomerProfile.class);
    triggers = avro("triggers", Cleanup.DELETE, TriggerFired.class);
    actions = avro("actions", Cleanup.COMPACT, NextBestActions.class);
    notifications = avro("notifications", Cleanup.DELETE, Notification.class);
    responses = avro("responses", Cleanup.DELETE, Response.class);
    decisions = avro("decisions", Cleanup.DELETE, Decision.class);
    propensities = avro("propensities", Cleanup.COMPACT, PropensityCounts.class);
    erasure = avro("erasure", Cleanup.COMPACT, ErasureRequest.class);
    profileTransfers = avro("profile.transfers", Cleanup.DELETE, ProfileTransfer.class);
    contacts = avro("contacts", Cleanup.COMPACT, ContactPoints.class);
    notificationsDlq = avro("notifications.dlq", Cleanup.DELETE, NotificationDeadLetter.class);
    jobsDlq = avro("jobs.dlq", Cleanup.DELETE, DeadLetter.class);
    attributions = avro("attributions", Cleanup.DELETE, Attribution.class);
  }

  /** The logical ids of all topics, for validating configuration. */
  public static Set<String> ids() {
    Set<String> ids = new TreeSet<>();
    new TopicCatalog(TopicSettings.local(), null).all().forEach(t -> ids.add(t.id()));
    return ids;
  }

  public List<Topic<?, ?>> all() {
    return Collections.unmodifiableList(all);
  }

  public short replicationFactor() {
    return settings.replicationFactor();
  }

  /** JSON as received, with collector metadata; key is any identifier. */
  public Topic<String, String> touchpointsRaw() {
    return touchpointsRaw;
  }

  public Topic<String, Touchpoint> touchpoints() {
    return touchpoints;
  }

  public Topic<String, DeadLetter> touchpointsDlq() {
    return touchpointsDlq;
  }

  /** Identifier ({@code type:value}) to customer id. */
  public Topic<String, String> identityLinks() {
    return identityLinks;
  }

  public Topic<String, IdentityMerge> identityMerges() {
    return identityMerges;
  }

  public Topic<String, FlightStatus> flightStatus() {
    return flightStatus;
  }

  public Topic<String, Booking> bookings() {
    return bookings;
  }

  public Topic<String, RuleRecord> rules() {
    return rules;
  }

  /**
   * Every version ever published of every definition, beside the compacted {@code rules} topic,
   * which keeps only the latest: keyed by id, a tombstone where a definition was deleted, kept for
   * good.
   */
  public Topic<String, RuleRecord> rulesHistory() {
    return rulesHistory;
  }

  public Topic<String, CustomerProfile> profiles() {
    return profiles;
  }

  public Topic<String, TriggerFired> triggers() {
    return triggers;
  }

  public Topic<String, NextBestActions> actions() {
    return actions;
  }

  public Topic<String, Notification> notifications() {
    return notifications;
  }

  public Topic<String, Response> responses() {
    return responses;
  }

  /**
   * Every decision of the decisions operator: candidates and scores, what was chosen, what was not
   * sent and why; for analytics and offline evaluation of other policies.
   */
  public Topic<String, Decision> decisions() {
    return decisions;
  }

  /** Each conversion with the credit of every touch before it, keyed by customer. */
  public Topic<String, Attribution> attributions() {
    return attributions;
  }

  /**
   * What customers of each segment did with each action ({@code CODE|segment}), the counts the
   * decisions' propensity estimates are made of; compacted, latest counts per key.
   */
  public Topic<String, PropensityCounts> propensities() {
    return propensities;
  }

  public Topic<String, ErasureRequest> erasure() {
    return erasure;
  }

  /** Internal to the profile job: a merged customer's state, keyed by the surviving id. */
  public Topic<String, ProfileTransfer> profileTransfers() {
    return profileTransfers;
  }

  /** Raw contact points per customer, the only copy of them; a tombstone after erasure. */
  public Topic<String, ContactPoints> contacts() {
    return contacts;
  }

  /** Notifications delivery gave up on, with the reason. */
  public Topic<String, NotificationDeadLetter> notificationsDlq() {
    return notificationsDlq;
  }

  /**
   * Records an operator of the Flink application threw on, with the exception as the reason, keyed
   * by the operator's key (mostly a customer id); the job goes on without them.
   */
  public Topic<String, DeadLetter> jobsDlq() {
    return jobsDlq;
  }

  private Topic<String, String> text(String id, Cleanup cleanup) {
    return add(
        new Topic<>(
            id,
            settings.nameOf(id),
            settings.partitionsOf(id),
            cleanup,
            String.class,
            Serdes.String(),
            Serdes.String()));
  }

  private <V extends SpecificRecord> Topic<String, V> avro(
      String id, Cleanup cleanup, Class<V> type) {
    AvroWireCodec<V> codec = new AvroWireCodec<>(registry, type);
    Serde<V> serde =
        Serdes.serdeFrom(new AvroSerializer<>(codec, false), new AvroDeserializer<>(codec));
    return add(
        new Topic<>(
            id,
            settings.nameOf(id),
            settings.partitionsOf(id),
            cleanup,
            type,
            Serdes.String(),
            serde));
  }

  private <K, V> Topic<K, V> add(Topic<K, V> topic) {
    all.add(topic);
    return topic;
  }
}
