package dev.engage.launcher.stack;

import dev.engage.launcher.config.StackConfig;
import dev.engage.schemas.signing.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets the local stack's services share, each a file under the data dir, created on the first
 * start and then kept: a secret that changed would break what was signed with the old one (the
 * unsubscribe links in emails already sent). Readable by the owner only.
 */
public final class LocalSecrets {
  private static final int RANDOM_BYTES = 48;

  private LocalSecrets() {}

  /**
   * The file with the secret delivery signs one-click unsubscribe tokens with and the API checks
   * them with ({@code --unsubscribe-secret-file} of both), created if missing. Its text (64 base64
   * characters) is the secret, as {@link SecretFiles} reads it.
   */
  public static Path unsubscribeSecret(StackConfig config) {
    Path file = config.dataDir().resolve("secrets").resolve("unsubscribe.secret");
    createIfMissing(file);
    return file;
  }

  static void createIfMissing(Path file) {
    if (Files.exists(file)) {
      return;
    }
    byte[] key = new byte[RANDOM_BYTES];
    new SecureRandom().nextBytes(key);
    String secret = Base64.getEncoder().encodeToString(key) + "\n";
    try {
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file); // not a POSIX file system: the directory's rights apply
      }
      Files.writeString(file, secret, StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException e) {
      // another service created it a moment ago: theirs is the secret
    } catch (IOException e) {
      throw new ServiceException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
