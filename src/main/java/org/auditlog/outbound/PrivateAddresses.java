package org.auditlog.outbound;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses are not on the public internet, and how a host written in a URL reads as an
 * address in every spelling a resolver would accept ({@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}, {@code [::ffff:127.0.0.1]}).
 */
public final class PrivateAddresses {
    /** "This network", RFC 1918, CGNAT, loopback, link-local, IETF protocol, benchmarking, multicast, reserved and broadcast. */
    private static final List<AddressBlock> IPV4 = blocks("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
            "240.0.0.0/4");
    /** Unspecified, loopback, link-local, site-local, unique local, multicast, discard-only and local-use NAT64. */
    private static final List<AddressBlock> IPV6 = blocks("::/128", "::1/128", "fe80::/10", "fec0::/10", "fc00::/7",
            "ff00::/8", "100::/64", "64:ff9b:1::/48");
    private static final AddressBlock IPV4_COMPATIBLE = AddressBlock.parse("::/96");
    private static final AddressBlock IPV4_MAPPED = AddressBlock.parse("::ffff:0:0/96");
    private static final AddressBlock IPV4_TRANSLATED = AddressBlock.parse("::ffff:0:0:0/96");
    private static final AddressBlock NAT64 = AddressBlock.parse("64:ff9b::/96");
    private static final AddressBlock SIX_TO_FOUR = AddressBlock.parse("2002::/16");
    private static final AddressBlock TEREDO = AddressBlock.parse("2001::/32");

    private PrivateAddresses() {
    }

    private static List<AddressBlock> blocks(String... blocks) {
        return Arrays.stream(blocks).map(AddressBlock::parse).toList();
    }

    /** Whether the address, or an IPv4 address embedded in an IPv6 one, is not a public internet address. */
    public static boolean isPrivate(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return inAny(IPV4, bytes);
        }
        if (inAny(IPV6, bytes)) {
            return true;
        }
        if (IPV4_COMPATIBLE.contains(bytes) || IPV4_MAPPED.contains(bytes) || IPV4_TRANSLATED.contains(bytes)
                || NAT64.contains(bytes)) {
            return inAny(IPV4, Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return inAny(IPV4, Arrays.copyOfRange(bytes, 2, 6));
        }
        if (TEREDO.contains(bytes)) {
            byte[] client = Arrays.copyOfRange(bytes, 12, 16);
            for (int i = 0; i < client.length; i++) {
                client[i] = (byte) ~client[i];
            }
            return inAny(IPV4, Arrays.copyOfRange(bytes, 4, 8)) || inAny(IPV4, client);
        }
        return false;
    }

    private static boolean inAny(List<AddressBlock> blocks, byte[] address) {
        return blocks.stream().anyMatch(block -> block.contains(address));
    }

    /**
     * A host as written in a URL, made comparable: lower case, without the brackets of an IPv6
     * literal, its zone or one trailing dot.
     */
    public static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        if (zone >= 0 && h.contains(":")) {
            h = h.substring(0, zone);
        }
        if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** The address a normalized host stands for by itself, without asking DNS, if it is a literal in any spelling. */
    public static Optional<InetAddress> literal(String host) {
        if (host.contains(":")) {
            return InetAddresses.isInetAddress(host) ? Optional.of(InetAddresses.forString(host)) : Optional.empty();
        }
        return legacyIpv4(host);
    }

    /** Names that stand for this machine whatever DNS says (RFC 6761). */
    public static boolean isLocalName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.localdomain")
                || host.equals("ip6-localhost") || host.equals("ip6-loopback");
    }

    /**
     * IPv4 the way inet_aton reads it: one to four parts, each decimal, octal (leading 0) or hex
     * (leading 0x), the last filling the bytes left.
     */
    private static Optional<InetAddress> legacyIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> value = number(parts[i]);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values[i] = value.get();
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            return Optional.empty();
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static Optional<Long> number(String part) {
        if (part.isEmpty() || part.length() > 12) {
            return Optional.empty();
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return Optional.of(0L);
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        for (char c : digits.toCharArray()) {
            if (c > 'z' || Character.digit(c, radix) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(digits, radix));
    }
}
