package org.reprise.core.internal.store;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads attribute values as administrators write them in server.xml, for the connector and for
 * {@link StoreProvider}s alike, with messages that name the attribute and say what is accepted.
 */
public final class AttributeValues {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private AttributeValues() {
    }

    /**
     * @param attribute the attribute's name, for the message
     * @param value     what was written: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 12h}, {@code 7d}, or
     *                  ISO-8601 ({@code PT12H})
     * @return the duration
     * @throws IllegalArgumentException naming the attribute and the accepted forms
     */
    public static Duration duration(String attribute, String value) {
        Matcher m = SIMPLE_DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
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
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Reprise setting " + attribute + "=\"" + value + "\" is not a duration:"
                    + " write a number with a unit (500ms, 30s, 15m, 12h, 7d) or ISO-8601 (PT12H)");
        }
    }

    /**
     * @param attribute the attribute's name, for the message
     * @param value     {@code true} or {@code false}, in any case
     * @return the value
     * @throws IllegalArgumentException naming the attribute
     */
    public static boolean bool(String attribute, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "Reprise setting " + attribute + "=\"" + value + "\" must be true or false");
        };
    }
}
