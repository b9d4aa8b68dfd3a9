package dev.engage.launcher.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class: Debian's {@code chromium} driven through {@code
 * chromium-driver} (both installed by .ci/run; no driver download), a fresh profile directory, and
 * screenshots under {@code target/screenshots/} for a reviewer. Shared by the modules whose tests
 * drive a page (the API's console and studio, the collector's browser SDK).
 */
public final class Browser implements AutoCloseable {
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  private static final String DRIVER =
      System.getProperty("chromium.driver", "/usr/bin/chromedriver");

  private final ChromeDriver driver;

  private Browser(Path profile, String... arguments) {
    Logger.getLogger("org.openqa.selenium").setLevel(Level.WARNING);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=en-US", // the pages format numbers for the browser's locale; the tests read them
        "--window-size=1400,1100",
        "--user-data-dir=" + profile.toAbsolutePath());
    options.addArguments(arguments);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(DRIVER).toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  /**
   * Starts Chromium with a new profile directory under {@code dir}.
   *
   * @param arguments further Chromium switches, e.g. {@code --user-agent=...}
   */
  public static Browser start(Path dir, String... arguments) throws IOException {
    return new Browser(Files.createTempDirectory(dir, "chromium-profile"), arguments);
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Waits up to {@code seconds} for the condition to give something other than null or false. */
  public <T> T await(int seconds, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds))
        .pollingEvery(Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class) // the pages re-render as data arrives
        .until(condition);
  }

  /** The element's text once it contains {@code text}. */
  public String awaitText(String css, String text) {
    return await(
        10,
        d -> {
          var found = d.findElements(By.cssSelector(css));
          return !found.isEmpty() && found.get(0).getText().contains(text)
              ? found.get(0).getText()
              : null;
        });
  }

  /** Writes {@code target/screenshots/<name>.png} and answers its path. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
