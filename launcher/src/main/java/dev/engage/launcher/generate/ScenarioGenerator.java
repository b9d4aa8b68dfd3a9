package dev.engage.launcher.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.launcher.generate.Emitted.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A seeded scenario of customers browsing, calling, buying and flying: web and app sessions
 * (anonymous, then identified, so identities stitch), carts bought or abandoned, purchases online
 * and in stores, contact-center calls, monthly invoices paid on time, late or not at all,
 * preferences declared in advance, bookings on a flight schedule, and delays with one cancellation
 * half-way through. The same settings always give the same events, day by day in time order (within
 * a day the sources are interleaved as they happened).
 */
public final class ScenarioGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ZONES =
      List.of("Europe/Berlin", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo");
  private static final List<String> CHANNELS = List.of("email", "sms", "push", "in_app");
  private static final List<String> ON_DISRUPTION =
      List.of("rebook_next_flight", "refund", "call_me");
  private static final List<String> STORES =
      List.of("berlin-mitte", "munich-center", "hamburg-port");
  private static final List<String> CALL_REASONS =
      List.of("billing", "delivery", "booking_change", "complaint", "product_question");

  private final ScenarioSettings settings;
  private final Random random;
  private final List<SimulatedCustomer> customers = new ArrayList<>();
  private final FlightSchedule flights;
  private long sequence;

  public ScenarioGenerator(ScenarioSettings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    for (int i = 0; i < settings.customers(); i++) {
      customers.add(customer(i));
    }
    this.flights = new FlightSchedule(settings, new Random(settings.seed() * 31 + 7));
  }

  /** The scenario's customers, for summaries and tests. */
  public List<SimulatedCustomer> customers() {
    return List.copyOf(customers);
  }

  /** The flights the scenario disrupts, with their passengers, for summaries and tests. */
  public FlightSchedule flights() {
    return flights;
  }

  /**
   * Hands every event to the sink in time order. Days are drawn one after another; what a day sets
   * in motion later (a payment after its due date) waits in a queue until its time comes, and
   * whatever would happen after the span is left out.
   */
  public void generate(Consumer<Emitted> sink) {
    // ties at one instant come out in the same order for the same seed: the queue has no chance
    PriorityQueue<Emitted> waiting = new PriorityQueue<>(Comparator.comparing(Emitted::at));
    List<Emitted> schedule = new ArrayList<>();
    flights.scheduleAndBookings(customers, schedule);
    waiting.addAll(schedule);
    Instant end = settings.start().plus(settings.span());
    for (int day = 0; day < settings.days(); day++) {
      Instant dayStart = settings.start().plus(Duration.ofDays(day));
      List<Emitted> events = new ArrayList<>();
      for (SimulatedCustomer c : customers) {
        dayOf(c, day, dayStart, events);
      }
      waiting.addAll(events);
      Instant nextDay = dayStart.plus(Duration.ofDays(1));
      while (!waiting.isEmpty() && waiting.peek().at().isBefore(nextDay)) {
        Emitted next = waiting.poll();
        if (next.at().isBefore(end)) {
          sink.accept(next);
        }
      }
    }
  }

  private SimulatedCustomer customer(int i) {
    String id = String.format(Locale.ROOT, "c%05d", i);
    String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
    boolean hasApp = random.nextDouble() < 0.4;
    List<String> favourites = new ArrayList<>();
    while (favourites.size() < 2) {
      String category = Products.CATEGORIES.get(random.nextInt(Products.CATEGORIES.size()));
      if (!favourites.contains(category)) {
        favourites.add(category);
      }
    }
    boolean quiet = random.nextDouble() < 0.6;
    return new SimulatedCustomer(
        id,
        "anon-" + new UUID(random.nextLong(), random.nextLong()).toString().substring(0, 13),
        id + "@customers.example.com",
        String.format(Locale.ROOT, "+4915%09d", i),
        String.format(Locale.ROOT, "LOY%07d", i),
        hasApp ? "push-" + Long.toHexString(random.nextLong()) : null,
        ZoneId.of(ZONES.get(random.nextInt(ZONES.size()))),
        channel.equals("push") && !hasApp ? "email" : channel,
        random.nextDouble() < 0.8,
        random.nextDouble() < 0.6,
        hasApp && random.nextDouble() < 0.7,
        quiet ? LocalTime.of(22, 0) : null,
        quiet ? LocalTime.of(7, 0) : null,
        ON_DISRUPTION.get(random.nextInt(ON_DISRUPTION.size())),
        favourites,
        0.3 + random.nextDouble() * 1.4,
        random.nextDouble());
  }

  private void dayOf(SimulatedCustomer c, int day, Instant dayStart, List<Emitted> out) {
    int joinDay = Math.floorMod(c.id().hashCode(), Math.max(1, settings.days() / 3));
    if (day == joinDay) {
      // the first visit: anonymous pages, then the sign-up that links them to the customer
      Instant t = at(dayStart, 9, 21);
      pageViews(c, false, t, out);
      out.add(segment(Target.WEB, t.plusSeconds(240), identify(c)));
      return;
    }
    boolean identified = day > joinDay;
    if (random.nextDouble() < 0.12 * c.activity()) {
      webSession(c, identified, at(dayStart, 7, 23), out);
    }
    if (c.deviceToken() != null && identified && random.nextDouble() < 0.06 * c.activity()) {
      appSession(c, at(dayStart, 6, 23), out);
    }
    if (identified && random.nextDouble() < 0.05 * c.activity()) {
      out.add(new Emitted(at(dayStart, 8, 20), Target.POS, receipt(c, at(dayStart, 8, 20))));
    }
    if (identified && random.nextDouble() < 0.008) {
      call(c, at(dayStart, 8, 18), out);
    }
    if (identified && Math.floorMod(c.id().hashCode() + day, 30) == 0 && c.activity() > 1.0) {
      invoice(c, at(dayStart, 6, 7), out);
    }
  }

  private void webSession(SimulatedCustomer c, boolean identified, Instant t, List<Emitted> out) {
    pageViews(c, identified, t, out);
    if (!identified || random.nextDouble() >= 0.4) {
      return;
    }
    Products.Product product = favourite(c);
    Instant cart = t.plusSeconds(300);
    out.add(
        segment(
            Target.WEB,
            cart,
            track(c, "Product Added").set("properties", product(product).put("quantity", 1))));
    if (random.nextDouble() < 0.55) {
      Instant bought = cart.plusSeconds(120 + random.nextInt(1200));
      out.add(segment(Target.WEB, bought, order(c, List.of(product))));
    }
  }

  private void pageViews(SimulatedCustomer c, boolean identified, Instant t, List<Emitted> out) {
    int pages = 2 + random.nextInt(4);
    for (int i = 0; i < pages; i++) {
      ObjectNode page = base(c, identified, "page");
      page.put("name", i == 0 ? "Home" : "Category");
      page.putObject("properties").put("path", i == 0 ? "/" : "/c/" + favourite(c).category());
      if (i == 0) {
        ((ObjectNode) page.get("context"))
            .putObject("campaign")
            .put("source", random.nextBoolean() ? "newsletter" : "search")
            .put("medium", "web")
            .put("name", "winter-sale");
      }
      out.add(segment(Target.WEB, t.plusSeconds(40L * i), page));
    }
  }

  private void appSession(SimulatedCustomer c, Instant t, List<Emitted> out) {
    ObjectNode screen = base(c, true, "screen").put("name", "Offers");
    ((ObjectNode) screen.get("context"))
        .putObject("device")
        .put("token", c.deviceToken())
        .put("type", "ios");
    out.add(segment(Target.APP, t, screen));
    if (random.nextDouble() < 0.3) {
      out.add(segment(Target.APP, t.plusSeconds(200), order(c, List.of(favourite(c)))));
    }
  }

  private void call(SimulatedCustomer c, Instant t, List<Emitted> out) {
    String callId = "call-" + Long.toHexString(random.nextLong());
    String reason = CALL_REASONS.get(random.nextInt(CALL_REASONS.size()));
    String agent = "agent-" + (1 + random.nextInt(12));
    int seconds = 120 + random.nextInt(900);
    ObjectNode started =
        JSON.createObjectNode()
            .put("event", "call_started")
            .put("callId", callId)
            .put("customerId", c.id())
            .put("agentId", agent)
            .put("reason", reason)
            .put("queue", reason.equals("complaint") ? "care" : "general")
            .put("timestamp", t.toString());
    ObjectNode ended =
        started
            .deepCopy()
            .put("event", "call_ended")
            .put("outcome", random.nextDouble() < 0.7 ? "resolved" : "follow_up")
            .put("durationSeconds", seconds)
            .put("timestamp", t.plusSeconds(seconds).toString());
    out.add(new Emitted(t, Target.CALL_CENTER, started));
    out.add(new Emitted(t.plusSeconds(seconds), Target.CALL_CENTER, ended));
  }

  private void invoice(SimulatedCustomer c, Instant t, List<Emitted> out) {
    String invoiceId = "inv-" + Long.toHexString(random.nextLong());
    Instant due = t.plus(Duration.ofDays(14));
    ObjectNode issued = track(c, "Invoice Issued");
    issued
        .putObject("properties")
        .put("invoiceId", invoiceId)
        .put("amount", 29.90)
        .put("currency", "EUR")
        .put("dueDate", due.toString());
    out.add(segment(Target.WEB, t, issued));
    double paying = random.nextDouble();
    if (paying < 0.9) {
      // 70 % pay before the due date, 20 % up to ten days late, 10 % not within the scenario
      long offsetHours =
          paying < 0.7 ? -(24 + random.nextInt(24 * 10)) : 24 + random.nextInt(24 * 10);
      ObjectNode paid = track(c, "Payment Received");
      paid.putObject("properties")
          .put("invoiceId", invoiceId)
          .put("amount", 29.90)
          .put("currency", "EUR");
      out.add(segment(Target.WEB, due.plus(Duration.ofHours(offsetHours)), paid));
    }
  }

  private ObjectNode identify(SimulatedCustomer c) {
    ObjectNode identify = base(c, true, "identify").put("anonymousId", c.anonymousId());
    ObjectNode traits =
        identify
            .putObject("traits")
            .put("email", c.email())
            .put("phone", c.phone())
            .put("loyalty_id", c.loyaltyId())
            .put("preferredChannel", c.preferredChannel())
            .put("consent_email", c.consentEmail())
            .put("consent_sms", c.consentSms())
            .put("consent_push", c.consentPush())
            .put("timeZone", c.timeZone().getId())
            .put("onDisruption", c.onDisruption());
    if (c.quietStart() != null) {
      traits
          .put("quietHoursStart", c.quietStart().toString())
          .put("quietHoursEnd", c.quietEnd().toString());
    }
    return identify;
  }

  private ObjectNode receipt(SimulatedCustomer c, Instant t) {
    ObjectNode receipt =
        JSON.createObjectNode()
            .put("receiptId", "r" + Long.toHexString(random.nextLong()))
            .put("store", STORES.get(random.nextInt(STORES.size())))
            .put("timestamp", t.toString())
            .put("loyaltyId", c.loyaltyId())
            .put("currency", "EUR");
    ArrayNode items = receipt.putArray("items");
    int lines = 1 + random.nextInt(4);
    for (int i = 0; i < lines; i++) {
      Products.Product p = favourite(c);
      items
          .addObject()
          .put("sku", p.sku())
          .put("name", p.name())
          .put("category", p.category())
          .put("quantity", 1 + random.nextInt(2))
          .put("price", p.price());
    }
    return receipt;
  }

  private ObjectNode order(SimulatedCustomer c, List<Products.Product> products) {
    ObjectNode order = track(c, "Order Completed");
    ObjectNode properties =
        order.putObject("properties").put("orderId", "o" + Long.toHexString(random.nextLong()));
    double revenue = 0;
    ArrayNode lines = properties.putArray("products");
    for (Products.Product p : products) {
      lines.add(product(p).put("quantity", 1));
      revenue += p.price();
    }
    properties.put("revenue", Math.round(revenue * 100) / 100.0).put("currency", "EUR");
    return order;
  }

  private static ObjectNode product(Products.Product p) {
    return JSON.createObjectNode()
        .put("sku", p.sku())
        .put("name", p.name())
        .put("category", p.category())
        .put("price", p.price());
  }

  private ObjectNode track(SimulatedCustomer c, String event) {
    return base(c, true, "track").put("event", event);
  }

  private ObjectNode base(SimulatedCustomer c, boolean identified, String type) {
    ObjectNode event = JSON.createObjectNode().put("type", type);
    if (identified) {
      event.put("userId", c.id());
    } else {
      event.put("anonymousId", c.anonymousId());
    }
    event.put("messageId", "gen-" + settings.seed() + "-" + (sequence++));
    event
        .putObject("context")
        .putObject("library")
        .put("name", "engage-generate")
        .put("version", "1");
    return event;
  }

  private Emitted segment(Target target, Instant at, ObjectNode event) {
    event.put("timestamp", at.toString());
    return new Emitted(at, target, event);
  }

  private Products.Product favourite(SimulatedCustomer c) {
    String category =
        random.nextDouble() < 0.8
            ? c.favouriteCategories().get(random.nextInt(c.favouriteCategories().size()))
            : Products.CATEGORIES.get(random.nextInt(Products.CATEGORIES.size()));
    return Products.pick(category, random);
  }

  /** A moment of the day between the two hours (UTC), to the second. */
  private Instant at(Instant dayStart, int fromHour, int toHour) {
    return dayStart.plusSeconds(fromHour * 3600L + random.nextInt((toHour - fromHour) * 3600));
  }
}
