package org.reprise.it.boot

import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.extension.ExtendWith
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import org.reprise.tomcat.TestPki
import org.springframework.boot.test.system.CapturedOutput
import org.springframework.boot.test.system.OutputCaptureExtension

/**
 * A `reprise.*` value Reprise refuses stops the application before it serves anything, and Spring Boot's failure
 * report, what the developer reads on the console, names the property and says why.
 */
@ExtendWith(OutputCaptureExtension::class)
class StartupFailureTest {

    @TempDir
    lateinit var dir: Path

    private val pki = TestPki()

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
        "reprise.ticket-key-rotation, 30d, between 1 second and 7 days",
        "reprise.sweep-interval, 0s, between 1 second and 1 day",
        "reprise.engine, nonesuch, names no engine",
        "reprise.store, redis, JDBC",
        "reprise.session-mode, sometimes, STATEFUL",
        "reprise.resumption-name, ' ', must not be blank",
    )
    fun aBadValueStopsStartupNamingTheProperty(property: String, value: String, why: String, output: CapturedOutput) {
        assertThrows<Exception> { startApplication(pki, dir, property to value).close() }

        assertReportNames(output, property, why)
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
        "reprise.jdbc.pool-size, 0, between 1 and 100",
        "reprise.jdbc.table-prefix, Sessions, lower-case letters",
        "reprise.jdbc.retrieve-budget, 1m, between 1ms and 10s",
    )
    fun aBadDatabaseValueStopsStartupNamingTheProperty(property: String, value: String, why: String,
        output: CapturedOutput) {
        val key = writeDataKey(dir)
        assertThrows<Exception> {
            startApplication(pki, dir, "reprise.store" to "jdbc", "reprise.jdbc.url" to POSTGRES_URL,
                "reprise.jdbc.data-key-file" to key.toString(), property to value).close()
        }

        assertReportNames(output, property, why)
    }

    @Test
    fun aMissingDataKeyStopsStartupNamingWhereItWasLookedFor(output: CapturedOutput) {
        assertThrows<Exception> {
            startApplication(pki, dir, "reprise.store" to "jdbc", "reprise.jdbc.url" to POSTGRES_URL,
                "reprise.jdbc.data-key-env" to "REPRISE_IT_NO_SUCH_VARIABLE").close()
        }

        assertReportNames(output, "reprise.jdbc.data-key-env", "REPRISE_IT_NO_SUCH_VARIABLE is not set")
    }

    private fun assertReportNames(output: CapturedOutput, property: String, why: String) {
        val report = output.out.substringAfter("APPLICATION FAILED TO START", "")
        assertTrue(report.contains(property), "Spring Boot's report does not name $property:\n${output.out}")
        assertTrue(report.contains(why), "Spring Boot's report does not say why ($why):\n$report")
    }
}
