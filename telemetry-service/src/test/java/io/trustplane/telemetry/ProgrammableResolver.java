package io.trustplane.telemetry;

import io.trustplane.telemetry.domain.notification.HostResolver;
import io.trustplane.telemetry.client.SystemHostResolver;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DNS as a test wants it: names it was told about answer what it was told (and can change their answer, as a
 * rebinding attacker's DNS does); every other name goes to the system resolver. Replaces the default resolver in
 * this module's tests; it stands in for DNS, not for a Trustplane service or a database.
 */
@ApplicationScoped
public class ProgrammableResolver implements HostResolver {

    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
    private final SystemHostResolver system = new SystemHostResolver();

    /** From now on, {@code host} resolves to these literal addresses. */
    public void answer(String host, String... addresses) {
        try {
            InetAddress[] resolved = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                resolved[i] = InetAddress.getByName(addresses[i]); // literals: no lookup
            }
            answers.put(host, List.of(resolved));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public void forget(String host) {
        answers.remove(host);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> programmed = answers.get(host);
        return programmed != null ? programmed : system.resolve(host);
    }
}
