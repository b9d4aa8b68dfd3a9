package dev.engage.jobs.value;

import java.util.Collection;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum-likelihood fits of {@link BgNbd} and {@link GammaGamma} over a population of histories,
 * the scheduled batch step whose parameters the live job then applies per customer.
 *
 * <p>The search is Nelder-Mead over the logarithms of the parameters, so every point it tries is a
 * valid model and a parameter of 0.01 moves as easily as one of 100.
 */
public final class ModelFit {
  /** The most likelihood evaluations one fit may spend, over all its restarts. */
  public static final int MAX_EVALUATIONS = 20_000;

  private static final int MAX_RESTARTS = 5;
  private static final double RELATIVE_TOLERANCE = 1e-10;

  private ModelFit() {}

  /**
   * Fits BG/NBD to all the histories.
   *
   * @throws IllegalArgumentException if there are none
   * @throws IllegalStateException if the search does not converge within {@link #MAX_EVALUATIONS}
   */
  public static BgNbd bgNbd(Collection<PurchaseHistory> histories) {
    return bgNbd(histories, MAX_EVALUATIONS);
  }

  static BgNbd bgNbd(Collection<PurchaseHistory> histories, int maxEvaluations) {
    if (histories.isEmpty()) {
      throw new IllegalArgumentException("no histories to fit BG/NBD to");
    }
    List<PurchaseHistory> sample = List.copyOf(histories);
    // Start from a unit-shape purchase rate whose mean r / alpha is the sample's repeat purchases
    // per day of age, and dropout shapes of 1 (a uniform dropout probability).
    double purchases = sample.stream().mapToDouble(PurchaseHistory::frequency).sum();
    double days = sample.stream().mapToDouble(PurchaseHistory::age).sum();
    double alpha = Math.max(days, 1) / Math.max(purchases, 1);
    double[] logStart = {0, Math.log(alpha), 0, 0};
    int[] customersByFrequency = customersByFrequency(sample);
    double[] fitted =
        maximise(
            "BG/NBD",
            logStart,
            maxEvaluations,
            theta -> {
              BgNbd model = toBgNbd(theta);
              return sum(customersByFrequency, model::logLikelihoodOfFrequency)
                  + sum(sample, model::logLikelihoodOfTiming);
            });
    return toBgNbd(fitted);
  }

  /**
   * Fits Gamma-Gamma to the histories with at least one repeat purchase; the others say nothing
   * about spend in this model.
   *
   * @throws IllegalArgumentException if no history has a repeat purchase, or one that has has a
   *     mean value of 0
   * @throws IllegalStateException if the search does not converge within {@link #MAX_EVALUATIONS}
   */
  public static GammaGamma gammaGamma(Collection<PurchaseHistory> histories) {
    return gammaGamma(histories, MAX_EVALUATIONS);
  }

  static GammaGamma gammaGamma(Collection<PurchaseHistory> histories, int maxEvaluations) {
    List<PurchaseHistory> repeaters =
        histories.stream().filter(history -> history.frequency() >= 1).toList();
    if (repeaters.isEmpty()) {
      throw new IllegalArgumentException("no history with a repeat purchase to fit Gamma-Gamma to");
    }
    if (repeaters.stream().anyMatch(history -> history.meanRepeatValue() <= 0)) {
      throw new IllegalArgumentException(
          "Gamma-Gamma needs a positive mean repeat value for every customer with a repeat purchase");
    }
    // Start at p = 1, q = 2, which makes the population mean value p gamma / (q - 1) = gamma:
    // set gamma to the sample's mean value.
    double meanValue =
        repeaters.stream().mapToDouble(PurchaseHistory::meanRepeatValue).average().orElseThrow();
    double[] logStart = {0, Math.log(2), Math.log(meanValue)};
    int[] customersByFrequency = customersByFrequency(repeaters);
    double[] fitted =
        maximise(
            "Gamma-Gamma",
            logStart,
            maxEvaluations,
            theta -> {
              GammaGamma model = toGammaGamma(theta);
              return sum(customersByFrequency, model::logLikelihoodOfFrequency)
                  + sum(repeaters, model::logLikelihoodOfValue);
            });
    return toGammaGamma(fitted);
  }

  /**
   * How many customers have each frequency: the gamma functions of the likelihood depend on x
   * alone, and evaluating them once per distinct x rather than per customer makes a fit several
   * times faster.
   */
  private static int[] customersByFrequency(List<PurchaseHistory> sample) {
    int highest = sample.stream().mapToInt(PurchaseHistory::frequency).max().orElseThrow();
    int[] customers = new int[highest + 1];
    for (PurchaseHistory history : sample) {
      customers[history.frequency()]++;
    }
    return customers;
  }

  private static BgNbd toBgNbd(double[] theta) {
    return new BgNbd(
        Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]), Math.exp(theta[3]));
  }

  private static GammaGamma toGammaGamma(double[] theta) {
    return new GammaGamma(Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]));
  }

  private static double sum(int[] customersByFrequency, IntToDoubleFunction logLikelihood) {
    double total = 0;
    for (int x = 0; x < customersByFrequency.length; x++) {
      if (customersByFrequency[x] > 0) {
        total += customersByFrequency[x] * logLikelihood.applyAsDouble(x);
      }
    }
    return total;
  }

  private static double sum(
      List<PurchaseHistory> sample, ToDoubleFunction<PurchaseHistory> logLikelihood) {
    double total = 0;
    for (PurchaseHistory history : sample) {
      total += logLikelihood.applyAsDouble(history);
    }
    return total;
  }

  /**
   * Runs Nelder-Mead from the start, then again from each optimum until a restart no longer moves
   * the likelihood: a simplex can collapse before it reaches the optimum, and a fresh one around
   * the point found is the usual remedy.
   */
  private static double[] maximise(
      String model,
      double[] logStart,
      int maxEvaluations,
      ToDoubleFunction<double[]> logLikelihood) {
    ObjectiveFunction objective =
        new ObjectiveFunction(
            theta -> {
              double value;
              try {
                value = logLikelihood.applyAsDouble(theta);
              } catch (IllegalArgumentException outsideTheModel) {
                // exp of a far-out log-parameter under- or overflows to 0 or infinity
                return Double.NEGATIVE_INFINITY;
              }
              // Nelder-Mead compares values; a NaN would break its ordering, so it ranks last
              return Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
            });
    SimplexOptimizer optimizer = new SimplexOptimizer(RELATIVE_TOLERANCE, 1e-12);
    double[] point = logStart;
    double best = Double.NEGATIVE_INFINITY;
    int evaluations = 0;
    try {
      for (int run = 0; run <= MAX_RESTARTS; run++) {
        PointValuePair optimum =
            optimizer.optimize(
                new MaxEval(Math.max(1, maxEvaluations - evaluations)),
                objective,
                GoalType.MAXIMIZE,
                new InitialGuess(point),
                new NelderMeadSimplex(point.length, 0.5));
        evaluations += optimizer.getEvaluations();
        double gain = optimum.getValue() - best;
        point = optimum.getPoint();
        best = optimum.getValue();
        if (gain <= RELATIVE_TOLERANCE * Math.abs(best)) {
          return point;
        }
      }
    } catch (TooManyEvaluationsException exhausted) {
      throw new IllegalStateException(
          model + " fit did not converge within " + maxEvaluations + " evaluations", exhausted);
    }
    throw new IllegalStateException(
        model + " fit still improving after " + MAX_RESTARTS + " restarts of the simplex");
  }
}
