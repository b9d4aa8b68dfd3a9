package dev.engage.launcher.mailbox;

import com.fasterxml.jackson.databind.JsonNode;

/** The local mailbox's one page: what each customer was sent, per channel, newest first. */
final class MailboxPage {
  private MailboxPage() {}

  static String render(JsonNode messages) {
    StringBuilder html =
        new StringBuilder(
            """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <title>Engage local mailbox</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733}
            table{border-collapse:collapse;width:100%;margin-bottom:2rem}
            th,td{border-bottom:1px solid #dde3ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#f3f6f9}pre{white-space:pre-wrap;margin:0;font:inherit}</style>
            </head><body><h1>Engage local mailbox</h1>
            <p>What the local stack sent, caught here instead of reaching anyone:
            email over SMTP, SMS and push as the webhooks a provider would get.</p>
            """);
    section(html, "Email", messages.path("email"), "subject", "text", "sentAt");
    section(html, "SMS", messages.path("sms"), null, "body", "receivedAt");
    section(html, "Push", messages.path("push"), "title", "body", "receivedAt");
    return html.append("</body></html>").toString();
  }

  private static void section(
      StringBuilder html, String title, JsonNode items, String heading, String body, String at) {
    html.append("<h2>").append(title).append(" (").append(items.size()).append(")</h2>");
    html.append("<table><tr><th>to</th>");
    if (heading != null) {
      html.append("<th>").append(heading).append("</th>");
    }
    html.append("<th>message</th><th>at</th></tr>");
    for (JsonNode item : items) {
      html.append("<tr><td>").append(escape(item.path("to").asText())).append("</td>");
      if (heading != null) {
        html.append("<td>").append(escape(item.path(heading).asText())).append("</td>");
      }
      html.append("<td><pre>")
          .append(escape(item.path(body).asText()))
          .append("</pre></td><td>")
          .append(escape(item.path(at).asText()))
          .append("</td></tr>");
    }
    html.append("</table>");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
