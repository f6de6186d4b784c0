package org.reprise.it.boot

import java.nio.file.Path
import java.security.SecureRandom
import java.sql.DriverManager
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.reprise.tomcat.TestPki
import tools.jackson.databind.json.JsonMapper

/**
 * Two instances of the application on the machine's PostgreSQL (`reprise.store=jdbc`), one keeping sessions in
 * the application's own DataSource and the other in a pool of Reprise's own: each resumes the other's sessions,
 * by ID and by ticket.
 */
class TwoInstancesTest {

    @TempDir
    lateinit var dir: Path

    private val pki = TestPki()
    private val json = JsonMapper.builder().build()

    /** Tables of this run's own, so that no earlier run's rows (under another data key) are in the way. */
    private val prefix = "boot_it_" + java.lang.Long.toHexString(SecureRandom().nextLong()).padStart(16, '0') + "_"

    @AfterEach
    fun dropTables() {
        DriverManager.getConnection(POSTGRES_URL, "postgres", "").use { db ->
            val tables = db.metaData.getTables(null, "public", "$prefix%", arrayOf("TABLE")).use { rows ->
                generateSequence { if (rows.next()) rows.getString("TABLE_NAME") else null }.toList()
            }
            db.createStatement().use { statement -> tables.forEach { statement.execute("DROP TABLE $it CASCADE") } }
        }
    }

    @Test
    fun twoInstancesResumeEachOthersSessions() {
        val key = writeDataKey(dir)
        val cluster = arrayOf<Pair<String, Any>>(
            "reprise.store" to "jdbc",
            "reprise.resumption-name" to "boot-cluster",
            "reprise.jdbc.table-prefix" to prefix,
            "reprise.jdbc.data-key-file" to key.toString(),
            "management.endpoint.reprise.access" to "read-only",
        )
        startApplication(pki, dir, *cluster, "reprise.node" to "a", "reprise.jdbc.use-application-datasource" to true)
            .use { a ->
                startApplication(pki, dir, *cluster, "reprise.node" to "b", "reprise.jdbc.url" to POSTGRES_URL,
                    "reprise.jdbc.username" to "postgres").use { b ->
                    val byId = dir.resolve("by-id.pem")
                    val id = sClient(a.port(), byId, true, "-tls1_2", "-no_ticket").sessionId
                    awaitListed(Actuator(pki, b.port()), id)
                    val onB = sClient(b.port(), byId, false, "-tls1_2", "-no_ticket")
                    assertTrue(onB.reused, "b did not resume a's session by ID:\n$onB")

                    val byTicket = dir.resolve("by-ticket.pem")
                    sClient(b.port(), byTicket, true, "-tls1_2")
                    val onA = sClient(a.port(), byTicket, false, "-tls1_2")
                    assertTrue(onA.reused, "a did not resume b's ticket:\n$onA")
                }
            }
    }

    /** Waits until node b lists the session: a's write to the database is asynchronous, bounded here by count. */
    private fun awaitListed(actuator: Actuator, id: String) {
        repeat(100) {
            val body = actuator.get("/actuator/reprise/boot-cluster?limit=1000").body()
            if (json.readTree(body).path("sessions").path("sessions").values().any { it.path("id").asString() == id }) {
                return
            }
            Thread.sleep(100)
        }
        error("node b never listed session $id")
    }
}
