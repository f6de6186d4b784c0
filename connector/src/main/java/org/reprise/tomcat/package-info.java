/**
 * Reprise in Tomcat: {@link org.reprise.tomcat.ResumptionSslImplementation}, the
 * {@code sslImplementationName} a connector names, and the protocol classes
 * ({@link org.reprise.tomcat.Http11NioResumptionProtocol}, {@link org.reprise.tomcat.Http11Nio2ResumptionProtocol})
 * that carry Reprise's own connector settings from server.xml or from a
 * {@link org.reprise.tomcat.ResumptionSettings} built in code.
 */
@NullMarked
package org.reprise.tomcat;

import org.jspecify.annotations.NullMarked;
