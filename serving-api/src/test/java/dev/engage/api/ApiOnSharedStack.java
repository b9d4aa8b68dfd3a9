package dev.engage.api;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test classes against one {@link TestApi} on the shared stack, started before the class's tests
 * (and before its own {@code @BeforeAll}) and closed after them.
 */
@ExtendWith(SharedStack.class)
abstract class ApiOnSharedStack {
  @TempDir static Path dir;
  static TestApi api;

  @BeforeAll
  static void startApi(StackConfig config) throws Exception {
    api = TestApi.on(config, dir);
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }
}
