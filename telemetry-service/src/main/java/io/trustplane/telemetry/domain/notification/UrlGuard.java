package io.trustplane.telemetry.domain.notification;

import io.trustplane.common.problem.ProblemException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses notification URLs that would make telemetry call into its own network (SSRF): only http(s), and unless
 * the host is explicitly allow-listed, every address the host resolves to must be globally reachable
 * ({@link AddressRanges}). Runs when a subscription is made and again before every send, and hands back the address
 * it checked: the delivery connects to that address, so a name that resolves elsewhere by then (DNS rebinding) is
 * checked again and never reached through a second lookup. Resolves DNS, so it must run off the event loop.
 */
public final class UrlGuard {

    /** A checked destination: the URL's parts and the one address to connect to. */
    public record Target(URI uri, String host, int port, boolean https, InetAddress address) {

        /** Path and query as sent on the request line. */
        public String requestUri() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    /** What a refused URL says; the same words at subscribe time and in the delivery log. */
    public static final String NOT_ALLOWED = "resolves to an address that is not globally reachable (loopback, "
            + "private, link-local, shared, reserved...) and the host is not allow-listed";

    private UrlGuard() {
    }

    public static Target check(String url, boolean denyPrivate, List<String> allowedHosts, HostResolver resolver) {
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
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean https = scheme.equals("https");
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        boolean exempt = !denyPrivate || allowedHosts.stream().anyMatch(h -> h.equalsIgnoreCase(host)
                || h.equalsIgnoreCase(name));
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw ProblemException.unprocessable("url_not_allowed", "url", "the host does not resolve");
        }
        if (addresses.isEmpty()) {
            throw ProblemException.unprocessable("url_not_allowed", "url", "the host does not resolve");
        }
        if (!exempt) {
            for (InetAddress a : addresses) {
                if (!AddressRanges.isPublic(a)) {
                    throw ProblemException.unprocessable("url_not_allowed", "url", NOT_ALLOWED);
                }
            }
        }
        return new Target(uri, name, port, https, addresses.get(0));
    }
}
