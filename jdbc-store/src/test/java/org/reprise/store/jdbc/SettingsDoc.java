package org.reprise.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.store.AttributeValues;

/**
 * The tables of docs/SETTINGS.md, read for the tests that hold them to the code: under each {@code ## heading},
 * the rows of its table by their first cell (a name in backticks) and their default cell. Shared with the
 * connector's tests through this module's test jar.
 */
public final class SettingsDoc {

    /** One row: the setting's name and what its default cell says. */
    public record Row(String name, String defaultCell) {

        /** @return the default as it would be written in server.xml (the cell's leading backticked text), or null */
        public @Nullable String literal() {
            if (!defaultCell.startsWith("`")) {
                return null;
            }
            int end = defaultCell.indexOf('`', 1);
            return end < 0 ? null : defaultCell.substring(1, end);
        }
    }

    private final Path file;
    private final Map<String, List<Row>> tables;

    private SettingsDoc(Path file, Map<String, List<Row>> tables) {
        this.file = file;
        this.tables = tables;
    }

    /** Reads docs/SETTINGS.md from the repository root, found above the working directory (a module's). */
    public static SettingsDoc read() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/SETTINGS.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("docs/SETTINGS.md not found above " + Path.of("").toAbsolutePath());
        }
        Path file = dir.resolve("docs/SETTINGS.md");
        Map<String, List<Row>> tables = new LinkedHashMap<>();
        String heading = "";
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("## ")) {
                    heading = line.substring(3).strip();
                } else if (line.startsWith("| `")) {
                    String[] cells = line.split("\\|");
                    String name = cells[1].strip();
                    tables.computeIfAbsent(heading, h -> new ArrayList<>())
                            .add(new Row(name.substring(1, name.length() - 1), cells[2].strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SettingsDoc(file, tables);
    }

    /** @return the rows of the table under {@code ## heading} */
    public List<Row> table(String heading) {
        List<Row> rows = tables.get(heading);
        if (rows == null) {
            throw new AssertionError(file + " has no table under \"## " + heading + "\"; it has " + tables.keySet());
        }
        return rows;
    }

    /** @return the names the table under {@code ## heading} lists, sorted */
    public Set<String> names(String heading) {
        return table(heading).stream().map(Row::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** @return the public methods a builder class declares, but {@code build}, sorted */
    public static Set<String> builderMethods(Class<?> builder) {
        return Arrays.stream(builder.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName).filter(n -> !n.equals("build")).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * @param setting a setting's name, for messages
     * @param literal a default as the docs write it
     * @param value   the code's default
     * @return whether the docs' default means the code's: durations and booleans as server.xml reads them,
     *         enums by name in any case, collections as {@code +}-separated items, the rest as text
     */
    public static boolean sameDefault(String setting, String literal, @Nullable Object value) {
        if (value instanceof Duration) {
            return AttributeValues.duration(setting, literal).equals(value);
        }
        if (value instanceof Boolean) {
            return AttributeValues.bool(setting, literal) == (Boolean) value;
        }
        if (value instanceof Enum<?> e) {
            return e.name().equalsIgnoreCase(literal);
        }
        if (value instanceof Collection<?> c) {
            return Set.copyOf(Arrays.asList(literal.split("\\+"))).equals(
                    c.stream().map(String::valueOf).collect(Collectors.toSet()));
        }
        return String.valueOf(value).equals(literal);
    }
}
