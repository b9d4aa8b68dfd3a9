package dev.engage.jobs.value;

/**
 * One customer's purchases summarised the way the buy-till-you-die models read them (the symbols of
 * Fader, Hardie and Lee in brackets). Time is in days, counted from the first purchase, which
 * starts the customer's clock and is not itself a repeat purchase.
 *
 * @param frequency repeat purchase days (x): the number of distinct days with a purchase, minus
 *     one; purchases on one day count once, as the models assume at most one purchase at a time
 * @param recency days from the first purchase to the last one (t_x); 0 when there is no repeat
 *     purchase
 * @param age days from the first purchase to the valuation time (T)
 * @param meanRepeatValue the average value of the repeat purchase days (m), each day's purchases
 *     summed; 0 when there is no repeat purchase. The first purchase is left out, as in the
 *     Gamma-Gamma model
 */
public record PurchaseHistory(int frequency, double recency, double age, double meanRepeatValue) {

  /**
   * Checks the summary is one a customer could have.
   *
   * @throws IllegalArgumentException naming the first field that is out of range
   */
  public PurchaseHistory {
    if (frequency < 0) {
      throw new IllegalArgumentException("frequency must be >= 0, was " + frequency);
    }
    if (!Double.isFinite(age) || age < 0) {
      throw new IllegalArgumentException("age must be finite and >= 0 days, was " + age);
    }
    if (!(recency >= 0 && recency <= age)) {
      throw new IllegalArgumentException(
          "recency must be between 0 and the age (" + age + " days), was " + recency);
    }
    if (!Double.isFinite(meanRepeatValue) || meanRepeatValue < 0) {
      throw new IllegalArgumentException(
          "meanRepeatValue must be finite and >= 0, was " + meanRepeatValue);
    }
    if (frequency == 0 && (recency != 0 || meanRepeatValue != 0)) {
      throw new IllegalArgumentException(
          "with no repeat purchase recency and meanRepeatValue must be 0, were "
              + recency
              + " and "
              + meanRepeatValue);
    }
  }
}
