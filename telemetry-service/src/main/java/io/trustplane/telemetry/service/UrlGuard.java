package io.trustplane.telemetry.service;

import io.trustplane.common.problem.ProblemException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses notification URLs that would make telemetry call into its own network (SSRF): only http(s), and unless
 * the host is explicitly allow-listed, no loopback, private, link-local or wildcard address. Resolves DNS, so it
 * must run off the event loop.
 */
public final class UrlGuard {

    private UrlGuard() {
    }

    public static void check(String url, boolean denyPrivate, List<String> allowedHosts) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ProblemException.badRequest("url", "must be an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw ProblemException.badRequest("url", "must name a host");
        }
        if (!denyPrivate || allowedHosts.stream().anyMatch(h -> h.equalsIgnoreCase(host))) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                        || a.isMulticastAddress() || isUniqueLocalV6(a)) {
                    throw ProblemException.unprocessable("url_not_allowed", "url",
                            "resolves to a loopback, private or link-local address and the host is not allow-listed");
                }
            }
        } catch (UnknownHostException e) {
            throw ProblemException.unprocessable("url_not_allowed", "url", "the host does not resolve");
        }
    }

    private static boolean isUniqueLocalV6(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 16 && (b[0] & 0xFE) == 0xFC;
    }
}
