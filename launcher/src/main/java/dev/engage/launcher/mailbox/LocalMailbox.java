package dev.engage.launcher.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.engage.schemas.signing.WebhookSignature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the local stack sends customers, caught instead of sent: GreenMail takes email over SMTP
 * (the way a real mail server would), and {@code POST /sms} and {@code POST /push} take the
 * webhooks delivery signs for SMS and push providers. {@code GET /} shows everything received,
 * newest first; {@code GET /messages.json} gives the same as JSON. An email whose Message-ID the
 * mailbox already holds for its recipient is dropped, as mail stores do, and counted. Keeps at most
 * a few thousand webhooks in memory; nothing is sent on to anyone.
 */
public final class LocalMailbox implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEEP = 5_000;

  private final GreenMail mail;
  private final RepeatedMessageFilter repeats;
  private final Javalin web;
  private final WebhookSignature signature;
  private final CapturedWebhooks webhooks = new CapturedWebhooks(KEEP);

  private LocalMailbox(GreenMail mail, Javalin web, WebhookSignature signature) {
    this.mail = mail;
    this.repeats = RepeatedMessageFilter.installOn(mail);
    this.web = web;
    this.signature = signature;
  }

  /** Starts SMTP on {@code smtpPort} and the web page and webhook routes on {@code webPort}. */
  public static LocalMailbox start(String host, int smtpPort, int webPort, String webhookSecret) {
    GreenMail mail = new GreenMail(new ServerSetup(smtpPort, host, ServerSetup.PROTOCOL_SMTP));
    mail.start();
    Javalin web = Javalin.create(config -> config.showJavalinBanner = false);
    LocalMailbox mailbox = new LocalMailbox(mail, web, WebhookSignature.of(webhookSecret));
    web.post("/sms", ctx -> mailbox.take("sms", ctx));
    web.post("/push", ctx -> mailbox.take("push", ctx));
    web.get("/messages.json", ctx -> ctx.json(mailbox.messages()));
    web.get("/", ctx -> ctx.html(MailboxPage.render(mailbox.messages())));
    web.start(host, webPort);
    return mailbox;
  }

  private void take(String channel, Context ctx) throws Exception {
    String body = ctx.body();
    boolean valid =
        signature.verify(
            ctx.header(WebhookSignature.ID),
            ctx.header(WebhookSignature.TIMESTAMP),
            body,
            ctx.header(WebhookSignature.SIGNATURE),
            Instant.now());
    if (!valid) {
      ctx.status(401).json(JSON.createObjectNode().put("error", "signature does not verify"));
      return;
    }
    JsonNode json = JSON.readTree(body);
    String key = ctx.header("Idempotency-Key");
    webhooks.add(channel, key, json, Instant.now());
    ctx.status(202).json(JSON.createObjectNode().put("messageId", "local-" + key));
  }

  /** Everything received, newest first: {@code email}, {@code sms}, {@code push} lists. */
  ObjectNode messages() throws MessagingException {
    ObjectNode all = JSON.createObjectNode();
    all.put("emailRepeatsDropped", repeats.dropped());
    ArrayNode emails = all.putArray("email");
    List<MimeMessage> received = Arrays.asList(mail.getReceivedMessages());
    received.sort(Comparator.comparing(LocalMailbox::sentDate).reversed());
    for (MimeMessage message : received) {
      ObjectNode m = emails.addObject();
      m.put(
          "to",
          String.join(
              ", ", Arrays.stream(message.getAllRecipients()).map(Object::toString).toList()));
      m.put("subject", message.getSubject());
      m.put("messageId", message.getMessageID());
      m.put("sentAt", sentDate(message).toString());
      m.put("text", textOf(message));
    }
    ArrayNode sms = all.putArray("sms");
    ArrayNode push = all.putArray("push");
    for (CapturedWebhooks.Captured hook : webhooks.all()) {
      ObjectNode m = ("sms".equals(hook.channel()) ? sms : push).addObject();
      m.put("to", hook.body().path("to").asText());
      m.put("title", hook.body().path("title").asText(null));
      m.put("body", hook.body().path("body").asText());
      m.put("notificationId", hook.body().path("notificationId").asText());
      m.put("receivedAt", hook.at().toString());
      m.put("repeat", hook.repeat());
    }
    return all;
  }

  /** The plain-text part a mail client would show, or the whole body of a single-part message. */
  private static String textOf(MimeMessage message) throws MessagingException {
    try {
      if (message.getContent() instanceof Multipart parts) {
        for (int i = 0; i < parts.getCount(); i++) {
          BodyPart part = parts.getBodyPart(i);
          if (part.isMimeType("text/plain")) {
            return part.getContent().toString().strip();
          }
        }
      }
    } catch (java.io.IOException e) {
      // unreadable content: show it raw below
    }
    return GreenMailUtil.getBody(message);
  }

  private static Instant sentDate(MimeMessage message) {
    try {
      return message.getSentDate() == null ? Instant.EPOCH : message.getSentDate().toInstant();
    } catch (MessagingException e) {
      return Instant.EPOCH;
    }
  }

  @Override
  public void close() {
    web.stop();
    mail.stop();
  }
}
