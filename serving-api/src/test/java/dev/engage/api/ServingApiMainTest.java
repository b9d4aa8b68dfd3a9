package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.api.auth.ApiKey;
import dev.engage.api.auth.ApiKeys;
import dev.engage.api.auth.Role;
import dev.engage.schemas.signing.UnsubscribeToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of the API's own secrets become settings, or stop start-up naming the option. */
class ServingApiMainTest {
  @TempDir Path dir;

  @Test
  void theUnsubscribeSecretFileIsReadAndAShortOrMissingOneIsRefusedNamingTheOption()
      throws Exception {
    Path secret = Files.writeString(dir.resolve("unsubscribe.secret"), "x".repeat(48) + "\n");
    Path shortSecret = Files.writeString(dir.resolve("short.secret"), "x".repeat(31));

    ApiSettings settings = settings("--unsubscribe-secret-file", secret.toString());
    assertThat(new String(settings.unsubscribeSecret(), StandardCharsets.UTF_8))
        .isEqualTo("x".repeat(48));
    assertThat(new UnsubscribeToken(settings.unsubscribeSecret()).issue("c", "email")).isNotEmpty();
    assertThat(settings().unsubscribeSecret()).as("without the option").isNull();
    assertThatThrownBy(() -> settings("--unsubscribe-secret-file", shortSecret.toString()))
        .hasMessageContaining("--unsubscribe-secret-file")
        .hasMessageContaining("holds 31 bytes");
    assertThatThrownBy(
            () -> settings("--unsubscribe-secret-file", dir.resolve("missing").toString()))
        .hasMessageContaining("--unsubscribe-secret-file: cannot read");
  }

  @Test
  void aBadReceiptSecretsFileIsRefusedNamingTheOption() throws Exception {
    Path receipts = Files.writeString(dir.resolve("receipts.yaml"), "providers: oops\n");

    assertThatThrownBy(() -> settings("--receipt-secrets", receipts.toString()))
        .hasMessageContaining("--receipt-secrets");
    assertThat(settings().receiptProviders().find("anyone")).isEmpty();
  }

  private ApiSettings settings(String... options) throws Exception {
    Path keys = dir.resolve("api-keys.yaml");
    ApiKeys.write(keys, List.of(new ApiKey("k", ApiKeys.generate(Role.ADMIN), Role.ADMIN, 0)));
    ServingApiMain main = new ServingApiMain();
    String[] args = new String[options.length + 2];
    args[0] = "--api-keys";
    args[1] = keys.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    new CommandLine(main).parseArgs(args);
    return main.settings();
  }
}
