package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.StackServices;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code engage rebuild-redis}: Redis is a cache of the profiles topic; this refills it. Runs the
 * stream-jobs module's {@code RebuildRedis} in its own JVM (the Flink module's classpath never
 * mixes with the launcher's), with this stack's addresses.
 */
@Command(
    name = "rebuild-redis",
    description = "Refill Redis with every customer's latest profile from the profiles topic.")
final class RebuildRedisCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    StackConfig config = options.load();
    return new ProcessBuilder(
            StackServices.moduleJvm(
                "stream-jobs",
                null,
                "dev.engage.jobs.redis.RebuildRedis",
                "--bootstrap-servers",
                config.bootstrapServers(),
                "--registry-url",
                config.registryUrl(),
                "--redis-uri",
                "redis://localhost:" + config.redisPort(),
                "--topic",
                config.topics().names().getOrDefault("profiles", "profiles")))
        .inheritIO()
        .start()
        .waitFor();
  }
}
