package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * Someone who can write to the sessions table but has no data key rewrites one column of a stored session:
 * another host, a later expiry, another engine, another realm, origin or authentication time, the row
 * moved to another session ID. The session must not resume in any of these shapes; the row is a bad row,
 * counted as a store error.
 */
class TamperedRowsTest {

    static Stream<Arguments> rewrites() {
        return Arrays.stream(TestDatabase.values()).flatMap(db -> Stream.of(
                new ColumnRewrite("protocol", "'TLSv1.3'"),
                new ColumnRewrite("cipher_suite", "'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'"),
                new ColumnRewrite("host_config", "'strict.example'"),
                new ColumnRewrite("sni_host", "'strict.example'"),
                new ColumnRewrite("engine", "'openssl'"),
                new ColumnRewrite("peer_identity", "'CN=someone else'"),
                new ColumnRewrite("created", "created + 3600000"),
                new ColumnRewrite("expires", "expires + 86400000"),
                // out of its realm, out of its line (so a purge of its origin misses it), a later authentication
                new ColumnRewrite("realm", "'another-cluster'"),
                new ColumnRewrite("origin", "'" + "ab".repeat(32) + "'"),
                new ColumnRewrite("authenticated", "authenticated - 1"))
                .map(rewrite -> Arguments.of(db, rewrite)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rewrites")
    void aRewrittenColumnDoesNotResume(TestDatabase database, ColumnRewrite rewrite) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            SessionRecord record = stored(f);
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement("UPDATE "
                    + f.table("sessions") + " SET " + rewrite.column() + " = " + rewrite.value() + " WHERE id = ?")) {
                ps.setString(1, record.id().hex());
                assertEquals(1, ps.executeUpdate());
            }

            ResumptionMetrics metrics = new ResumptionMetrics();
            JdbcStores reader = f.node("reader", metrics, b -> b);
            assertNull(reader.sessionStore().retrieve(record.id(), Sessions.now()), rewrite.column());
            assertEquals(1, metrics.snapshot().storeErrors(), "a bad row is counted");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRowMovedToAnotherSessionIdDoesNotResume(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            SessionRecord record = stored(f);
            SessionId other = Sessions.newId();
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE " + f.table("sessions") + " SET id = ? WHERE id = ?")) {
                ps.setString(1, other.hex());
                ps.setString(2, record.id().hex());
                assertEquals(1, ps.executeUpdate());
            }

            assertNull(f.node("reader").sessionStore().retrieve(other, Sessions.now()));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theColumnsForPeopleOnlyMayChange(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            SessionRecord record = stored(f);
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement("UPDATE " + f.table("sessions")
                    + " SET node = 'z', resume_count = 7, last_resumed = created WHERE id = ?")) {
                ps.setString(1, record.id().hex());
                assertEquals(1, ps.executeUpdate());
            }

            SessionRecord read = f.node("reader").sessionStore().retrieve(record.id(), Sessions.now());
            assertNotNull(read, "node, last resumption and count are not bound: a resumption updates them alone");
            assertEquals(7, read.resumeCount());
        }
    }

    static Stream<TestDatabase> databases() {
        return Arrays.stream(TestDatabase.values());
    }

    private static SessionRecord stored(Fixture f) {
        JdbcStores writer = f.node("writer");
        SessionRecord record = Sessions.live();
        writer.sessionStore().store(record);
        assertTrue(writer.flush(Duration.ofSeconds(30)));
        return record;
    }
}
