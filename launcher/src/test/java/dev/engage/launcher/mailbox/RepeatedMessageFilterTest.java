package dev.engage.launcher.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real SMTP into a real GreenMail: a repeated Message-ID is dropped per recipient, and counted. */
class RepeatedMessageFilterTest {
  private GreenMail mail;
  private RepeatedMessageFilter filter;
  private Session session;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    filter = RepeatedMessageFilter.installOn(mail);
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", Integer.toString(port));
    session = Session.getInstance(props);
  }

  @AfterEach
  void stop() {
    mail.stop();
  }

  @Test
  void aRepeatedMessageIdIsHeldOnceForItsRecipient() throws Exception {
    send("<n-1@engage>", "ann@example.com");
    send("<n-1@engage>", "ann@example.com");
    send("<n-2@engage>", "ann@example.com");
    send("<n-1@engage>", "bob@example.com");

    assertThat(mail.getReceivedMessagesForDomain("ann@example.com")).hasSize(2);
    assertThat(mail.getReceivedMessagesForDomain("bob@example.com")).hasSize(1);
    assertThat(filter.dropped()).isEqualTo(1);
  }

  @Test
  void messagesWithoutAMessageIdAreAllKept() throws Exception {
    send(null, "ann@example.com");
    send(null, "ann@example.com");

    assertThat(mail.getReceivedMessages()).hasSize(2);
    assertThat(filter.dropped()).isZero();
  }

  private void send(String messageId, String to) throws MessagingException {
    MimeMessage message =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            if (messageId == null) {
              removeHeader("Message-ID");
            } else {
              setHeader("Message-ID", messageId);
            }
          }
        };
    message.setFrom(new InternetAddress("engage@example.com"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject("hello");
    message.setText("hello");
    Transport.send(message);
  }
}
