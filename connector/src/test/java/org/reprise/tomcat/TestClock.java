package org.reprise.tomcat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock moved forward by as much as a test says: the server under test then sees sessions and
 * keys age at once, while TLS clients, certificates and the JVM's timers keep real time.
 */
final class TestClock extends Clock {

    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** @param step how much further ahead of real time the clock runs from now on */
    void advance(Duration step) {
        ahead.updateAndGet(d -> d.plus(step));
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests only need instants");
    }
}
