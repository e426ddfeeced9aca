package io.modelplane.server.service.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF check of webhook URLs: an {@code http(s)} URL whose host resolves only to public
 * addresses. Loopback, link-local, private (RFC 1918, IPv6 unique-local), carrier-grade NAT,
 * unspecified, multicast and broadcast addresses are refused, in IPv4, IPv6 and IPv4-mapped or
 * IPv4-compatible IPv6, unless the host name or a CIDR range holding the address is allowed ({@code
 * MODELPLANE_WEBHOOK_ALLOWED_HOSTS}). Checked when a subscription is created and again before every
 * attempt (a name may resolve elsewhere later: DNS rebinding).
 */
public final class WebhookTargetPolicy {
  private final List<String> allowedHosts = new ArrayList<>();
  private final List<Cidr> allowedRanges = new ArrayList<>();
  private final Resolver resolver;

  /** Resolves a host name to its addresses (replaceable in tests). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  public WebhookTargetPolicy(List<String> allowed) {
    this(allowed, InetAddress::getAllByName);
  }

  public WebhookTargetPolicy(List<String> allowed, Resolver resolver) {
    this.resolver = resolver;
    for (String entry : allowed) {
      String value = entry.trim().toLowerCase(Locale.ROOT);
      if (value.contains("/")) {
        allowedRanges.add(Cidr.parse(value));
      } else if (!value.isEmpty()) {
        allowedHosts.add(stripBrackets(value));
      }
    }
  }

  /**
   * Why {@code url} may not be called now, or empty when it may.
   *
   * @param url an absolute URL
   */
  public Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return Optional.of("url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("url must be an http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("url must not carry credentials");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Optional.of("url has no host");
    }
    host = stripBrackets(host.toLowerCase(Locale.ROOT));
    if (allowedHosts.contains(host)) {
      return Optional.empty();
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("the host of url does not resolve");
    }
    for (InetAddress address : addresses) {
      if (isInternal(address) && !isAllowed(address)) {
        return Optional.of(
            "the host of url resolves to an internal address ("
                + address.getHostAddress()
                + "); allow it with MODELPLANE_WEBHOOK_ALLOWED_HOSTS");
      }
    }
    return Optional.empty();
  }

  private boolean isAllowed(InetAddress address) {
    if (allowedHosts.contains(address.getHostAddress().toLowerCase(Locale.ROOT))) {
      return true;
    }
    InetAddress plain = unmapped(address);
    if (allowedHosts.contains(plain.getHostAddress().toLowerCase(Locale.ROOT))) {
      return true;
    }
    return allowedRanges.stream()
        .anyMatch(range -> range.contains(address) || range.contains(plain));
  }

  /** Whether an address is one a webhook must not reach (see the class comment). */
  public static boolean isInternal(InetAddress address) {
    InetAddress a = unmapped(address);
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || first == 10
          || first == 127
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          || (first == 169 && second == 254)
          || (first == 172 && second >= 16 && second <= 31)
          || (first == 192 && second == 168)
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 224; // multicast, reserved, broadcast
    }
    int first = b[0] & 0xff;
    return (first & 0xfe) == 0xfc // unique local fc00::/7
        || (first == 0xfe && (b[1] & 0xc0) == 0x80) // link-local fe80::/10
        || (first == 0xfe && (b[1] & 0xc0) == 0xc0); // site-local fec0::/10 (deprecated)
  }

  /** The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}) or compatible address. */
  static InetAddress unmapped(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return address;
      }
    }
    boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
    if (!mapped && !compatible) {
      return address;
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      return address;
    }
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** A CIDR range such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String value) {
      String[] parts = value.split("/", 2);
      try {
        byte[] network = InetAddress.getByName(stripBrackets(parts[0])).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException(value);
        }
        return new Cidr(network, prefix);
      } catch (UnknownHostException | RuntimeException e) {
        throw new IllegalArgumentException(
            "MODELPLANE_WEBHOOK_ALLOWED_HOSTS: '" + value + "' is not a CIDR range", e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((b[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
