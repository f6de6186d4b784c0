package org.reprise.tomcat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for what a test expects to happen in the background: a condition polled until it holds, with a
 * limit generous enough for a busy machine, failing with what did not happen. Never a fixed sleep.
 */
final class Await {

    /** Generous on purpose: the limit only decides how long a broken feature takes to fail. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private Await() {
    }

    /** Polls {@code condition} until it holds, for at most {@link #LIMIT}. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, LIMIT, condition);
    }

    /** Polls {@code condition} until it holds, for at most {@code limit}. */
    static void until(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + limit);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
