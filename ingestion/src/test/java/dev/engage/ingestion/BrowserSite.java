package dev.engage.ingestion;

import dev.engage.ingestion.collector.Source;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.testing.Browser;
import dev.engage.launcher.testing.NodePackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;

/**
 * What a browser test of an SDK needs: the SDKs installed from npm, a shop site whose origin its
 * source lists and another site with the same pages whose origin it does not, the ingestion service
 * on the shared stack, and headless Chromium.
 */
final class BrowserSite implements AutoCloseable {
  // a desktop Chrome's: the headless one says HeadlessChrome, which the collector drops as a bot
  static final String DESKTOP_CHROME =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36";

  final TestIngestion ingestion;
  final Browser browser;
  private final PageServer shop;
  private final PageServer elsewhere;

  private BrowserSite(
      TestIngestion ingestion, Browser browser, PageServer shop, PageServer elsewhere) {
    this.ingestion = ingestion;
    this.browser = browser;
    this.shop = shop;
    this.elsewhere = elsewhere;
  }

  /**
   * Starts it all; each page of {@code src/test/resources/browser/} named in {@code pages} is
   * served on both sites with {@code {{writeKey}}} and {@code {{collector}}} filled in.
   */
  static BrowserSite start(StackConfig config, Path dir, String writeKey, List<String> pages)
      throws Exception {
    Path nodeModules =
        NodePackages.install(
                Path.of("src", "test", "node", "browser-sdks"),
                Path.of("target", "node", "browser-sdks"))
            .resolve("node_modules");
    PageServer shop = PageServer.start(nodeModules);
    PageServer elsewhere = PageServer.start(nodeModules);
    // the shop's pages are on localhost, the other site's on 127.0.0.1 (no shared cookies)
    TestIngestion ingestion =
        TestIngestion.start(
            config,
            dir,
            List.of(
                new Source(
                    "website", writeKey, "web", List.of("http://localhost:" + shop.port()))));
    for (String page : pages) {
      String html =
          Files.readString(
                  Path.of("src", "test", "resources", "browser", page), StandardCharsets.UTF_8)
              .replace("{{writeKey}}", writeKey)
              .replace("{{collector}}", ingestion.base());
      shop.page("/" + page, html);
      elsewhere.page("/" + page, html);
    }
    return new BrowserSite(
        ingestion, Browser.start(dir, "--user-agent=" + DESKTOP_CHROME), shop, elsewhere);
  }

  /** A page of the shop, whose origin the source lists. */
  String shop(String pathAndQuery) {
    return "http://localhost:" + shop.port() + pathAndQuery;
  }

  /** The same page on a site whose origin the source does not list. */
  String elsewhere(String pathAndQuery) {
    return "http://127.0.0.1:" + elsewhere.port() + pathAndQuery;
  }

  /**
   * Runs a script in the page; one that takes a callback ({@code arguments[arguments.length - 1]})
   * is waited for.
   */
  Object js(String script, Object... arguments) {
    JavascriptExecutor executor = (JavascriptExecutor) browser.driver();
    return script.contains("arguments[arguments.length - 1]")
        ? executor.executeAsyncScript(script, arguments)
        : executor.executeScript(script, arguments);
  }

  /**
   * What the page may read of a GET and of a text/plain POST to the collector: {@code read
   * <status>} or {@code refused: <why>} for each.
   */
  String probe(String settingsPath, String postPath, String postBody) {
    return js(
            "const done = arguments[arguments.length - 1];"
                + "const outcome = p => p.then(r => 'read ' + r.status, e => 'refused: ' + e.message);"
                + "Promise.all(["
                + "  outcome(fetch(arguments[0] + arguments[1])),"
                + "  outcome(fetch(arguments[0] + arguments[2], {method: 'POST',"
                + "    headers: {'Content-Type': 'text/plain'}, body: arguments[3]}))"
                + "]).then(done)",
            ingestion.base(),
            settingsPath,
            postPath,
            postBody)
        .toString();
  }

  @Override
  public void close() {
    browser.close();
    ingestion.close();
    shop.close();
    elsewhere.close();
  }
}
