package dev.engage.api.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * Who an API key speaks for (DESIGN.md): call-center agents, marketers, admins, customers' apps,
 * and other services (delivery receipts, Prometheus). An admin key may use every route.
 */
public enum Role implements RouteRole {
  AGENT,
  MARKETER,
  ADMIN,
  APP,
  SERVICE;

  /** The role as written in the keys file ({@code agent}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a role as written in the keys file; null when unknown. */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return role;
      }
    }
    return null;
  }
}
