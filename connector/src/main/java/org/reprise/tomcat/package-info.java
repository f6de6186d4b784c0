/**
 * Reprise in Tomcat: {@link org.reprise.tomcat.ResumptionSslImplementation}, the
 * {@code sslImplementationName} a connector names, and the protocol classes
 * ({@link org.reprise.tomcat.Http11NioResumptionProtocol}) that carries Reprise's own connector settings from server.xml or from a
 * {@link org.reprise.tomcat.ResumptionSettings} built in code.
 */
@NullMarked
package org.reprise.tomcat;

import org.jspecify.annotations.NullMarked;
