package org.reprise.it.boot

import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.RestController

/**
 * A Spring Boot web application as its developers write it: a controller, the actuator, Prometheus and a
 * DataSource on the class path, and Reprise's starter; nothing of Reprise in its code. The tests give it its
 * properties (server.ssl.bundle, reprise.*) when they start it.
 */
@SpringBootApplication(proxyBeanMethods = false)
class ResumingApplication

/** The application's one page. */
@RestController
class HelloController {
    @GetMapping("/")
    fun hello(): String = "hello from a resuming application\n"
}
