package org.reprise.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it. */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    /** @param start the time the clock shows until moved */
    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** @param step how far to move the clock forward */
    public void advance(Duration step) {
        now.updateAndGet(t -> t.plus(step));
    }

    /** @param instant the time the clock shows from now on */
    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
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
