package org.reprise.admin;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics}: every connector's counters in the Prometheus text format 0.0.4, written by the official
 * Prometheus client library.
 */
public final class PrometheusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Connectors connectors = new Connectors();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType(writer.getContentType());
        writer.write(resp.getOutputStream(), PrometheusSnapshots.of(connectors.list()));
    }
}
