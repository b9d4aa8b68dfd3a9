package dev.engage.delivery.channel;

import dev.engage.avro.Notification;
import dev.engage.delivery.config.ProviderConfig;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends email over SMTP (Jakarta Mail, Angus): one connection kept open between messages and opened
 * again after an error. A 4xx reply, a refused connection or a timeout is worth another try (a
 * timeout is "unknown", not "sent": the next try carries the same Message-ID); a 5xx reply is
 * final.
 */
public final class EmailSender implements ChannelSender {
  private static final Logger LOG = LoggerFactory.getLogger(EmailSender.class);
  private final Session session;
  private final EmailComposer composer;
  private Transport transport;

  public EmailSender(Session session, EmailComposer composer) {
    this.session = session;
    this.composer = composer;
  }

  /** A mail session for the provider's SMTP server, with its timeouts. */
  public static Session session(ProviderConfig provider) {
    ProviderConfig.SmtpConfig smtp = provider.smtp();
    String timeout = Long.toString(provider.timeout().toMillis());
    Properties props = new Properties();
    props.put("mail.transport.protocol", "smtp");
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", Integer.toString(smtp.port()));
    props.put("mail.smtp.connectiontimeout", timeout);
    props.put("mail.smtp.timeout", timeout);
    props.put("mail.smtp.writetimeout", timeout);
    props.put("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls()));
    props.put("mail.smtp.starttls.required", Boolean.toString(smtp.startTls()));
    if (smtp.username() != null) {
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.user", smtp.username());
      props.put("mail.smtp.password", smtp.password() == null ? "" : smtp.password());
    }
    return Session.getInstance(props);
  }

  @Override
  public SendOutcome send(Notification notification, String address) {
    MimeMessage message;
    try {
      message = composer.compose(notification, address);
    } catch (AddressException e) {
      return new SendOutcome.Failed("not an email address: " + e.getMessage());
    } catch (MessagingException e) {
      return new SendOutcome.Failed("cannot build the email: " + e.getMessage());
    }
    try {
      connected().sendMessage(message, message.getAllRecipients());
      return new SendOutcome.Sent(EmailComposer.messageId(notification));
    } catch (SMTPSendFailedException e) {
      disconnect();
      return classify(e.getReturnCode(), e.getMessage());
    } catch (MessagingException e) {
      disconnect();
      Exception next = e.getNextException();
      if (next instanceof SMTPAddressFailedException refused) {
        return classify(refused.getReturnCode(), refused.getMessage());
      }
      return new SendOutcome.Retry("SMTP: " + e.getMessage(), null);
    }
  }

  private static SendOutcome classify(int code, String message) {
    String reason = "SMTP " + code + ": " + message;
    return code >= 400 && code < 500
        ? new SendOutcome.Retry(reason, null)
        : new SendOutcome.Failed(reason);
  }

  private Transport connected() throws MessagingException {
    if (transport == null || !transport.isConnected()) {
      transport = session.getTransport("smtp");
      String user = session.getProperty("mail.smtp.user");
      transport.connect(user, user == null ? null : session.getProperty("mail.smtp.password"));
    }
    return transport;
  }

  private void disconnect() {
    if (transport != null) {
      try {
        transport.close();
      } catch (MessagingException e) {
        LOG.debug("closing the SMTP connection: {}", e.getMessage());
      }
      transport = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }
}
