package io.trustplane.gate.domain;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One admin rule of the POLICY layer. Empty {@code role}, {@code tiers} or {@code actions} match anything;
 * {@code resourcePattern} is a glob ({@code *} any run of characters, {@code ?} one character).
 */
public record PolicyRule(String id, String name, int priority, String role, List<Tier> tiers, List<String> actions,
        String resourcePattern, Decision effect, boolean enabled, long version, Pattern compiled) {

    public static PolicyRule of(String id, String name, int priority, String role, List<Tier> tiers,
            List<String> actions, String resourcePattern, Decision effect, boolean enabled, long version) {
        return new PolicyRule(id, name, priority, role, tiers == null ? List.of() : List.copyOf(tiers),
                actions == null ? List.of() : actions.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList(),
                resourcePattern == null ? "*" : resourcePattern, effect, enabled, version,
                glob(resourcePattern == null ? "*" : resourcePattern));
    }

    public boolean matches(String role, Tier tier, String action, String resourceId) {
        return enabled
                && (this.role == null || this.role.isEmpty() || this.role.equals(role))
                && (tiers.isEmpty() || tiers.contains(tier))
                && (actions.isEmpty() || (action != null && actions.contains(action.toLowerCase(Locale.ROOT))))
                && compiled.matcher(resourceId == null ? "" : resourceId).matches();
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
