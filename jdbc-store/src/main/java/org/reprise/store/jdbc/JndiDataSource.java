package org.reprise.store.jdbc;

import java.util.List;
import java.util.function.Supplier;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Looks a DataSource up in JNDI when the store first needs it: Tomcat configures TLS before its JNDI
 * resources are bound, so a lookup while the connector starts would fail. Tries the component's
 * environment ({@code java:comp/env/NAME}) first, then Tomcat's global resources ({@code java:NAME}); a name
 * that starts with {@code java:} is looked up as given. Only {@code java:} names are ever looked up: a name
 * such as {@code ldap://host/x} would make the naming provider reach out to another server.
 */
final class JndiDataSource implements Supplier<DataSource> {

    private final String name;

    /**
     * @param name a name relative to {@code java:comp/env/} or {@code java:}, or a whole {@code java:} name
     * @throws IllegalArgumentException naming {@code dataSourceName} if the name is of another scheme
     */
    JndiDataSource(String name) {
        if (!name.startsWith("java:") && name.contains(":")) {
            throw new IllegalArgumentException("Reprise JDBC store: dataSourceName=\"" + name + "\" is not a java:"
                    + " name; write the name of a Tomcat resource, such as jdbc/reprise");
        }
        this.name = name;
    }

    /** @throws IllegalStateException if none of the names is bound to a DataSource (yet) */
    @Override
    public DataSource get() {
        // A web application's environment first, then Tomcat's global resources (bound under java: for
        // Tomcat's own class loader, which the store's threads use)
        List<String> names = name.startsWith("java:") ? List.of(name) : List.of("java:comp/env/" + name, "java:" + name);
        IllegalStateException failure = new IllegalStateException("no DataSource named " + name
                + " in JNDI (looked up " + String.join(", ", names) + ")");
        for (String candidate : names) {
            try {
                return lookup(candidate);
            } catch (NamingException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    private static DataSource lookup(String jndiName) throws NamingException {
        InitialContext context = new InitialContext();
        Object found;
        try {
            found = context.lookup(jndiName);
        } finally {
            context.close();
        }
        if (found instanceof DataSource ds) {
            return ds;
        }
        throw new NamingException(jndiName + " is a " + (found == null ? "null" : found.getClass().getName())
                + ", not a javax.sql.DataSource");
    }
}
