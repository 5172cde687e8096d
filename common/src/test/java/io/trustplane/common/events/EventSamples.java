package io.trustplane.common.events;

import java.lang.reflect.RecordComponent;
import java.util.List;

/** One instance of each catalogue record with every field set (distinct per field), for contract tests. */
final class EventSamples {

    private EventSamples() {
    }

    static DomainEvent of(EventType type) {
        Class<? extends DomainEvent> c = type.recordClass();
        RecordComponent[] components = c.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = value(types[i], components[i].getName(), i);
        }
        try {
            return c.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(Class<?> t, String name, int i) {
        if (t == String.class) {
            return name + "-" + i;
        }
        if (t == long.class || t == Long.class) {
            return 1000L + i;
        }
        if (t == int.class || t == Integer.class) {
            return 10 + i;
        }
        if (t == double.class || t == Double.class) {
            return 1.5 + i;
        }
        if (t == boolean.class || t == Boolean.class) {
            return Boolean.TRUE;
        }
        if (t == List.class) {
            return List.of(name + "-a", name + "-b");
        }
        if (t == java.util.Map.class) {
            return java.util.Map.of(name + "-key", name + "-" + i);
        }
        throw new IllegalArgumentException("no sample for " + t + " " + name);
    }
}
