package org.reprise.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /metrics}: every connector's counters in the Prometheus text format. */
public final class PrometheusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Connectors connectors = new Connectors();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType(PrometheusText.CONTENT_TYPE);
        resp.getWriter().write(PrometheusText.render(connectors.list()));
    }
}
