package org.reprise.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A small command-line parser: {@code --name value}, {@code --name=value} and flags, each declared in
 * one line with its help text and default. {@code --help} is built in.
 *
 * <p>Defaults go through the same setter as values from the command line, so a default is written once
 * and shown in the usage exactly as it is applied.
 *
 * @param <T> the options object the setters fill
 */
public final class OptionParser<T> {

    /** Turns one option's text into the options object; throws IllegalArgumentException for a bad value. */
    @FunctionalInterface
    public interface Setter<T> {
        /**
         * @param target the options being filled
         * @param value  the value as written
         * @throws IllegalArgumentException saying what is wrong with the value
         */
        void set(T target, String value);
    }

    /** The command line cannot be used: a mistake (exit status 2) or a request for help (exit status 0). */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean help;

        private UsageException(String message, boolean help) {
            super(message);
            this.help = help;
        }

        /** @return whether the user asked for help rather than made a mistake */
        public boolean isHelp() {
            return help;
        }

        /** @return the process exit status that fits: 0 for help, 2 for a usage error */
        public int exitStatus() {
            return help ? 0 : 2;
        }
    }

    private record Option<T>(String name, @Nullable String valueName, @Nullable String defaultValue,
            String description, @Nullable Setter<T> setter, @Nullable Consumer<T> flag) {
    }

    private static final String HELP = "--help";

    private final String command;
    private final String summary;
    private final Supplier<T> factory;
    private final Map<String, Option<T>> options = new LinkedHashMap<>();

    /**
     * @param command how the usage names the program ({@code bin/demo})
     * @param summary one or two lines on what it does
     * @param factory makes an empty options object
     */
    public OptionParser(String command, String summary, Supplier<T> factory) {
        this.command = command;
        this.summary = summary;
        this.factory = factory;
    }

    /**
     * Declares an option that takes a value.
     *
     * @param name         the option, with its leading dashes ({@code --port})
     * @param valueName    what the usage calls the value ({@code N})
     * @param defaultValue the value applied when the option is absent, or null for none
     * @param description  one line for the usage
     * @param setter       stores a value, throwing IllegalArgumentException when it is bad
     * @return this parser
     */
    public OptionParser<T> option(String name, String valueName, @Nullable String defaultValue, String description,
            Setter<T> setter) {
        return add(new Option<>(name, valueName, defaultValue, description, setter, null));
    }

    /**
     * Declares an option without a value.
     *
     * @param name        the option, with its leading dashes
     * @param description one line for the usage
     * @param setter      applied when the flag is given
     * @return this parser
     */
    public OptionParser<T> flag(String name, String description, Consumer<T> setter) {
        return add(new Option<>(name, null, null, description, null, setter));
    }

    private OptionParser<T> add(Option<T> option) {
        if (!option.name().startsWith("--") || option.name().contains("=") || option.name().equals(HELP)) {
            throw new IllegalArgumentException("Bad option name: " + option.name());
        }
        if (options.putIfAbsent(option.name(), option) != null) {
            throw new IllegalArgumentException("Option declared twice: " + option.name());
        }
        return this;
    }

    /**
     * @param args the command line
     * @return the options, defaults applied first
     * @throws UsageException on {@code --help}, or naming the unknown option or bad value
     */
    public T parse(String... args) throws UsageException {
        T target = factory.get();
        for (Option<T> option : options.values()) {
            if (option.defaultValue() != null && option.setter() != null) {
                option.setter().set(target, option.defaultValue());
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(HELP) || arg.equals("-h")) {
                throw new UsageException(usage(), true);
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            Option<T> option = options.get(name);
            if (option == null) {
                throw new UsageException(arg.startsWith("-") ? "unknown option " + name
                        : "unexpected argument '" + arg + "'", false);
            }
            if (option.flag() != null) {
                if (eq > 0) {
                    throw new UsageException("option " + name + " takes no value", false);
                }
                option.flag().accept(target);
                continue;
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("option " + name + " needs a value (" + option.valueName() + ")", false);
            }
            try {
                option.setter().set(target, value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad value for " + name + ": '" + value + "': " + e.getMessage(), false);
            }
        }
        return target;
    }

    /** @return the usage text: every option with its value, meaning and default */
    public String usage() {
        List<String[]> rows = new ArrayList<>();
        for (Option<T> option : options.values()) {
            String left = option.valueName() == null ? option.name() : option.name() + " " + option.valueName();
            String right = option.defaultValue() == null ? option.description()
                    : option.description() + " (default: " + option.defaultValue() + ")";
            rows.add(new String[] {left, right});
        }
        rows.add(new String[] {HELP, "print this help and exit"});
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(command).append(" [options]\n\n").append(summary).append("\n\nOptions:\n");
        for (String[] row : rows) {
            sb.append("  ").append(row[0]).append(" ".repeat(width - row[0].length())).append(row[1]).append('\n');
        }
        return sb.toString();
    }
}
