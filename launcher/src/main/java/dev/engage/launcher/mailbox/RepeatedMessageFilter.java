package dev.engage.launcher.mailbox;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a GreenMail mailbox drop a message whose {@code Message-ID} it already holds for the same
 * recipient, as mail stores do (Gmail keeps one copy of a repeated Message-ID). This is the
 * idempotent consumer that closes delivery's one in-doubt window for email: a process killed
 * between the SMTP server's 250 and its ledger sends the message again with the same Message-ID
 * (delivery/README.md, "Once, across crashes"). A message without a Message-ID is always kept.
 * Remembers the last {@value #REMEMBERED} ids, so a long-running mailbox stays bounded.
 */
public final class RepeatedMessageFilter implements MessageDeliveryHandler {
  static final int REMEMBERED = 100_000;

  private final MessageDeliveryHandler next;
  private final AtomicLong dropped = new AtomicLong();
  private final Set<String> seen =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  private RepeatedMessageFilter(MessageDeliveryHandler next) {
    this.next = next;
  }

  /** Installs the filter in front of {@code mail}'s own delivery handler. */
  public static RepeatedMessageFilter installOn(GreenMail mail) {
    RepeatedMessageFilter filter =
        new RepeatedMessageFilter(mail.getUserManager().getMessageDeliveryHandler());
    mail.getUserManager().setMessageDeliveryHandler(filter);
    return filter;
  }

  /** How many repeated messages were dropped so far. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public GreenMailUser handle(MovingMessage message, MailAddress recipient)
      throws MessagingException, UserException {
    GreenMailUser user = next.handle(message, recipient);
    String messageId = message.getMessage().getMessageID();
    if (messageId == null || seen.add(recipient.getEmail() + " " + messageId)) {
      return user;
    }
    dropped.incrementAndGet();
    return new DiscardingUser(user);
  }

  /** The recipient as it is, except that what is delivered to it is dropped. */
  private record DiscardingUser(GreenMailUser user) implements GreenMailUser {
    @Override
    public void deliver(MovingMessage message) {}

    @Override
    public void deliver(MimeMessage message) {}

    @Override
    public String getEmail() {
      return user.getEmail();
    }

    @Override
    public String getLogin() {
      return user.getLogin();
    }

    @Override
    public void create() {
      user.create();
    }

    @Override
    public void delete() {
      user.delete();
    }

    @Override
    public String getPassword() {
      return user.getPassword();
    }

    @Override
    public void setPassword(String password) {
      user.setPassword(password);
    }

    @Override
    public void authenticate(String password) throws UserException {
      user.authenticate(password);
    }

    @Override
    public String getQualifiedMailboxName() {
      return user.getQualifiedMailboxName();
    }
  }
}
