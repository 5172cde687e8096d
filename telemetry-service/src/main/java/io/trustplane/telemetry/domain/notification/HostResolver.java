package io.trustplane.telemetry.domain.notification;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a notification URL's host into addresses. The one place outbound names are resolved, so the address the
 * {@link UrlGuard} checked is the address the delivery connects to (no second lookup an attacker's DNS could answer
 * differently), and so a test can stand in for DNS.
 */
public interface HostResolver {

    /** Every address of the host (an IP literal is its own address); throws when the name does not resolve. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
