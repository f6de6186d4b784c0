package org.reprise.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.reprise.store.jdbc.SettingsDoc;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The configuration metadata the build generates (what IDEs complete and document) against the code and
 * docs/SETTINGS.md: the "Spring Boot" table lists exactly the {@code reprise.*} properties, each described, with
 * the defaults the code has, and the engine's values are offered for completion.
 */
class PropertiesDocTest {

    private static final String HEADING = "Spring Boot";

    private final SettingsDoc doc = SettingsDoc.read();

    /** The metadata the configuration processor wrote, read with JsonPath. */
    private static DocumentContext metadata() throws IOException {
        Path file = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
        assertTrue(Files.isRegularFile(file), file + " was not generated");
        return JsonPath.parse(Files.readString(file));
    }

    @Test
    void theTableListsExactlyThePropertiesOfTheMetadata() throws IOException {
        Set<String> names = new TreeSet<>();
        List<String> undescribed = new ArrayList<>();
        List<Map<String, Object>> properties = metadata().read("$.properties[*]");
        for (Map<String, Object> property : properties) {
            String name = (String) property.get("name");
            if (!name.startsWith("reprise.")) {
                continue; // management.endpoint.reprise.*: Spring Boot's own, for the endpoint
            }
            names.add(name);
            if (!(property.get("description") instanceof String description) || description.isBlank()) {
                undescribed.add(name);
            }
        }
        assertEquals(names, doc.names(HEADING), "docs/SETTINGS.md, \"## " + HEADING + "\" against the metadata");
        assertEquals(List.of(), undescribed, "properties without a description for IDEs");
    }

    @Test
    void theEngineIsCompletedWithItsValues() throws IOException {
        List<String> values = metadata().read("$.hints[?(@.name == 'reprise.engine')].values[*].value");
        assertEquals(List.of("bc", "openssl"), values);
    }

    @Test
    void everyDocumentedDefaultIsTheCodes() {
        BeanWrapperImpl defaults = new BeanWrapperImpl(new RepriseProperties());
        for (SettingsDoc.Row row : doc.table(HEADING)) {
            String path = beanPath(row.name());
            if (row.literal() == null) {
                assertNull(defaults.getPropertyValue(path), row.name() + " has a default in the code");
                continue;
            }
            RepriseProperties bound = new Binder(new MapConfigurationPropertySource(Map.of(row.name(), row.literal())))
                    .bindOrCreate("reprise", RepriseProperties.class);
            assertEquals(defaults.getPropertyValue(path), new BeanWrapperImpl(bound).getPropertyValue(path),
                    row.name() + ": docs say " + row.literal());
        }
    }

    /** {@code reprise.jdbc.pool-size} is the bean path {@code jdbc.poolSize}. */
    private static String beanPath(String property) {
        StringBuilder path = new StringBuilder();
        boolean upper = false;
        for (char c : property.substring("reprise.".length()).toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                path.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return path.toString();
    }
}
