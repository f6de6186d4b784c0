package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.session.SessionPage;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

/**
 * Listings from the database against the same query run over the same records in memory with core's
 * {@link SessionQuery#matches} and {@link SessionQuery#comparator()}: filters, every sort column in both
 * directions, and pages, over 100,000 rows.
 */
class SessionListingTest {

    private static final int ROWS = 100_000;
    private static final Instant NOW = Instant.parse("2030-01-10T00:00:00Z");
    private static final List<String> HOSTS = List.of("_default_", "api", "Shop", "admin");
    private static final List<String> SNI = List.of("www.example.com", "api.example.com", "shop.example.org");
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final List<String> CIPHERS = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void pagesMatchTheMemoryListingOverAHundredThousandRows(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            SessionStore store = f.node("a").sessionStore();
            store.list(SessionQuery.all(), NOW); // creates the schema
            List<SessionRecord> records = records();
            insert(f, records);

            List<SessionQuery> queries = new ArrayList<>(List.of(
                    SessionQuery.all(),
                    SessionQuery.builder().host("API").sort(SessionQuery.Sort.HOST, false).page(100, 25).build(),
                    SessionQuery.builder().host("Api.Example.com").page(10, 40).build(),
                    SessionQuery.builder().node("b").sort(SessionQuery.Sort.LAST_RESUMED, false).page(50, 50).build(),
                    SessionQuery.builder().protocol("tlsv1.3").sort(SessionQuery.Sort.EXPIRES, true).build(),
                    SessionQuery.builder().text("CLIENT-12").sort(SessionQuery.Sort.RESUME_COUNT, true).page(0, 100).build(),
                    SessionQuery.builder().text("aes_256").host("shop").node("c").protocol("TLSv1.2").build(),
                    SessionQuery.builder().text("%").build(),
                    SessionQuery.builder().page(ROWS - 10, 50).build()));
            for (SessionQuery.Sort sort : SessionQuery.Sort.values()) {
                queries.add(SessionQuery.builder().sort(sort, false).page(1_000, 20).build());
                queries.add(SessionQuery.builder().sort(sort, true).page(0, 20).build());
            }

            for (SessionQuery query : queries) {
                SessionPage expected = inMemory(records, query);
                SessionPage actual = store.list(query, NOW);
                assertEquals(expected.total(), actual.total(), "total of " + describe(query));
                assertEquals(expected.sessions().stream().map(SessionRecord::toString).toList(),
                        actual.sessions().stream().map(SessionRecord::toString).toList(), "page of " + describe(query));
            }
        }
    }

    private static SessionPage inMemory(List<SessionRecord> records, SessionQuery query) {
        List<SessionRecord> matches = records.stream().filter(r -> !r.isExpiredAt(NOW) && query.matches(r))
                .sorted(query.comparator()).toList();
        int from = Math.min(query.offset(), matches.size());
        int to = Math.min(from + query.limit(), matches.size());
        return new SessionPage(matches.subList(from, to), matches.size(), query.offset(), query.limit());
    }

    private static List<SessionRecord> records() {
        Random random = new Random(42);
        List<SessionRecord> records = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            Instant created = NOW.minus(Duration.ofMinutes(random.nextInt(14 * 24 * 60)));
            Instant expires = created.plus(Duration.ofMinutes(1 + random.nextInt(10 * 24 * 60)));
            boolean resumed = random.nextInt(3) > 0;
            records.add(Sessions.made(created, expires)
                    .hostConfig(pick(random, HOSTS))
                    .sniHost(random.nextInt(5) == 0 ? null : pick(random, SNI))
                    .node(random.nextInt(10) == 0 ? null : pick(random, NODES))
                    .protocol(random.nextBoolean() ? "TLSv1.2" : "TLSv1.3")
                    .cipherSuite(pick(random, CIPHERS))
                    .peerIdentity(random.nextInt(4) == 0 ? "CN=client-" + random.nextInt(1_000) : null)
                    .lastResumed(resumed ? created.plus(Duration.ofSeconds(random.nextInt(3_600))) : null)
                    .resumeCount(resumed ? 1 + random.nextInt(20) : 0)
                    .build());
        }
        return records;
    }

    /** Inserts through plain JDBC batches, bound by the store's own row mapping. */
    private static void insert(Fixture f, List<SessionRecord> records) throws Exception {
        SessionRows rows = new SessionRows(new SecretCipher(f.keys));
        String url = f.database == TestDatabase.POSTGRESQL ? f.database.url() + "?reWriteBatchedInserts=true"
                : f.database.url();
        String sql = "INSERT INTO " + f.table("sessions") + " (" + String.join(", ", SessionRows.ALL_COLUMNS)
                + ") VALUES (" + "?, ".repeat(SessionRows.ALL_COLUMNS.size() - 1) + "?)";
        try (Connection c = DriverManager.getConnection(url, f.database.user(), "");
                PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (int i = 0; i < records.size(); i++) {
                rows.bind(ps, records.get(i));
                ps.addBatch();
                if (i % 5_000 == 4_999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String describe(SessionQuery q) {
        return "[host=" + q.host() + ", node=" + q.node() + ", protocol=" + q.protocol() + ", text=" + q.text()
                + ", sort=" + q.sort() + (q.descending() ? " desc" : " asc") + ", offset=" + q.offset()
                + ", limit=" + q.limit() + "]";
    }
}
