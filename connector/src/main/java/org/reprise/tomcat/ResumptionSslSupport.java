package org.reprise.tomcat;

import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;
import org.apache.tomcat.util.net.jsse.JSSESupport;

/**
 * What Tomcat tells a web application about a Reprise connection. Everything of Tomcat's
 * {@link JSSESupport} (session ID, cipher suite, key size, certificates, protocol), plus whether the
 * handshake resumed. A servlet reaches it as the request attribute
 * {@code jakarta.servlet.request.ssl_session_mgr}.
 */
public final class ResumptionSslSupport extends JSSESupport {

    private final SSLSession session;

    /**
     * @param session              the connection's session
     * @param additionalAttributes what Tomcat read from the ClientHello
     */
    public ResumptionSslSupport(SSLSession session, Map<String, List<String>> additionalAttributes) {
        super(session, additionalAttributes);
        this.session = session;
    }

    /** @return whether this connection's handshake resumed an earlier session */
    public boolean isSessionResumed() {
        return session instanceof ResumptionAware aware && aware.isResumed();
    }
}
