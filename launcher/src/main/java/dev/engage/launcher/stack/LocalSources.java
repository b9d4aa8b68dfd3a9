package dev.engage.launcher.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The collector's sources for the local stack: created once with a random write key per source
 * (website, mobile app, call center, store POS, flight operations), then kept, so SDKs configured
 * with a key keep working across restarts. The website's pages may be served by a local dev server
 * ({@code http://localhost:3000}); other origins are added to the file.
 */
public final class LocalSources {
  private static final List<String[]> DEFAULTS =
      List.of(
          new String[] {"website", "web"},
          new String[] {"mobile-app", "app"},
          new String[] {"call-center", "call_center"},
          new String[] {"store-pos", "pos"},
          new String[] {"flight-ops", "ops"});

  private LocalSources() {}

  public static void createIfMissing(Path file) {
    if (Files.exists(file)) {
      return;
    }
    SecureRandom random = new SecureRandom();
    StringBuilder yaml =
        new StringBuilder(
            "# Engage ingestion. Sources: send the write key as the HTTP Basic user name.\n"
                + "# origins: the web pages a source's key may be used from (add your site's).\n"
                + "# Identity namespaces: customer_id (userId) and anonymous_id are built in; add a\n"
                + "# 'namespaces:' list to replace the defaults (email, phone, loyalty_id, device_id).\n"
                + "sources:\n");
    for (String[] source : DEFAULTS) {
      byte[] key = new byte[12];
      random.nextBytes(key);
      yaml.append("  - { name: ")
          .append(source[0])
          .append(", writeKey: wk_")
          .append(HexFormat.of().formatHex(key))
          .append(", channel: ")
          .append(source[1])
          .append(source[0].equals("website") ? ", origins: [\"http://localhost:3000\"]" : "")
          .append(" }\n");
    }
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new ServiceException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
