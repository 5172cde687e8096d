package io.trustplane.testing.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaWildcardType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package convention of docs/architecture.md as rules every service's {@code LayerTest} checks over its compiled
 * main classes: {@code domain} is plain Java (and Jackson, for canonical JSON), {@code repository} maps rows to domain types and knows no other layer,
 * {@code service} never reaches back into {@code rest}, {@code rest} goes through services, no cycles between the
 * packages, typed responses, and one spelling of each role set.
 */
public final class LayerRules {

    /** The roles in the one order every {@code @RolesAllowed} lists them (see common's {@code Roles}). */
    public static final List<String> ROLE_ORDER = List.of("agent", "operator", "admin", "service");

    private static final Set<String> HTTP_METHODS = Set.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST",
            "jakarta.ws.rs.PUT", "jakarta.ws.rs.DELETE", "jakarta.ws.rs.PATCH");

    private LayerRules() {
    }

    /** Checks every rule against the main (non-test) classes under {@code root}, e.g. {@code io.trustplane.gate}. */
    public static void check(String root) {
        check(root, new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(root));
    }

    /** Checks every rule against the given classes; all violations of all rules are reported together. */
    public static void check(String root, JavaClasses classes) {
        List<String> failures = new ArrayList<>();
        for (ArchRule rule : rules(root)) {
            var result = rule.evaluate(classes);
            if (result.hasViolation()) {
                failures.add(result.getFailureReport().toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n\n", failures));
        }
    }

    /** The rules for one service's root package. */
    public static List<ArchRule> rules(String root) {
        return List.of(
                classes().that().resideInAPackage(root + ".domain..")
                        .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".domain..", "java..", "javax.crypto..",
                                "io.trustplane.common..", "com.fasterxml.jackson..",
                                "org.eclipse.microprofile.openapi.annotations..", "io.quarkus.runtime.annotations..")
                        .as("domain is plain Java: value types, enums and pure rules")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".repository..")
                        .should().dependOnClassesThat().resideInAnyPackage(root + ".service..", root + ".rest..",
                                root + ".client..", root + ".events..", root + ".config..", root + ".health..",
                                root + ".dashboard..")
                        .as("repositories run SQL and map rows to domain types, nothing else")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".repository..")
                        .should().callMethodWhere(startsATransaction())
                        .as("repositories run in the transaction their service opens, never their own")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".service..")
                        .should().dependOnClassesThat().resideInAPackage(root + ".rest..")
                        .as("services do not know HTTP resources")
                        .allowEmptyShould(true),
                noClasses().that().resideInAnyPackage(root + ".rest..", root + ".dashboard..")
                        .should().dependOnClassesThat().resideInAPackage(root + ".repository..")
                        .as("resources call services, not repositories")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".client..")
                        .should().dependOnClassesThat().resideInAnyPackage(root + ".service..", root + ".rest..",
                                root + ".repository..")
                        .as("outbound clients know only the domain and their configuration")
                        .allowEmptyShould(true),
                slices().matching(root + ".(*)..").should().beFreeOfCycles()
                        .as("no cycles between the packages of " + root)
                        .allowEmptyShould(true),
                methods().that(areResourceMethods()).and().areDeclaredInClassesThat().resideInAPackage(root + "..")
                        .should(returnATypedBody())
                        .allowEmptyShould(true),
                classes().that().resideInAPackage(root + "..").should(listRolesInTheOneOrder())
                        .allowEmptyShould(true));
    }

    /** The packages whose {@link #TRANSACTION_METHODS} open a transaction: the reactive SQL client, Hibernate Reactive. */
    private static final List<String> TRANSACTION_OWNERS = List.of("io.vertx.sqlclient", "io.vertx.mutiny.sqlclient",
            "org.hibernate.reactive", "io.quarkus.hibernate.reactive");
    private static final Set<String> TRANSACTION_METHODS = Set.of("withTransaction", "withStatelessTransaction", "begin");

    static DescribedPredicate<JavaMethodCall> startsATransaction() {
        return DescribedPredicate.describe("open a transaction (withTransaction or begin on a SQL client or session)",
                call -> TRANSACTION_METHODS.contains(call.getName()) && TRANSACTION_OWNERS.stream()
                        .anyMatch(p -> call.getTargetOwner().getPackageName().startsWith(p)));
    }

    private static DescribedPredicate<JavaMethod> areResourceMethods() {
        return DescribedPredicate.describe("are HTTP resource methods",
                m -> m.getAnnotations().stream().anyMatch(a -> HTTP_METHODS.contains(a.getRawType().getName())));
    }

    /** No {@code Map}, {@code Object} or wildcard as a route's body, also inside {@code Uni<...>} or a list. */
    static ArchCondition<JavaMethod> returnATypedBody() {
        return new ArchCondition<>("return a typed body (no Map, Object or wildcard)") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                String untyped = untyped(method.getReturnType());
                if (untyped != null) {
                    events.add(SimpleConditionEvent.violated(method,
                            method.getFullName() + " returns " + untyped + " in " + method.getReturnType().getName()));
                }
            }
        };
    }

    private static String untyped(JavaType type) {
        if (type instanceof JavaWildcardType) {
            return "a wildcard";
        }
        String raw = type.toErasure().getName();
        if (raw.equals(Object.class.getName()) || raw.equals(Map.class.getName())) {
            return raw;
        }
        if (type instanceof JavaParameterizedType p) {
            for (JavaType argument : p.getActualTypeArguments()) {
                String inner = untyped(argument);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /** Every {@code @RolesAllowed} names its roles in {@link #ROLE_ORDER}, so one set has one spelling. */
    static ArchCondition<JavaClass> listRolesInTheOneOrder() {
        return new ArchCondition<>("list @RolesAllowed roles in the order " + ROLE_ORDER) {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                type.getAnnotations().forEach(a -> checkRoles(type.getFullName(), a, type, events));
                type.getMethods().forEach(m -> m.getAnnotations()
                        .forEach(a -> checkRoles(m.getFullName(), a, m, events)));
            }
        };
    }

    private static void checkRoles(String where, JavaAnnotation<?> annotation, Object owner, ConditionEvents events) {
        if (!annotation.getRawType().getName().equals("jakarta.annotation.security.RolesAllowed")) {
            return;
        }
        Object value = annotation.get("value").orElse(new String[0]);
        List<String> roles = value instanceof String[] a ? List.of(a) : List.of(String.valueOf(value));
        int last = -1;
        for (String role : roles) {
            int at = ROLE_ORDER.indexOf(role);
            if (at <= last) {
                events.add(SimpleConditionEvent.violated(owner, where + " lists roles " + roles
                        + (at < 0 ? " (unknown role " + role + ")" : " out of the order " + ROLE_ORDER)));
                return;
            }
            last = at;
        }
    }
}
