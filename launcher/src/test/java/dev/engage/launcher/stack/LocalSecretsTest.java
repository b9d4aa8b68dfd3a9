package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.launcher.config.SettingSources;
import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.signing.SecretFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {
  @TempDir Path dir;

  @Test
  void theUnsubscribeSecretIsCreatedOnceUnderTheDataDirForTheOwnerOnlyAndThenKept()
      throws Exception {
    StackConfig config =
        StackConfig.from(new SettingSources().withFlags(Map.of("data-dir", dir.toString())));

    Path file = LocalSecrets.unsubscribeSecret(config);
    byte[] secret = SecretFiles.read(file, "--unsubscribe-secret-file");

    assertThat(file).isEqualTo(dir.resolve("secrets").resolve("unsubscribe.secret"));
    assertThat(secret.length).isGreaterThanOrEqualTo(SecretFiles.MIN_BYTES);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(SecretFiles.read(LocalSecrets.unsubscribeSecret(config), "--x")).isEqualTo(secret);
  }
}
