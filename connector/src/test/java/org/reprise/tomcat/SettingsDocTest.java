package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.tomcat.util.IntrospectionUtils;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.reprise.store.jdbc.SettingsDoc;

/**
 * docs/SETTINGS.md against the connector's code: the Connector table lists exactly Reprise's own attributes
 * ({@link ConnectorAttributes#OWN}) with the defaults the code uses; the SSLHostConfig table lists every
 * SSLHostConfig attribute Reprise's engines read, with Tomcat's defaults and Reprise's meaning of them; the
 * builder table lists exactly {@link ResumptionSettings.Builder}'s methods with their defaults. The JDBC
 * store's attributes are checked by the jdbc-store module's JdbcSettingsDocTest.
 */
class SettingsDocTest {

    /** Attributes whose default is "none": the code leaves them unset. */
    private static final Map<String, Function<ResumptionSettings, Object>> UNSET = Map.of(
            "node", ResumptionSettings::node,
            "resumptionName", ResumptionSettings::resumptionName);
    /** A variable of type SSLHostConfig in Reprise's sources, and a getter called on it. */
    private static final Pattern HOST_VARIABLE = Pattern.compile("\\bSSLHostConfig\\s+(\\w+)\\b");

    private final SettingsDoc doc = SettingsDoc.read();

    @Test
    void listsExactlyTheConnectorAttributes() {
        assertEquals(new TreeSet<>(ConnectorAttributes.OWN), doc.names("Connector"),
                "docs/SETTINGS.md, \"## Connector\" against ConnectorAttributes.OWN");
    }

    @Test
    void everyDocumentedConnectorDefaultIsTheCodes() {
        ResumptionSettings defaults = ResumptionSettings.defaults();
        List<String> wrong = new ArrayList<>();
        for (SettingsDoc.Row row : doc.table("Connector")) {
            String literal = row.literal();
            if (literal == null) {
                assertTrue(UNSET.containsKey(row.name()), row + ": only " + UNSET.keySet() + " have no default value");
                assertNull(UNSET.get(row.name()).apply(defaults), row.name() + " has a default in the code");
                continue;
            }
            ConnectorAttributes attributes = new ConnectorAttributes();
            assertTrue(attributes.set(row.name(), literal));
            ConnectorAttributes.Resolved resolved = attributes.applyTo(defaults);
            if (resolved.stores() != null || !resolved.settings().toString().equals(defaults.toString())) {
                wrong.add(row.name() + "=\"" + literal + "\"");
            }
        }
        assertEquals(List.of(), wrong, "documented defaults that change the settings");
    }

    @Test
    void listsEverySslHostConfigAttributeTheEnginesRead() throws IOException {
        Set<String> read = new TreeSet<>();
        for (Path sources : List.of(Path.of("src/main/java"), Path.of("../connector-openssl/src/main/java"))) {
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    read.addAll(hostAttributesRead(Files.readString(file)));
                }
            }
        }
        Set<String> documented = doc.names("SSLHostConfig");
        assertTrue(documented.containsAll(read), "docs/SETTINGS.md, \"## SSLHostConfig\" lists " + documented
                + " but Reprise reads " + read);
        for (String name : documented) {
            assertTrue(getter(name) != null, name + " is not an SSLHostConfig attribute");
        }
    }

    @Test
    void everyDocumentedSslHostConfigDefaultIsTheCodes() throws Exception {
        SSLHostConfig fresh = new SSLHostConfig();
        for (SettingsDoc.Row row : doc.table("SSLHostConfig")) {
            if (row.literal() != null) {
                // the documented default, set as server.xml sets it, must leave the attribute as Tomcat has it
                SSLHostConfig set = new SSLHostConfig();
                assertTrue(IntrospectionUtils.setProperty(set, row.name(), row.literal()), row.name());
                Object value = getter(row.name()).invoke(fresh);
                assertEquals(value, getter(row.name()).invoke(set),
                        row.name() + ": docs say " + row.literal() + ", Tomcat has " + value);
            }
        }
        // What Reprise makes of them
        SettingsDoc.Row cache = doc.table("SSLHostConfig").stream().filter(r -> r.name().equals("sessionCacheSize"))
                .findFirst().orElseThrow();
        assertTrue(cache.defaultCell().contains(String.valueOf(ConnectorResumption.cacheSize(fresh))), cache.toString());
        SettingsDoc.Row timeout = doc.table("SSLHostConfig").stream().filter(r -> r.name().equals("sessionTimeout"))
                .findFirst().orElseThrow();
        assertEquals(String.valueOf(ConnectorResumption.timeout(fresh).toSeconds()), timeout.literal());
    }

    @Test
    void listsExactlyTheBuilderMethodsWithTheirDefaults() throws Exception {
        String heading = "ResumptionSettings.builder()";
        assertEquals(SettingsDoc.builderMethods(ResumptionSettings.Builder.class), doc.names(heading),
                "docs/SETTINGS.md, \"## " + heading + "\" against ResumptionSettings.Builder");
        for (SettingsDoc.Row row : doc.table(heading)) {
            if (row.literal() != null) {
                Object value = ResumptionSettings.class.getMethod(row.name()).invoke(ResumptionSettings.defaults());
                assertTrue(SettingsDoc.sameDefault(row.name(), row.literal(), value),
                        row.name() + ": docs say " + row.literal() + ", the code has " + value);
            }
        }
    }

    /** @return the SSLHostConfig attributes a source file reads: getters called on its SSLHostConfig variables */
    static Set<String> hostAttributesRead(String source) {
        Set<String> attributes = new TreeSet<>();
        Matcher variables = HOST_VARIABLE.matcher(source);
        while (variables.find()) {
            Matcher calls = Pattern.compile("\\b" + variables.group(1) + "\\.(?:get|is)([A-Z]\\w*)\\(\\)").matcher(source);
            while (calls.find()) {
                String attribute = Character.toLowerCase(calls.group(1).charAt(0)) + calls.group(1).substring(1);
                if (getter(attribute) != null) {
                    attributes.add(attribute);
                }
            }
        }
        return attributes;
    }

    private static @Nullable Method getter(String attribute) {
        String suffix = Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
        for (String prefix : List.of("get", "is")) {
            try {
                return SSLHostConfig.class.getMethod(prefix + suffix);
            } catch (NoSuchMethodException e) {
                // try the other
            }
        }
        return null;
    }
}
