package org.reprise.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Turns a {@link JdbcStoreConfig} with a URL into the HikariCP pool Reprise owns. */
final class HikariPools {

    private HikariPools() {
    }

    /** @return a started pool that has not waited for the database: it connects in the background */
    static HikariDataSource create(JdbcStoreConfig config, @Nullable String node) {
        String url = Objects.requireNonNull(config.jdbcUrl(), "jdbcUrl");
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(url);
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setPoolName("reprise-jdbc" + (node == null ? "" : "-" + node));
        h.setMaximumPoolSize(config.poolSize());
        long timeout = config.connectionTimeout().toMillis();
        h.setConnectionTimeout(timeout);
        // A dead connection must be noticed within the same budget as a missing one
        h.setValidationTimeout(timeout);
        // Opening must not wait for (or fail on) a database that is not up yet
        h.setInitializationFailTimeout(-1);
        if (url.startsWith("jdbc:postgresql:")) {
            h.setDriverClassName("org.postgresql.Driver");
            // Seconds. Without a socket timeout, a connection whose peer vanished without a reset would
            // hang until TCP keepalive (hours), holding a pool slot; a URL that sets its own wins
            defaultProperty(h, url, "connectTimeout", "5");
            defaultProperty(h, url, "socketTimeout", "10");
            defaultProperty(h, url, "ApplicationName", h.getPoolName());
        } else if (url.startsWith("jdbc:h2:")) {
            // Named so that DriverManager's service loading, which Tomcat's class loaders may hide, is not needed
            h.setDriverClassName("org.h2.Driver");
        }
        return new HikariDataSource(h);
    }

    private static void defaultProperty(HikariConfig h, String url, String name, String value) {
        if (!url.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT) + "=")) {
            h.addDataSourceProperty(name, value);
        }
    }
}
