package io.trustplane.telemetry.domain.notification;

import io.trustplane.telemetry.client.SystemHostResolver;

import io.trustplane.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhook targets against a committed copy of the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (src/test/resources/iana): the first, last and a middle address of every block the registry marks as not globally
 * reachable is refused. The registry is the expectation, not the guard's own list.
 */
class AddressRangesTest {

    record Row(String block, String name, String globallyReachable) {
    }

    @Test
    void everyBlockTheRegistriesMarkNotGloballyReachableIsRefused() throws Exception {
        List<Row> rows = new ArrayList<>(read("/iana/ipv4-special-registry.csv"));
        rows.addAll(read("/iana/ipv6-special-registry.csv"));
        assertThat(rows).hasSizeGreaterThan(45);
        List<String> admitted = new ArrayList<>();
        int checked = 0;
        for (Row row : rows) {
            if (!row.globallyReachable().equals("False")) {
                continue;
            }
            for (InetAddress a : samples(row.block())) {
                checked++;
                if (AddressRanges.isPublic(a)) {
                    admitted.add(a.getHostAddress() + " (" + row.block() + " " + row.name() + ")");
                }
            }
        }
        assertThat(admitted).as("addresses of non-globally-reachable blocks admitted").isEmpty();
        // 33 blocks are not globally reachable in the two registries, three addresses each
        assertThat(checked).isEqualTo(3 * rows.stream().filter(r -> r.globallyReachable().equals("False")).count())
                .isEqualTo(99);
    }

    @Test
    void theFormsTheAttackerTriedAreRefusedAndPublicAddressesPass() throws Exception {
        // issue 18.2: IPv4-compatible, IPv4-mapped and NAT64 spellings of loopback, shared and benchmarking space
        for (String url : List.of("http://[::127.0.0.1]/h", "http://[::ffff:127.0.0.1]/h", "http://[64:ff9b::7f00:1]/h",
                "http://[::ffff:7f00:1]/h", "http://[64:ff9b::a00:1]/h", "http://[2002:7f00:1::]/h",
                "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/h", "http://100.64.0.1/h", "http://100.127.255.254/h",
                "http://198.18.0.1/h", "http://198.19.255.255/h", "http://[fd00::1]/h", "http://[fe80::1]/h",
                "http://[::]/h", "http://0.0.0.0/h", "http://[ff02::1]/h", "http://224.0.0.1/h", "http://[3fff::1]/h")) {
            assertThatThrownBy(() -> UrlGuard.check(url, true, List.of(), new SystemHostResolver())).as(url)
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.code()).isEqualTo("url_not_allowed");
                    });
        }
        for (String url : List.of("http://8.8.8.8/h", "https://1.1.1.1/h", "http://[2606:4700:4700::1111]/h",
                "http://[64:ff9b::808:808]/h", "http://[2002:808:808::1]/h", "http://192.0.0.9/h".replace("192.0.0.9",
                        "192.175.48.1"))) {
            assertThat(UrlGuard.check(url, true, List.of(), new SystemHostResolver()).address()).as(url).isNotNull();
        }
    }

    @Test
    void theCheckedAddressIsTheOneHandedBackAndEveryAnswerIsChecked() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("93.184.215.14");
        UrlGuard.Target t = UrlGuard.check("https://hooks.example/a/b?x=1", true, List.of(),
                host -> List.of(publicAddress));
        assertThat(t.address()).isEqualTo(publicAddress);
        assertThat(t.host()).isEqualTo("hooks.example");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.requestUri()).isEqualTo("/a/b?x=1");
        // one private answer among public ones is enough to refuse: the connection might go to any of them
        assertThatThrownBy(() -> UrlGuard.check("http://hooks.example/", true, List.of(),
                host -> List.of(publicAddress, InetAddress.getByName("10.0.0.7")))).isInstanceOf(ProblemException.class);
        // an allow-listed host may resolve anywhere
        assertThat(UrlGuard.check("http://receiver.internal:8080/", true, List.of("receiver.internal"),
                host -> List.of(InetAddress.getByName("10.0.0.7"))).address().getHostAddress()).isEqualTo("10.0.0.7");
    }

    private static List<Row> read(String resource) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = AddressRangesTest.class.getResourceAsStream(resource)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            Pattern field = Pattern.compile("\"([^\"]*)\"|([^,]*)");
            for (String line : Arrays.copyOfRange(lines, 1, lines.length)) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                Matcher m = field.matcher(line);
                int at = 0;
                while (at <= line.length() && m.find(at)) {
                    cells.add(m.group(1) != null ? m.group(1) : m.group(2));
                    at = m.end() + 1;
                }
                rows.add(new Row(cells.get(0), cells.get(1), cells.get(cells.size() - 1).trim()));
            }
        }
        return rows;
    }

    /** First, last and a middle address of a CIDR block, computed here with BigInteger. */
    private static List<InetAddress> samples(String cidr) throws Exception {
        String[] parts = cidr.split("/");
        byte[] prefix = InetAddress.getByName(parts[0]).getAddress();
        int width = parts[0].contains(":") ? 16 : 4;
        if (prefix.length != width) { // ::ffff:0:0 parses as IPv4: rebuild the 16 bytes
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xFF;
            v6[11] = (byte) 0xFF;
            System.arraycopy(prefix, 0, v6, 12, 4);
            prefix = v6;
        }
        int bits = Integer.parseInt(parts[1]);
        int total = width * 8;
        BigInteger first = new BigInteger(1, prefix).shiftRight(total - bits).shiftLeft(total - bits);
        BigInteger size = BigInteger.ONE.shiftLeft(total - bits);
        BigInteger last = first.add(size).subtract(BigInteger.ONE);
        BigInteger middle = first.add(size.shiftRight(1)).add(size.compareTo(BigInteger.valueOf(8)) > 0
                ? BigInteger.valueOf(3) : BigInteger.ZERO).min(last);
        List<InetAddress> out = new ArrayList<>();
        for (BigInteger n : List.of(first, middle, last)) {
            byte[] raw = n.toByteArray();
            byte[] a = new byte[width];
            int copy = Math.min(raw.length, width);
            System.arraycopy(raw, raw.length - copy, a, width - copy, copy);
            // Inet6Address keeps an IPv4-mapped address as IPv6 (InetAddress.getByAddress would turn it into IPv4)
            out.add(width == 16 ? Inet6Address.getByAddress(null, a, -1) : InetAddress.getByAddress(a));
        }
        return out;
    }
}
