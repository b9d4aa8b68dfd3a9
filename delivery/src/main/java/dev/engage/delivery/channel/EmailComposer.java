package dev.engage.delivery.channel;

import dev.engage.avro.Notification;
import dev.engage.avro.NotificationOption;
import dev.engage.schemas.signing.UnsubscribeToken;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * Turns a notification into an email: a text and an HTML part, a {@code Message-ID} derived from
 * the notificationId (the same on every try, so a mail store can recognise a repeat), and for
 * marketing mail the one-click unsubscribe headers of RFC 8058 pointing at the API.
 */
public final class EmailComposer {
  /** Header that names the notification, for tracing a message back to its decision. */
  public static final String NOTIFICATION_HEADER = "X-Engage-Notification-Id";

  private final Session session;
  private final InternetAddress from;
  private final URI unsubscribeUrl;
  private final UnsubscribeToken tokens;

  public EmailComposer(
      Session session, InternetAddress from, URI unsubscribeUrl, UnsubscribeToken tokens) {
    this.session = session;
    this.from = from;
    this.unsubscribeUrl = unsubscribeUrl;
    this.tokens = tokens;
  }

  /** The Message-ID every try of this notification carries. */
  public static String messageId(Notification notification) {
    return "<" + notification.getNotificationId() + "@engage>";
  }

  public MimeMessage compose(Notification n, String to) throws MessagingException {
    String messageId = messageId(n);
    MimeMessage message =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    message.setFrom(from);
    message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to, true));
    message.setSubject(n.getSubject() == null ? "A message for you" : n.getSubject(), "UTF-8");
    message.setSentDate(new Date(n.getCreatedAt().toEpochMilli()));
    message.setHeader(NOTIFICATION_HEADER, n.getNotificationId());
    String unsubscribe = null;
    if (!"transactional".equals(n.getPurpose())) {
      unsubscribe =
          unsubscribeUrl
              + "?token="
              + URLEncoder.encode(tokens.issue(n.getCustomerId(), "email"), StandardCharsets.UTF_8);
      message.setHeader("List-Unsubscribe", "<" + unsubscribe + ">");
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    MimeMultipart alternative = new MimeMultipart("alternative");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(text(n, unsubscribe), "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setContent(html(n, unsubscribe), "text/html; charset=UTF-8");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    message.setContent(alternative);
    message.saveChanges();
    return message;
  }

  private static String text(Notification n, String unsubscribe) {
    StringBuilder text = new StringBuilder(n.getBody()).append("\n");
    for (NotificationOption option : n.getOptions()) {
      text.append("\n - ").append(option.getLabel());
    }
    if (unsubscribe != null) {
      text.append("\n\nUnsubscribe: ").append(unsubscribe).append("\n");
    }
    return text.toString();
  }

  private static String html(Notification n, String unsubscribe) {
    StringBuilder html =
        new StringBuilder("<!doctype html><html><body><p>")
            .append(escape(n.getBody()).replace("\n", "<br>"))
            .append("</p>");
    if (!n.getOptions().isEmpty()) {
      html.append("<ul>");
      n.getOptions().forEach(o -> html.append("<li>").append(escape(o.getLabel())).append("</li>"));
      html.append("</ul>");
    }
    if (unsubscribe != null) {
      html.append("<p style=\"font-size:small\"><a href=\"")
          .append(escape(unsubscribe))
          .append("\">Unsubscribe</a></p>");
    }
    return html.append("</body></html>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
