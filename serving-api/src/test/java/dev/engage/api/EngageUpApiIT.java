package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalSecrets;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.schemas.signing.SecretFiles;
import dev.engage.schemas.signing.UnsubscribeToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code engage up} starts the serving API as its own process (from this module's build) and prints
 * a key per role; the printed agent key reads customers, no key is refused; unsubscribe links
 * signed with the secret it created under the data dir open their page.
 */
class EngageUpApiIT {
  private final StackConfig config = SharedStack.freshConfig("up-api");
  private final int apiPort = SharedStack.freePort();
  private final StackCli cli =
      new StackCli(
          config,
          "jobs.enabled=false",
          "delivery.enabled=false",
          "ingestion.enabled=false",
          "api.enabled=true",
          "api.port=" + apiPort);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void down() {
    cli.run("down");
  }

  @Test
  void upStartsTheApiAndPrintsAKeyPerRole() throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());

    assertThat(cli.run("up", "--detach")).as(cli.output()).isZero();
    String printed = cli.output();
    assertThat(printed)
        .containsPattern("api +ready in")
        .contains("API              http://localhost:" + apiPort);
    for (String role : List.of("agent", "marketer", "admin", "app", "service")) {
      assertThat(printed).containsPattern(role + " key +ek_" + role + "_[0-9a-f]{32}");
    }
    Matcher agent = Pattern.compile("agent key +(ek_agent_[0-9a-f]+)").matcher(printed);
    assertThat(agent.find()).isTrue();

    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    HttpResponse<String> unknown = get("/v1/customers/nobody-here", agent.group(1));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(get("/v1/customers/nobody-here", null).statusCode()).isEqualTo(401);

    // the unsubscribe secret up created under the data dir, which delivery signs links with
    UnsubscribeToken tokens =
        new UnsubscribeToken(
            SecretFiles.read(LocalSecrets.unsubscribeSecret(config), "--unsubscribe-secret-file"));
    HttpResponse<String> page =
        get("/v1/unsubscribe?token=" + tokens.issue("nobody-here", "email"), null);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("Stop receiving emails");
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
