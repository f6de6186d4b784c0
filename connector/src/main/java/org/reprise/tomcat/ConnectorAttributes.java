package org.reprise.tomcat;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reprise's server.xml attributes on a {@code <Connector>}, kept as written until the connector starts,
 * then checked and turned into {@link ResumptionSettings}. Shared by the protocol classes.
 */
final class ConnectorAttributes {

    static final String TICKET_KEY_ROTATION = "ticketKeyRotation";
    static final String ALLOW_LEGACY_RESUMPTION = "allowLegacyResumption";
    static final String RESUMPTION_NAME = "resumptionName";

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values = new LinkedHashMap<>();

    /** @return whether the attribute is Reprise's (and was kept) */
    boolean set(String name, String value) {
        switch (name) {
            case TICKET_KEY_ROTATION, ALLOW_LEGACY_RESUMPTION, RESUMPTION_NAME -> {
                values.put(name, value.strip());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    String get(String name) {
        return values.get(name);
    }

    /**
     * @param base settings from code, which the attributes override
     * @return the merged settings
     * @throws IllegalArgumentException naming the attribute whose value is wrong and what is allowed
     */
    ResumptionSettings applyTo(ResumptionSettings base) {
        ResumptionSettings.Builder b = base.toBuilder();
        String rotation = values.get(TICKET_KEY_ROTATION);
        if (rotation != null) {
            b.ticketKeyRotation(duration(TICKET_KEY_ROTATION, rotation));
        }
        String legacy = values.get(ALLOW_LEGACY_RESUMPTION);
        if (legacy != null) {
            b.allowLegacyResumption(bool(ALLOW_LEGACY_RESUMPTION, legacy));
        }
        String name = values.get(RESUMPTION_NAME);
        if (name != null) {
            b.name(name);
        }
        return b.build();
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
