package dev.engage.ingestion.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
  @TempDir Path dir;

  @Test
  void originsAreReadBackAsWrittenAndTellWhichPagesMayUseAKey() throws Exception {
    Path file = dir.resolve("ingestion.yaml");
    Sources.write(
        file,
        List.of(
            new Source(
                "website",
                "wk_web_0123456789",
                "web",
                List.of("https://www.example.com", "http://localhost:3000")),
            new Source("widget", "wk_widget_0123456789", "web", List.of("*")),
            new Source("mobile-app", "wk_app_0123456789", "app")));

    Sources sources = Sources.load(file);

    Source website = sources.byWriteKey("wk_web_0123456789").orElseThrow();
    assertThat(website.origins())
        .containsExactly("https://www.example.com", "http://localhost:3000");
    assertThat(website.allowsOrigin("https://WWW.example.com")).isTrue();
    assertThat(website.allowsOrigin("https://www.example.com:8443")).isFalse();
    assertThat(website.allowsOrigin("https://evil.example")).isFalse();
    assertThat(
            sources
                .byWriteKey("wk_widget_0123456789")
                .orElseThrow()
                .allowsOrigin("https://any.where"))
        .isTrue();
    assertThat(
            sources
                .byWriteKey("wk_app_0123456789")
                .orElseThrow()
                .allowsOrigin("https://www.example.com"))
        .as("no origins: servers and apps only")
        .isFalse();
    assertThat(sources.anyAllowsOrigin("http://localhost:3000")).isTrue();
  }

  @Test
  void anOriginWithAPathOrAListThatIsNoListIsRefusedAtStartUp() throws Exception {
    assertThatThrownBy(
            () ->
                new Source("website", "wk_web_0123456789", "web", List.of("https://example.com/")))
        .hasMessageContaining("must be scheme://host[:port]");
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        "sources:\n  - { name: website, writeKey: wk_web_0123456789, channel: web, origins: https://a.example }\n");
    assertThatThrownBy(() -> Sources.load(file)).hasMessageContaining("'origins' must be a list");
  }
}
