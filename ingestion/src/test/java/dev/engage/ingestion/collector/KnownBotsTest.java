package dev.engage.ingestion.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownBotsTest {
  @Test
  void crawlersPreviewersAndScriptedBrowsersAreBots() {
    assertThat(
            KnownBots.isBot(
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
        .isTrue();
    assertThat(
            KnownBots.isBot(
                "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"))
        .isTrue();
    assertThat(KnownBots.isBot("facebookexternalhit/1.1")).isTrue();
    assertThat(
            KnownBots.isBot(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " HeadlessChrome/131.0.0.0 Safari/537.36"))
        .isTrue();
    assertThat(KnownBots.isBot("python-requests/2.32.3")).isTrue();
    assertThat(KnownBots.isBot("SomeMonitorBot/1.0")).isTrue();
  }

  @Test
  void peoplesBrowsersAndPhonesAreNot() {
    assertThat(
            KnownBots.isBot(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/131.0.0.0 Safari/537.36"))
        .isFalse();
    assertThat(
            KnownBots.isBot(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
                    + " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"))
        .isFalse();
    assertThat(
            KnownBots.isBot(
                "Mozilla/5.0 (Linux; Android 13; CUBOT X70) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/120.0.0.0 Mobile Safari/537.36"))
        .as("a phone maker whose name ends in bot")
        .isFalse();
    assertThat(KnownBots.isBot(null)).isFalse();
  }
}
