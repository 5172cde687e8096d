package io.trustplane.conformance;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the fuzz suite, the access matrix and the MCP checks, no service's log (the MCP endpoint's included) holds a bearer token any test sent (valid, expired,
 * forged or garbage), the service-to-service token, a line of either private key, or an Authorization header.
 */
@ExtendWith(Conformance.Extension.class)
@Order(4)
class SecretsNotLoggedTest {

    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)authorization\\\\?[\"']?\\s*[:=]\\s*\\\\?[\"']?(bearer|basic)\\s+\\S");

    @Test
    void noServiceLogsATokenAKeyOrAnAuthorizationHeader(Conformance suite) throws IOException {
        Set<String> secrets = new LinkedHashSet<>();
        for (String value : suite.authorizationValues()) {
            String token = value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value.trim();
            if (token.length() >= 24) {
                secrets.add(token);
                String[] parts = token.split("\\.");
                if (parts.length == 3 && parts[2].length() >= 40) {
                    secrets.add(parts[2]); // a signature alone is as bad
                }
            }
        }
        for (Conformance.Service s : suite.services()) {
            serviceToken(s).ifPresent(secrets::add);
        }
        int keyLines = 0;
        for (String pem : suite.privateKeyPems()) {
            for (String line : pem.split("\\R")) {
                if (!line.startsWith("-----") && line.length() >= 40) {
                    secrets.add(line);
                    keyLines++;
                }
            }
        }
        assertThat(secrets).as("tokens sent by the fuzz suite and the matrix").hasSizeGreaterThan(100);
        assertThat(keyLines).isPositive();

        List<String> leaks = new ArrayList<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        suite.services().forEach(s -> logs.put(s.name(), s.log()));
        logs.put("mcp-service", suite.mcpLog());
        for (Map.Entry<String, Path> e : logs.entrySet()) {
            String name = e.getKey();
            String log = Files.readString(e.getValue(), StandardCharsets.UTF_8);
            assertThat(log).as("%s logged something", name).isNotBlank();
            for (String secret : secrets) {
                int at = log.indexOf(secret);
                if (at >= 0) {
                    leaks.add(name + " logs a secret near: " + RawHttp.abbreviate(
                            log.substring(Math.max(0, at - 80), Math.min(log.length(), at + 40))));
                }
            }
            var m = AUTH_HEADER.matcher(log);
            if (m.find()) {
                leaks.add(name + " logs an Authorization header: " + log.substring(m.start(),
                        Math.min(log.length(), m.start() + 60)).toLowerCase(Locale.ROOT));
            }
        }
        System.out.println("scanned " + logs.size() + " service logs for " + secrets.size() + " secrets");
        assertThat(leaks).isEmpty();
    }

    /** The service token the launcher handed the service on its command line, if the OS shows it. */
    private static java.util.Optional<String> serviceToken(Conformance.Service s) {
        return s.process().info().arguments().stream().flatMap(java.util.Arrays::stream)
                .filter(a -> a.startsWith("-Dtrustplane.service-token="))
                .map(a -> a.substring("-Dtrustplane.service-token=".length())).filter(t -> t.length() >= 24).findFirst();
    }
}
