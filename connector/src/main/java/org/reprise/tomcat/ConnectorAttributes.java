package org.reprise.tomcat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.store.AttributeValues;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.store.ResumptionStores;
import org.reprise.core.store.StoreProvider;

/**
 * Reprise's server.xml attributes on a {@code <Connector>}, kept as written until the connector starts,
 * then checked and turned into {@link ResumptionSettings}. Besides its own attributes, the connector
 * accepts those of every {@link StoreProvider} on the class path, and {@code store="<name>"} opens that
 * provider's stores. Shared by the protocol classes.
 */
final class ConnectorAttributes {

    static final String STORE = "store";
    static final String MEMORY_STORE = "memory";

    /** How an attribute's value goes into the builder; {@code name} is the attribute's, for error messages. */
    @FunctionalInterface
    private interface Setter {
        void apply(ResumptionSettings.Builder builder, String name, String value);
    }

    /** Reprise's own attributes but {@link #STORE}, each with what it sets: the one list of them in the code. */
    private static final Map<String, Setter> SETTERS = Map.of(
            "ticketKeyRotation", (b, n, v) -> b.ticketKeyRotation(AttributeValues.duration(n, v)),
            "sweepInterval", (b, n, v) -> b.sweepInterval(AttributeValues.duration(n, v)),
            "allowLegacyResumption", (b, n, v) -> b.allowLegacyResumption(AttributeValues.bool(n, v)),
            "resumptionName", (b, n, v) -> b.resumptionName(v),
            "resumptionEngine", (b, n, v) -> b.engine(v),
            "sessionMode", (b, n, v) -> b.sessionMode(SessionMode.parse(v)),
            "node", (b, n, v) -> b.node(v));

    /** Reprise's own attributes: docs/SETTINGS.md lists exactly these, with their defaults (SettingsDocTest). */
    static final Set<String> OWN = Stream.concat(SETTERS.keySet().stream(), Stream.of(STORE))
            .collect(Collectors.toUnmodifiableSet());

    private final Map<String, StoreProvider> providers = new HashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    ConnectorAttributes() {
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, StoreProvider.class.getClassLoader())) {
            providers.put(provider.name(), provider);
        }
    }

    /** The settings to run with, and the stores opened for them, which the connector closes when it stops. */
    record Resolved(ResumptionSettings settings, @Nullable ResumptionStores stores) {
    }

    /** @return whether the attribute is Reprise's or a store provider's (and was kept) */
    boolean set(String name, String value) {
        if (OWN.contains(name) || providers.values().stream().anyMatch(p -> p.attributeNames().contains(name))) {
            values.put(name, value.strip());
            return true;
        }
        return false;
    }

    @Nullable String get(String name) {
        return values.get(name);
    }

    /**
     * @param base settings from code, which the attributes override
     * @return the merged settings, with the stores the {@code store} attribute names opened
     * @throws IllegalArgumentException naming the attribute whose value is wrong and what is allowed
     */
    Resolved applyTo(ResumptionSettings base) {
        ResumptionSettings.Builder b = base.toBuilder();
        values.forEach((name, value) -> {
            Setter setter = SETTERS.get(name);
            if (setter != null) {
                setter.apply(b, name, value);
            }
        });
        ResumptionSettings checked = b.build();
        String store = values.getOrDefault(STORE, MEMORY_STORE);
        if (store.equals(MEMORY_STORE)) {
            return new Resolved(checked, null);
        }
        StoreProvider provider = providers.get(store);
        if (provider == null) {
            Set<String> known = new TreeSet<>(providers.keySet());
            known.add(MEMORY_STORE);
            throw new IllegalArgumentException("Reprise setting store=\"" + store + "\" is not known; use one of "
                    + known + " (a store's jar must be next to Reprise's in Tomcat's lib directory)");
        }
        ResumptionMetrics metrics = checked.metrics() != null ? checked.metrics() : new ResumptionMetrics();
        Map<String, String> own = new HashMap<>();
        values.forEach((key, value) -> {
            if (provider.attributeNames().contains(key)) {
                own.put(key, value);
            }
        });
        ResumptionStores stores = provider.open(own, checked.node(), metrics);
        return new Resolved(checked.toBuilder().metrics(metrics).sessionStore(stores.sessionStore())
                .ticketKeyStore(stores.ticketKeyStore()).build(), stores);
    }
}
