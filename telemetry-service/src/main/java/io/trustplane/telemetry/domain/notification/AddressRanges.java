package io.trustplane.telemetry.domain.notification;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a notification may be sent to: only globally reachable unicast ones. Refused are the blocks the
 * IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates) mark as not globally reachable,
 * multicast and the reserved remainder, and IPv6 forms that carry an IPv4 address: NAT64 (64:ff9b::/96) and 6to4 are
 * judged by the IPv4 address they carry, so {@code [64:ff9b::7f00:1]} is loopback; IPv4-compatible
 * ({@code [::127.0.0.1]}, deprecated), IPv4-mapped as IPv6 and Teredo addresses are refused outright (Java reads the
 * literal {@code [::ffff:127.0.0.1]} as the IPv4 address 127.0.0.1, refused as loopback). A few globally reachable anycast addresses inside refused blocks (192.0.0.9/32,
 * 192.0.0.10/32, 2001:1::1/128...) are refused with their block: no webhook lives there.
 */
public final class AddressRanges {

    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (prefix[full] & mask);
        }
    }

    /** IPv4: not globally reachable in the IANA registry, plus multicast (224/4). */
    private static final List<Block> V4 = blocks(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32");

    /** IPv6: not globally reachable in the IANA registry, plus multicast, deprecated site-local, and the rest of ::/8. */
    private static final List<Block> V6 = blocks(
            "::/8", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64", "2001::/23", "2001:db8::/32", "3fff::/20",
            "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

    private static final Block MAPPED = block("::ffff:0:0/96");
    private static final Block COMPATIBLE = block("::/96");
    private static final Block NAT64 = block("64:ff9b::/96");
    private static final Block SIX_TO_FOUR = block("2002::/16");
    private static final Block TEREDO = block("2001::/32");

    private AddressRanges() {
    }

    /** True when a notification may be sent to this address. */
    public static boolean isPublic(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            return V4.stream().noneMatch(b -> b.contains(a));
        }
        if (COMPATIBLE.contains(a) || MAPPED.contains(a)) {
            // IPv4-compatible is deprecated (RFC 4291) and never routed (::1, :: and ::a.b.c.d alike); IPv4-mapped is
            // not globally reachable in the registry (Java hands a mapped address back as IPv4, judged above)
            return false;
        }
        if (NAT64.contains(a)) {
            return isPublicV4(a[12], a[13], a[14], a[15]);
        }
        if (SIX_TO_FOUR.contains(a)) {
            return isPublicV4(a[2], a[3], a[4], a[5]);
        }
        if (TEREDO.contains(a)) { // the client's address, obfuscated (bits inverted) in the last 32 bits
            return false;
        }
        return V6.stream().noneMatch(b -> b.contains(a));
    }

    private static boolean isPublicV4(byte b0, byte b1, byte b2, byte b3) {
        byte[] v4 = {b0, b1, b2, b3};
        return V4.stream().noneMatch(b -> b.contains(v4));
    }

    private static List<Block> blocks(String... cidrs) {
        return java.util.Arrays.stream(cidrs).map(AddressRanges::block).toList();
    }

    private static Block block(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            // literals only: InetAddress does no lookup for them; an IPv4-mapped literal would come back as IPv4
            InetAddress prefix = InetAddress.getByName(cidr.substring(0, slash));
            byte[] bytes = prefix.getAddress();
            if (cidr.startsWith("::ffff:") && prefix instanceof Inet4Address) {
                bytes = new byte[16];
                bytes[10] = (byte) 0xFF;
                bytes[11] = (byte) 0xFF;
            }
            return new Block(bytes, Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }
}
