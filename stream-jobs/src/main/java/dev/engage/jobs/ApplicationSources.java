package dev.engage.jobs;

import dev.engage.avro.Booking;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.jobs.triggers.RulesAtStart;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What the application reads, as streams with event time assigned: {@link KafkaSources} in
 * production, streams of their own in tests, which so run the same wiring ({@link
 * EngageApplication#wire}). A pipeline that asks for the same input twice gets the same stream.
 */
public interface ApplicationSources {
  /** Flight status updates, which are also the schedule the alternatives come from. */
  DataStream<FlightStatus> flightStatus();

  /** Bookings with their passengers; a cancellation is a field. */
  DataStream<Booking> bookings();

  /** Profile versions (the job's own output read back, for the disruption and decisions). */
  DataStream<CustomerProfile> profiles();

  DataStream<Touchpoint> touchpoints();

  /** Trigger rules, segments, scoring models and offers. */
  DataStream<RuleChange> rules();

  /** How far the trigger operator reads {@link #rules()} before it evaluates anything. */
  RulesAtStart rulesAtStart();

  /** Identity merges from the normalizer, keyed by the surviving customer. */
  DataStream<IdentityMerge> identityMerges();

  /** Merged-away profile states on their way to the survivor (the profile job's own loop). */
  DataStream<ProfileTransfer> profileTransfers();

  /** Erasure requests (GDPR), which every keyed operator honours. */
  DataStream<ErasureRequest> erasures();

  /** Responses to actions and notifications, which the decisions operator learns from. */
  DataStream<Response> responses();

  /** The propensity counts the job itself writes, read back for the decisions. */
  DataStream<PropensityCounts> propensities();
}
