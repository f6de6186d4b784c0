package org.reprise.tomcat;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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

    static final String TICKET_KEY_ROTATION = "ticketKeyRotation";
    static final String ALLOW_LEGACY_RESUMPTION = "allowLegacyResumption";
    static final String RESUMPTION_NAME = "resumptionName";
    static final String SWEEP_INTERVAL = "sweepInterval";
    static final String NODE = "node";
    static final String STORE = "store";
    static final String MEMORY_STORE = "memory";

    private static final Set<String> OWN = Set.of(TICKET_KEY_ROTATION, ALLOW_LEGACY_RESUMPTION, RESUMPTION_NAME,
            SWEEP_INTERVAL, NODE, STORE);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

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
        String rotation = values.get(TICKET_KEY_ROTATION);
        if (rotation != null) {
            b.ticketKeyRotation(duration(TICKET_KEY_ROTATION, rotation));
        }
        String sweep = values.get(SWEEP_INTERVAL);
        if (sweep != null) {
            b.sweepInterval(duration(SWEEP_INTERVAL, sweep));
        }
        String legacy = values.get(ALLOW_LEGACY_RESUMPTION);
        if (legacy != null) {
            b.allowLegacyResumption(bool(ALLOW_LEGACY_RESUMPTION, legacy));
        }
        String name = values.get(RESUMPTION_NAME);
        if (name != null) {
            b.name(name);
        }
        String node = values.get(NODE);
        if (node != null) {
            b.node(node);
        }
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

    static Duration duration(String attribute, String value) {
        Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Reprise setting " + attribute + "=\"" + value
                    + "\" is not a duration: write a number with a unit (500ms, 30s, 15m, 12h, 7d) or ISO-8601 (PT12H)");
        }
    }

    private static boolean bool(String attribute, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "Reprise setting " + attribute + "=\"" + value + "\" must be true or false");
        };
    }
}
