package org.reprise.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.reprise.core.session.SessionStore;

/**
 * Core's public API is what its module descriptor exports to every module, and in those packages exactly the
 * public types listed here and in docs/EMBEDDING.md ("What is API"). A machinery type made public in an API
 * package, a new package exported to all, or an internal package exported beyond Reprise's own modules fails
 * here until the lists say it is API.
 */
class ModuleApiTest {

    /** The API: package to its public top-level types. */
    private static final Map<String, Set<String>> API = Map.of(
            "org.reprise.core.admin", Set.of("JmxNames", "ResumptionAdminMXBean", "SessionPageView", "SessionView",
                    "TicketKeyView", "UnreadableTicketKeyView"),
            "org.reprise.core.metrics", Set.of("Mechanism", "MetricsSnapshot", "MissReason", "Protocol",
                    "ResumptionMetrics", "ResumptionMetricsMXBean"),
            "org.reprise.core.session", Set.of("MemorySessionStore", "SessionId", "SessionLifetime", "SessionPage",
                    "SessionQuery", "SessionRecord", "SessionStore"),
            "org.reprise.core.store", Set.of("ResumptionStores", "StoreProvider"),
            "org.reprise.core.ticket", Set.of("TicketKey", "TicketKeyRing", "TicketKeyStore"));

    /** The module names Reprise's other jars declare, the only ones internal packages are exported to. */
    private static final Set<String> REPRISE_MODULES = Set.of("org.reprise.tomcat", "org.reprise.engine.openssl",
            "org.reprise.store.jdbc");

    private static final String INTERNAL = "org.reprise.core.internal";

    @Test
    void exportsToEveryModuleOnlyTheApiPackages() throws Exception {
        Set<String> unqualified = descriptor().exports().stream().filter(e -> !e.isQualified())
                .map(Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API.keySet()), unqualified);
    }

    @Test
    void everyOtherPackageIsInternalAndExportedOnlyToRepriseModules() throws Exception {
        ModuleDescriptor descriptor = descriptor();
        for (String pkg : descriptor.packages()) {
            if (API.containsKey(pkg)) {
                continue;
            }
            assertTrue(pkg.equals(INTERNAL) || pkg.startsWith(INTERNAL + "."),
                    pkg + " is neither API nor under " + INTERNAL);
        }
        for (Exports export : descriptor.exports()) {
            if (export.isQualified()) {
                assertTrue(export.source().startsWith(INTERNAL), export.source() + " is exported to some modules only");
                assertTrue(REPRISE_MODULES.containsAll(export.targets()),
                        export.source() + " is exported to " + export.targets() + ", beyond Reprise's modules");
            }
        }
    }

    @Test
    void apiPackagesHoldOnlyTheApiTypesAsPublicTypes() throws Exception {
        Map<String, Set<String>> found = new TreeMap<>();
        try (ModuleReader reader = core().open(); Stream<String> entries = reader.list()) {
            for (String entry : entries.toList()) {
                int slash = entry.lastIndexOf('/');
                if (slash < 0 || !entry.endsWith(".class") || entry.contains("$") || entry.endsWith("-info.class")) {
                    continue;
                }
                String pkg = entry.substring(0, slash).replace('/', '.');
                String simpleName = entry.substring(slash + 1, entry.length() - ".class".length());
                if (API.containsKey(pkg) && Modifier.isPublic(
                        Class.forName(pkg + "." + simpleName, false, getClass().getClassLoader()).getModifiers())) {
                    found.computeIfAbsent(pkg, p -> new TreeSet<>()).add(simpleName);
                }
            }
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        API.forEach((pkg, types) -> expected.put(pkg, new TreeSet<>(types)));
        assertEquals(expected, found);
    }

    @Test
    void embeddingGuideListsEveryApiTypeAndNamesTheInternalPackages() throws IOException {
        String guide = Files.readString(Path.of("../docs/EMBEDDING.md"), StandardCharsets.UTF_8);
        int start = guide.indexOf("## What is API");
        assertTrue(start >= 0, "docs/EMBEDDING.md has no \"## What is API\" section");
        int end = guide.indexOf("\n## ", start + 1);
        String section = guide.substring(start, end < 0 ? guide.length() : end);
        List<String> missing = API.entrySet().stream()
                .flatMap(e -> Stream.concat(Stream.of(e.getKey()), e.getValue().stream()))
                .filter(name -> !section.contains("`" + name + "`")).sorted().toList();
        assertEquals(List.of(), missing, "named in docs/EMBEDDING.md's \"What is API\" section");
        assertTrue(section.contains("`" + INTERNAL + "`"), "the section says " + INTERNAL + " is not API");
    }

    private static ModuleDescriptor descriptor() throws URISyntaxException {
        return core().descriptor();
    }

    /** Core as built: its classes directory (or jar), wherever the tests load it from. */
    private static ModuleReference core() throws URISyntaxException {
        Path classes = Path.of(SessionStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("org.reprise.core")
                .orElseThrow(() -> new AssertionError(classes + " holds no module org.reprise.core"));
    }
}
