package dev.engage.api.web;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The agent console ({@code /console}), the rule studio ({@code /studio}) and its analytics ({@code
 * /analytics}): plain HTML, CSS and JavaScript from {@code src/main/resources/web}, served beside
 * the API from the same origin. The pages themselves are public; everything they show comes from
 * the API with the key the user types in (kept in the tab's sessionStorage), so the pages hold no
 * data and no secret.
 */
public final class WebPages {
  /**
   * Scripts and styles from this origin only (no inline script, so injected markup cannot run), no
   * framing, and no referrer: stream URLs carry a short-lived token.
   */
  static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
              + " frame-ancestors 'none'; form-action 'self'",
          "X-Content-Type-Options",
          "nosniff",
          "Referrer-Policy",
          "no-referrer",
          "Cache-Control",
          "no-cache");

  private WebPages() {}

  /**
   * Serves the pages' assets under {@code /web/}, and the charting library (Apache ECharts) from
   * its webjar under {@code /webjars/}.
   */
  public static void configure(JavalinConfig config) {
    config.staticFiles.enableWebjars();
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/web";
          files.directory = "/web";
          files.location = Location.CLASSPATH;
          files.headers = HEADERS;
        });
  }

  /**
   * {@code /console}, {@code /studio} and {@code /analytics}: public routes (no roles), outside the
   * API's table.
   */
  public static void register(Javalin app) {
    String console = page("web/console.html");
    String studio = page("web/studio.html");
    String analytics = page("web/analytics.html");
    app.get("/console", ctx -> send(ctx, console));
    app.get("/studio", ctx -> send(ctx, studio));
    app.get("/analytics", ctx -> send(ctx, analytics));
  }

  /** An HTML page with the pages' security headers. */
  public static void send(Context ctx, String html) {
    HEADERS.forEach(ctx::header);
    ctx.html(html);
  }

  private static String page(String resource) {
    try (InputStream in = WebPages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
