package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.RuleRecord;
import dev.engage.jobs.JobTopics;
import dev.engage.jobs.value.BtydSimulator.SimulatedCustomer;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.ValueModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code engage value fit} on the real broker and registry: profiles of customers simulated from
 * the models with known parameters go onto a profiles topic, the fit reads them back, recovers the
 * parameters and publishes them as a value model on the rules topic, as a new version each time.
 */
@ExtendWith(SharedStack.class)
class ValueModelFitIT {
  private static final BgNbd TRUE_PURCHASES = new BgNbd(0.5, 20, 0.8, 4.0);
  private static final GammaGamma TRUE_SPEND = new GammaGamma(6, 4, 15);
  private static final double CALIBRATION_DAYS = 730;
  private static final Instant CALIBRATION_END = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant ORIGIN = CALIBRATION_END.minus(Duration.ofDays(730));

  @Test
  void aFitOverTheProfilesTopicRecoversTheSimulatedParametersAndPublishesThem(StackConfig stack)
      throws Exception {
    JobTopics topics = JobTopics.create(stack);
    List<SimulatedCustomer> simulated =
        new BtydSimulator(TRUE_PURCHASES, TRUE_SPEND, 365, CALIBRATION_DAYS, 365)
            .simulate(20_000, 17);
    List<CustomerProfile> profiles = new ArrayList<>();
    for (int i = 0; i < simulated.size(); i++) {
      profiles.add(profile("sim-" + i, simulated.get(i)));
    }
    // who never bought, and who was merged away, are not customers the models describe
    profiles.add(profile("browser", null));
    CustomerProfile forwarder = profile("merged-away", simulated.get(0));
    forwarder.setMergedInto("sim-0");
    profiles.add(forwarder);
    topics.send(topics.catalog().profiles(), CustomerProfile::getCustomerId, profiles);

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ValueModelFit fit = new ValueModelFit(new PrintStream(printed, true, StandardCharsets.UTF_8));
    fit.bootstrapServers = stack.bootstrapServers();
    fit.registryUrl = stack.registryUrl();
    fit.profilesTopic = topics.catalog().profiles().name();
    fit.rulesTopic = topics.catalog().rules().name();
    fit.rulesHistoryTopic = topics.catalog().rulesHistory().name();
    fit.asOf = CALIBRATION_END;
    assertThat(fit.call()).isZero();
    System.out.print(printed.toString(StandardCharsets.UTF_8));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("value fit: 20,000 customers", "published lifetime-value version 1");

    // the same profiles fitted again give the same model: its version stays
    ValueModelFit.Result again = fit.fit();
    assertThat(again.customers()).isEqualTo(simulated.size());
    assertThat(again.version()).isEqualTo(1);
    // within 15% as in ModelFitTest; the days the profile counts in shift the ages by under a day
    BgNbd purchases = again.purchases();
    assertThat(purchases.r()).isCloseTo(TRUE_PURCHASES.r(), withinPercentage(15));
    assertThat(purchases.alpha()).isCloseTo(TRUE_PURCHASES.alpha(), withinPercentage(15));
    assertThat(purchases.a()).isCloseTo(TRUE_PURCHASES.a(), withinPercentage(15));
    assertThat(purchases.b()).isCloseTo(TRUE_PURCHASES.b(), withinPercentage(15));
    GammaGamma spend = again.spend();
    assertThat(spend.p()).isCloseTo(TRUE_SPEND.p(), withinPercentage(15));
    assertThat(spend.q()).isCloseTo(TRUE_SPEND.q(), withinPercentage(15));
    assertThat(spend.gamma()).isCloseTo(TRUE_SPEND.gamma(), withinPercentage(15));

    // a month later the customers are older: a new fit, a new version
    fit.asOf = CALIBRATION_END.plus(Duration.ofDays(30));
    ValueModelFit.Result later = fit.fit();
    assertThat(later.version()).isEqualTo(2);
    purchases = later.purchases();
    spend = later.spend();

    List<RuleRecord> published =
        topics.records(
            null,
            topics.catalog().rules(),
            r -> r.getId().equals(ValueModelFit.ID),
            2,
            Duration.ofSeconds(30));
    RuleRecord latest = published.get(published.size() - 1);
    assertThat(latest.getKind()).isEqualTo(ValueModel.KIND);
    assertThat(latest.getVersion()).isEqualTo(2);
    ValueModel model =
        (ValueModel) new DefinitionParser(new ConditionCompiler()).parse(latest.getSource());
    assertThat(model.purchases())
        .isEqualTo(
            new ValueModel.PurchaseRates(
                purchases.r(), purchases.alpha(), purchases.a(), purchases.b()));
    assertThat(model.spend()).isEqualTo(new ValueModel.Spend(spend.p(), spend.q(), spend.gamma()));
    assertThat(model.fittedOn()).isEqualTo(simulated.size());
    assertThat(model.fittedAt()).isEqualTo(fit.asOf);
  }

  /** The customer's profile as the job keeps it, its purchases counted in UTC days. */
  private static CustomerProfile profile(String id, SimulatedCustomer customer) {
    CustomerProfile.Builder profile =
        CustomerProfile.newBuilder()
            .setCustomerId(id)
            .setVersion(1)
            .setFirstSeen(ORIGIN)
            .setLastSeen(CALIBRATION_END)
            .setUpdatedAt(CALIBRATION_END);
    if (customer != null) {
      profile.setPurchaseDays(customer.purchaseDays(ORIGIN));
    }
    return profile.build();
  }
}
