package dev.engage.delivery.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Notification;
import dev.engage.delivery.DeliveryFixture;
import dev.engage.schemas.signing.UnsubscribeToken;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmailComposerTest {
  private final UnsubscribeToken tokens =
      new UnsubscribeToken(
          "thirty-two bytes of unsubscribe secret".getBytes(StandardCharsets.UTF_8));
  private final EmailComposer composer =
      new EmailComposer(
          Session.getInstance(new Properties()),
          new InternetAddressOf("Engage <hello@engage.test>").address,
          URI.create("https://api.example.com/v1/unsubscribe"),
          tokens);

  @Test
  void aMarketingMailCarriesOneClickUnsubscribeForItsCustomer() throws Exception {
    Notification n = DeliveryFixture.notification("ann", "email");
    MimeMessage mail = composer.compose(n, "ann@example.com");

    assertThat(mail.getMessageID()).isEqualTo("<" + n.getNotificationId() + "@engage>");
    assertThat(mail.getHeader("List-Unsubscribe-Post"))
        .containsExactly("List-Unsubscribe=One-Click");
    String link = mail.getHeader("List-Unsubscribe")[0];
    assertThat(link).startsWith("<https://api.example.com/v1/unsubscribe?token=").endsWith(">");
    String token =
        URLDecoder.decode(
            link.substring(link.indexOf('=') + 1, link.length() - 1), StandardCharsets.UTF_8);
    assertThat(tokens.verify(token)).contains(new UnsubscribeToken.Subject("ann", "email"));
  }

  @Test
  void textAndHtmlPartsCarryTheBodyAndTheOptionsWithTheHtmlEscaped() throws Exception {
    Notification n = DeliveryFixture.notification("ann", "email");
    n.setBody("Delayed <3 hours> & more");
    MimeMessage mail = composer.compose(n, "ann@example.com");

    MimeMultipart parts = (MimeMultipart) mail.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat((String) parts.getBodyPart(0).getContent())
        .contains("Delayed <3 hours> & more", " - LH402 at 14:05", "Unsubscribe: https://");
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("Delayed &lt;3 hours&gt; &amp; more", "<li>LH406 at 16:20</li>");
  }

  @Test
  void aTransactionalMailHasNoUnsubscribeLink() throws Exception {
    Notification n = DeliveryFixture.notification("ann", "email");
    n.setPurpose("transactional");
    MimeMessage mail = composer.compose(n, "ann@example.com");

    assertThat(mail.getHeader("List-Unsubscribe")).isNull();
    assertThat((String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent())
        .doesNotContain("Unsubscribe");
  }

  /** InternetAddress's constructor throws a checked exception; a field initialiser cannot. */
  private static final class InternetAddressOf {
    final InternetAddress address;

    InternetAddressOf(String text) {
      try {
        address = new InternetAddress(text, true);
      } catch (jakarta.mail.internet.AddressException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }
}
