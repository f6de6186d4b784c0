/**
 * Reprise's Spring Boot starter: the HTTPS connector of an application's embedded Tomcat runs through Reprise,
 * configured with the {@code reprise.*} properties ({@link org.reprise.spring.boot.RepriseProperties}).
 */
@NullMarked
package org.reprise.spring.boot;

import org.jspecify.annotations.NullMarked;
