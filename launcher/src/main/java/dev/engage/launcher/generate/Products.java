package dev.engage.launcher.generate;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** What the scenario's shops sell: a few products per category, with prices. */
final class Products {
  record Product(String sku, String name, String category, double price) {}

  static final Map<String, List<Product>> BY_CATEGORY =
      Map.of(
          "grocery",
          List.of(
              new Product("GR-001", "Organic milk", "grocery", 1.49),
              new Product("GR-002", "Sourdough bread", "grocery", 3.20),
              new Product("GR-003", "Coffee beans", "grocery", 8.90)),
          "baby",
          List.of(
              new Product("BB-001", "Nappies, size 3", "baby", 12.99),
              new Product("BB-002", "Baby formula", "baby", 18.50)),
          "electronics",
          List.of(
              new Product("EL-001", "Noise-cancelling headphones", "electronics", 249.00),
              new Product("EL-002", "USB-C charger", "electronics", 29.90),
              new Product("EL-003", "Tablet", "electronics", 399.00)),
          "fashion",
          List.of(
              new Product("FA-001", "Running shoes", "fashion", 119.00),
              new Product("FA-002", "Rain jacket", "fashion", 89.00)),
          "home",
          List.of(
              new Product("HO-001", "Espresso machine", "home", 329.00),
              new Product("HO-002", "Bed linen", "home", 59.00)),
          "wine",
          List.of(
              new Product("WI-001", "Rioja Reserva", "wine", 14.90),
              new Product("WI-002", "Champagne", "wine", 39.00)),
          "beauty",
          List.of(new Product("BE-001", "Face cream", "beauty", 24.50)));

  static final List<String> CATEGORIES = List.copyOf(new java.util.TreeSet<>(BY_CATEGORY.keySet()));

  private Products() {}

  static Product pick(String category, Random random) {
    List<Product> products = BY_CATEGORY.get(category);
    return products.get(random.nextInt(products.size()));
  }
}
