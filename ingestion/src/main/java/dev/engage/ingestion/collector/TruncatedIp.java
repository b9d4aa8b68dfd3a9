package dev.engage.ingestion.collector;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address cut down before it is stored, so it still tells the region and the network but no
 * longer one household or device: IPv4 loses its last octet ({@code 203.0.113.77} becomes {@code
 * 203.0.113.0}), IPv6 keeps its first 48 bits, the site prefix ({@code 2001:db8:85a3::}).
 */
final class TruncatedIp {
  private static final Pattern IPV4 = Pattern.compile("[0-9.]{7,15}");
  private static final Pattern IPV6 =
      Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9]+)?");

  private TruncatedIp() {}

  /** The truncated address, or empty when {@code ip} is not an IP address literal. */
  static Optional<String> of(String ip) {
    String literal = ip == null ? "" : ip.trim();
    // only literals: InetAddress would resolve a host name through DNS
    if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
      return Optional.empty();
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(literal);
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return Optional.of(
          (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0");
    }
    // the first three 16-bit groups, trailing zero groups folded into the "::" (RFC 5952)
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < 6; i += 2) {
      groups.add(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
    }
    while (!groups.isEmpty() && groups.get(groups.size() - 1).equals("0")) {
      groups.remove(groups.size() - 1);
    }
    return Optional.of(String.join(":", groups) + "::");
  }
}
