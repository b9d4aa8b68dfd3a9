package dev.engage.ingestion.collector;

import java.util.regex.Pattern;

/**
 * Crawlers, link previewers, monitors and scripted browsers, told by the user agent a browser SDK
 * reports ({@code context.userAgent}). Their page views are not customers' touchpoints: the
 * collector counts and drops them. Only the event's user agent is looked at, never the HTTP
 * client's: a server forwarding its visitors' events (analytics-node, curl) is not a bot.
 */
final class KnownBots {
  // named crawlers first; then the generic marks: "xyzbot/1.0", "+http://example.com/bot.html"
  // (a plain "bot" substring would also hit phone makers such as Cubot)
  private static final Pattern BOTS =
      Pattern.compile(
          "googlebot|bingbot|yandex(bot|images)|duckduckbot|baiduspider|slurp|applebot|ahrefsbot"
              + "|semrushbot|mj12bot|petalbot|facebookexternalhit|twitterbot|linkedinbot|slackbot"
              + "|discordbot|telegrambot|whatsapp|crawler|spider|headlesschrome|phantomjs"
              + "|lighthouse|pingdom|python-requests|curl/|wget/|go-http-client|bot/|\\+https?://",
          Pattern.CASE_INSENSITIVE);

  private KnownBots() {}

  static boolean isBot(String userAgent) {
    return userAgent != null && BOTS.matcher(userAgent).find();
  }
}
