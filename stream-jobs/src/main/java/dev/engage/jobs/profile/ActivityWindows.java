package dev.engage.jobs.profile;

import dev.engage.avro.ActivityBucket;
import dev.engage.avro.WindowTotals;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rolling windows over bucketed activity instead of every event: minute buckets for the last hour,
 * hour buckets for the last 7 days, day buckets (with purchased categories) for the last 30 days. A
 * window ending at time {@code at} sums the buckets that start after {@code at} minus its length,
 * so it is exact to its bucket size (a minute for 1h, an hour for 24h and 7d, a day for 30d) and a
 * customer's state stays bounded (at most 60 + 168 + 30 buckets).
 */
final class ActivityWindows {
  static final Duration MINUTE = Duration.ofMinutes(1);
  static final Duration HOUR = Duration.ofHours(1);
  static final Duration DAY = Duration.ofDays(1);

  private ActivityWindows() {}

  /** Adds one touchpoint at event time {@code at} to the three bucket series. */
  static void add(
      List<ActivityBucket> minutes,
      List<ActivityBucket> hours,
      List<ActivityBucket> days,
      long at,
      boolean purchase,
      double amount,
      Map<String, Long> categories) {
    addTo(minutes, MINUTE, at, purchase, amount, Map.of());
    addTo(hours, HOUR, at, purchase, amount, Map.of());
    addTo(days, DAY, at, purchase, amount, categories);
  }

  /** Drops the buckets no window ending at {@code at} needs any more. */
  static void prune(
      List<ActivityBucket> minutes,
      List<ActivityBucket> hours,
      List<ActivityBucket> days,
      long at) {
    dropStartingUpTo(minutes, at - HOUR.toMillis());
    dropStartingUpTo(hours, at - Duration.ofDays(7).toMillis());
    dropStartingUpTo(days, at - Duration.ofDays(30).toMillis());
  }

  /**
   * Removes the oldest buckets by index, not through an iterator: state read back from RocksDB
   * holds Avro's arrays, whose iterators cannot remove.
   */
  private static void dropStartingUpTo(List<ActivityBucket> buckets, long cutoff) {
    while (!buckets.isEmpty() && buckets.get(0).getStart() <= cutoff) {
      buckets.remove(0);
    }
  }

  /** Totals of the 1h, 24h, 7d and 30d windows ending at {@code at}. */
  static Map<String, WindowTotals> totals(
      List<ActivityBucket> minutes,
      List<ActivityBucket> hours,
      List<ActivityBucket> days,
      long at) {
    Map<String, WindowTotals> totals = new LinkedHashMap<>();
    totals.put("1h", sum(minutes, at - HOUR.toMillis()));
    totals.put("24h", sum(hours, at - DAY.toMillis()));
    totals.put("7d", sum(hours, at - Duration.ofDays(7).toMillis()));
    totals.put("30d", sum(days, at - Duration.ofDays(30).toMillis()));
    return totals;
  }

  /** Purchased items per category over the 30 days ending at {@code at}. */
  static Map<String, Long> categories30d(List<ActivityBucket> days, long at) {
    Map<String, Long> categories = new HashMap<>();
    for (ActivityBucket day : days) {
      if (day.getStart() > at - Duration.ofDays(30).toMillis()) {
        day.getCategories().forEach((category, n) -> categories.merge(category, n, Long::sum));
      }
    }
    return categories;
  }

  /** Adds the other customer's buckets into these, bucket by bucket (same start, summed). */
  static void mergeInto(List<ActivityBucket> buckets, List<ActivityBucket> other) {
    Map<Long, ActivityBucket> byStart = new TreeMap<>();
    for (ActivityBucket bucket : buckets) {
      byStart.put(bucket.getStart(), bucket);
    }
    for (ActivityBucket add : other) {
      ActivityBucket bucket =
          byStart.computeIfAbsent(
              add.getStart(), start -> new ActivityBucket(start, 0L, 0L, 0.0, new HashMap<>()));
      bucket.setEvents(bucket.getEvents() + add.getEvents());
      bucket.setPurchases(bucket.getPurchases() + add.getPurchases());
      bucket.setAmount(bucket.getAmount() + add.getAmount());
      bucket.setCategories(summed(bucket.getCategories(), add.getCategories()));
    }
    buckets.clear();
    buckets.addAll(byStart.values());
  }

  static Map<String, Long> summed(Map<String, Long> one, Map<String, Long> other) {
    Map<String, Long> sum = new HashMap<>(one);
    other.forEach((key, n) -> sum.merge(key, n, Long::sum));
    return sum;
  }

  private static WindowTotals sum(List<ActivityBucket> buckets, long after) {
    WindowTotals totals = new WindowTotals(0L, 0L, 0.0);
    for (ActivityBucket bucket : buckets) {
      if (bucket.getStart() > after) {
        totals.setEvents(totals.getEvents() + bucket.getEvents());
        totals.setPurchases(totals.getPurchases() + bucket.getPurchases());
        totals.setAmount(totals.getAmount() + bucket.getAmount());
      }
    }
    return totals;
  }

  private static void addTo(
      List<ActivityBucket> buckets,
      Duration size,
      long at,
      boolean purchase,
      double amount,
      Map<String, Long> categories) {
    long start = at - Math.floorMod(at, size.toMillis());
    int i = buckets.size();
    while (i > 0 && buckets.get(i - 1).getStart() > start) {
      i--; // a late event goes into its own (older) bucket, keeping the list in order
    }
    ActivityBucket bucket;
    if (i > 0 && buckets.get(i - 1).getStart() == start) {
      bucket = buckets.get(i - 1);
    } else {
      bucket = new ActivityBucket(start, 0L, 0L, 0.0, new HashMap<>());
      buckets.add(i, bucket);
    }
    bucket.setEvents(bucket.getEvents() + 1);
    if (purchase) {
      bucket.setPurchases(bucket.getPurchases() + 1);
      bucket.setAmount(bucket.getAmount() + amount);
    }
    if (!categories.isEmpty()) {
      bucket.setCategories(summed(bucket.getCategories(), categories));
    }
  }
}
