package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/SETTINGS.md against the JDBC store's code: the {@code store="jdbc"} table lists exactly the attributes
 * {@link JdbcStoreProvider} reads, each default it states is the one the code uses, and the
 * {@code JdbcStoreConfig.builder()} table lists exactly the builder's methods with their defaults.
 */
class JdbcSettingsDocTest {

    private static final String ATTRIBUTES = "Connector, with store=\"jdbc\"";
    private static final String BUILDER = "JdbcStoreConfig.builder()";
    private static final String URL = "jdbc:h2:mem:settings-doc";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final SettingsDoc doc = SettingsDoc.read();
    private final JdbcStoreProvider provider = new JdbcStoreProvider(
            name -> name.equals(JdbcStoreProvider.DEFAULT_DATA_KEY_ENV) ? KEY : null);

    @Test
    void listsExactlyTheAttributesTheProviderReads() {
        assertEquals(new TreeSet<>(provider.attributeNames()), doc.names(ATTRIBUTES),
                "docs/SETTINGS.md, \"## " + ATTRIBUTES + "\" against JdbcStoreProvider.attributeNames()");
    }

    @Test
    void everyDocumentedDefaultIsTheCodes() {
        String defaults = config(Map.of()).toString();
        List<String> wrong = new ArrayList<>();
        for (SettingsDoc.Row row : doc.table(ATTRIBUTES)) {
            String literal = row.literal();
            if (literal == null) {
                // "none": the code leaves it unset, so it has no value to compare
                assertTrue(row.defaultCell().startsWith("none"), row + ": a default is a `value` or none");
                continue;
            }
            if (!config(Map.of(row.name(), literal)).toString().equals(defaults)) {
                wrong.add(row.name() + "=\"" + literal + "\"");
            }
        }
        assertEquals(List.of(), wrong, "documented defaults that change the configuration");
    }

    @Test
    void listsExactlyTheBuilderMethodsWithTheirDefaults() throws Exception {
        assertEquals(SettingsDoc.builderMethods(JdbcStoreConfig.Builder.class), doc.names(BUILDER),
                "docs/SETTINGS.md, \"## " + BUILDER + "\" against JdbcStoreConfig.Builder");
        JdbcStoreConfig defaults = config(Map.of());
        for (SettingsDoc.Row row : doc.table(BUILDER)) {
            if (row.literal() != null) {
                Object value = JdbcStoreConfig.class.getMethod(row.name()).invoke(defaults);
                assertTrue(SettingsDoc.sameDefault(row.name(), row.literal(), value),
                        row.name() + ": docs say " + row.literal() + ", the code has " + value);
            }
        }
    }

    private JdbcStoreConfig config(Map<String, String> attributes) {
        Map<String, String> all = new HashMap<>(attributes);
        all.putIfAbsent(JdbcStoreProvider.JDBC_URL, URL);
        return provider.config(all);
    }
}
