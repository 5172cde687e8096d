package io.trustplane.telemetry.dashboard;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fixed list of upstream routes the dashboard may reach through telemetry-service: read-only views of
 * provenance, gate and lease-service plus the operator actions the pages offer (a rollout's rollback, an
 * escalation's decision, an agent's suspension, reinstatement, containment and its lift), each of which the
 * upstream authorises again. Anything not listed here is refused before a byte leaves telemetry-service.
 */
public final class ProxyRoutes {

    /** A path segment the upstream treats as an id; {@code .} and {@code ..} are never ids. */
    private static final String ID = "(?!\\.{1,2}/)(?!\\.{1,2}$)[A-Za-z0-9._:-]{1,128}";
    private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /** The upstream services the proxy knows, by the short name used in its path. */
    public enum Service {
        LEASE("lease"), PROVENANCE("provenance"), GATE("gate");

        private final String shortName;

        Service(String shortName) {
            this.shortName = shortName;
        }

        public String shortName() {
            return shortName;
        }

        public static Optional<Service> byShortName(String name) {
            for (Service s : values()) {
                if (s.shortName.equals(name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** One allowed route: method, path pattern (without leading slash) and the query parameters passed on. */
    public record Route(Service service, String method, Pattern path, Set<String> query) {

        static Route of(Service service, String method, String regex, String... query) {
            return new Route(service, method, Pattern.compile(regex), Set.of(query));
        }

        boolean matches(Service s, String m, String p) {
            return service == s && method.equals(m) && path.matcher(p).matches();
        }
    }

    static final List<Route> ROUTES = List.of(
            Route.of(Service.PROVENANCE, "GET", "v1/log/checkpoint"),
            Route.of(Service.PROVENANCE, "GET", "v1/log/key"),
            Route.of(Service.PROVENANCE, "GET", "v1/provenance", "agentId", "from", "to", "creationType", "cursor", "limit"),
            Route.of(Service.PROVENANCE, "GET", "v1/provenance/" + UUID),
            Route.of(Service.PROVENANCE, "GET", "v1/provenance/" + UUID + "/lineage"),
            Route.of(Service.PROVENANCE, "GET", "v1/provenance/" + UUID + "/proof", "treeSize"),
            Route.of(Service.GATE, "GET", "v1/flags"),
            Route.of(Service.GATE, "GET", "v1/flags/" + ID),
            Route.of(Service.GATE, "GET", "v1/flags/" + ID + "/history"),
            Route.of(Service.GATE, "POST", "v1/flags/" + ID + "/rollback"),
            Route.of(Service.GATE, "GET", "v1/agents", "tier", "status", "minScore", "maxScore", "cursor", "limit"),
            Route.of(Service.GATE, "GET", "v1/agents/" + ID),
            Route.of(Service.GATE, "GET", "v1/agents/" + ID + "/history", "limit"),
            Route.of(Service.GATE, "POST", "v1/agents/" + ID + "/suspend"),
            Route.of(Service.GATE, "POST", "v1/agents/" + ID + "/reinstate"),
            Route.of(Service.GATE, "POST", "v1/agents/" + ID + "/containment"),
            Route.of(Service.GATE, "POST", "v1/agents/" + ID + "/containment/lift"),
            Route.of(Service.GATE, "GET", "v1/escalations", "status", "agentId", "cursor", "limit"),
            Route.of(Service.GATE, "GET", "v1/escalations/" + UUID),
            Route.of(Service.GATE, "POST", "v1/escalations/" + UUID + "/decision"),
            Route.of(Service.GATE, "GET", "v1/tool-calls/approvals/" + UUID),
            Route.of(Service.LEASE, "GET", "v1/tasks", "agent", "phase", "status", "updatedSince", "cursor", "limit"),
            Route.of(Service.LEASE, "GET", "v1/tasks/" + ID),
            Route.of(Service.LEASE, "GET", "v1/tasks/" + ID + "/ledger"),
            Route.of(Service.LEASE, "GET", "v1/tasks/" + ID + "/ledger/verify"),
            Route.of(Service.LEASE, "GET", "v1/leases", "taskId", "phase"));

    private ProxyRoutes() {
    }

    /** The route that allows {@code method path} on {@code service}, if any. */
    public static Optional<Route> find(Service service, String method, String path) {
        return ROUTES.stream().filter(r -> r.matches(service, method, path)).findFirst();
    }
}
