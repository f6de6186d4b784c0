package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.session.SessionRecord;

/** A database a release before realms made (schema version 4, with its rows) is upgraded by the first node. */
class SchemaUpgradeTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aVersion4DatabaseWithRowsIsUpgradedAndItsOldRowsDropped(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            Tables t = new Tables(f.prefix);
            try (Connection c = f.connect()) {
                Dialect d = Dialect.of(c.getMetaData());
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE " + t.schemaVersion() + " (version INT NOT NULL PRIMARY KEY,"
                            + " description " + d.textType() + " NOT NULL, applied BIGINT NOT NULL)");
                    for (Schema.Step step : Schema.steps(d, t).subList(0, 4)) {
                        for (String sql : step.statements()) {
                            st.execute(sql);
                        }
                        st.execute("INSERT INTO " + t.schemaVersion() + " VALUES (" + step.version() + ", '"
                                + step.description() + "', 0)");
                    }
                }
                // a row as version 4 wrote it (its secret sealed under the old format)
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.sessions() + " (id, protocol,"
                        + " cipher_suite, host_config, sni_host, node, engine, peer_identity, created, expires,"
                        + " last_resumed, resume_count, key_id, secret) VALUES (?, 'TLSv1.2',"
                        + " 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', '_default_', NULL, 'old', 'bc', NULL, ?, ?,"
                        + " NULL, 0, 'k', ?)")) {
                    long now = System.currentTimeMillis();
                    ps.setString(1, Sessions.newId().hex());
                    ps.setLong(2, now);
                    ps.setLong(3, now + 3_600_000);
                    ps.setBytes(4, new byte[] {1, 2, 3});
                    assertEquals(1, ps.executeUpdate());
                }
            }

            JdbcStores a = f.node("a");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            assertTrue(a.flush(Duration.ofSeconds(10)));

            assertNotNull(f.node("b").sessionStore().retrieve(record.id(), Sessions.now()), "new sessions work");
            assertEquals(1, JdbcSessionStoreTest.count(f, "sessions"), "the old row is gone, the new one there");
            try (Connection c = f.connect(); Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + t.schemaVersion())) {
                assertTrue(rs.next());
                assertEquals(Schema.latestVersion(Dialect.of(c.getMetaData()), t), rs.getInt(1));
            }
        }
    }
}
