package org.reprise.admin;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetricsMXBean;

/**
 * Samples every connector's counters on one daemon thread (every 10 seconds, or the context parameter
 * {@code reprise.sampleSeconds}) and keeps an hour of rates per second: full and resumed handshakes and
 * misses by reason, from the deltas between samples. Started and stopped with the web application.
 */
public final class MetricsSampler implements ServletContextListener {

    /** The servlet context attribute holding the running sampler. */
    public static final String ATTRIBUTE = MetricsSampler.class.getName();

    private static final Logger log = Logger.getLogger(MetricsSampler.class.getName());
    private static final long HISTORY_MILLIS = 3_600_000;

    /**
     * Rates per second over one interval.
     *
     * @param time     the end of the interval, epoch milliseconds
     * @param full     full handshakes per second
     * @param resumed  resumed handshakes per second
     * @param misses   missed resumptions per second, by reason
     */
    public record Sample(long time, double full, double resumed, Map<String, Double> misses) {
    }

    private record Counters(long time, long full, long resumed, Map<String, Long> misses) {
    }

    private final Clock clock;
    private final Map<String, Counters> last = new HashMap<>();
    private final Map<String, ArrayDeque<Sample>> history = new ConcurrentHashMap<>();
    private @Nullable ScheduledExecutorService executor;
    private @Nullable Connectors connectors;
    private int intervalSeconds = 10;

    /** The sampler the container makes from web.xml, on the system clock. */
    public MetricsSampler() {
        this(Clock.systemUTC());
    }

    /**
     * A sampler for embedded use, with the clock that times its samples.
     *
     * @param clock where the time of each sample is read
     */
    public MetricsSampler(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String configured = context.getInitParameter("reprise.sampleSeconds");
        if (configured != null && !configured.isBlank()) {
            intervalSeconds = Math.max(1, Integer.parseInt(configured.trim()));
        }
        connectors = new Connectors();
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reprise-admin-sampler");
            t.setDaemon(true);
            return t;
        });
        executor = e;
        e.scheduleWithFixedDelay(this::sampleQuietly, 0, intervalSeconds, TimeUnit.SECONDS);
        context.setAttribute(ATTRIBUTE, this);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        executor = null;
    }

    /** @return seconds between samples */
    public int intervalSeconds() {
        return intervalSeconds;
    }

    /**
     * @param connector a connector's name
     * @return its samples over the last hour, oldest first
     */
    public List<Sample> history(String connector) {
        ArrayDeque<Sample> samples = history.get(connector);
        if (samples == null) {
            return List.of();
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private void sampleQuietly() {
        try {
            Connectors c = connectors;
            if (c != null) {
                c.list().forEach(h -> sample(h.name(), h.metrics(), clock.millis()));
            }
        } catch (RuntimeException e) {
            log.log(Level.FINE, "Reprise metrics sample failed", e);
        }
    }

    /**
     * Takes one sample; public so that tests can drive time.
     *
     * @param connector the connector's name
     * @param metrics   its counters
     * @param now       the time of the sample, epoch milliseconds
     */
    public synchronized void sample(String connector, ResumptionMetricsMXBean metrics, long now) {
        Counters current = new Counters(now, metrics.getHandshakesFull(), metrics.getHandshakesResumed(),
                new TreeMap<>(metrics.getMissesByReason()));
        Counters previous = last.put(connector, current);
        if (previous == null || now <= previous.time()) {
            return;
        }
        double seconds = (now - previous.time()) / 1000.0;
        Map<String, Double> misses = new LinkedHashMap<>();
        current.misses().forEach((reason, count) ->
                misses.put(reason, rate(count - previous.misses().getOrDefault(reason, 0L), seconds)));
        Sample sample = new Sample(now, rate(current.full() - previous.full(), seconds),
                rate(current.resumed() - previous.resumed(), seconds), misses);
        ArrayDeque<Sample> samples = history.computeIfAbsent(connector, k -> new ArrayDeque<>());
        synchronized (samples) {
            samples.addLast(sample);
            while (!samples.isEmpty() && samples.peekFirst().time() < now - HISTORY_MILLIS) {
                samples.removeFirst();
            }
        }
    }

    /** Counters only go up; a drop means the connector restarted, so the interval counts as zero. */
    private static double rate(long delta, double seconds) {
        return delta < 0 ? 0 : delta / seconds;
    }
}
