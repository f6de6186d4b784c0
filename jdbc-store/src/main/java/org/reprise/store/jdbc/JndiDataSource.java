package org.reprise.store.jdbc;

import java.util.function.Supplier;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Looks a DataSource up in JNDI when the store first needs it: Tomcat configures TLS before its JNDI
 * resources are bound, so a lookup while the connector starts would fail. Tries the component's
 * environment ({@code java:comp/env/NAME}) first, then the name as given.
 */
final class JndiDataSource implements Supplier<DataSource> {

    private final String name;

    JndiDataSource(String name) {
        this.name = name;
    }

    /** @throws IllegalStateException if neither name is bound to a DataSource (yet) */
    @Override
    public DataSource get() {
        NamingException first;
        try {
            return lookup("java:comp/env/" + name);
        } catch (NamingException e) {
            first = e;
        }
        try {
            return lookup(name);
        } catch (NamingException e) {
            IllegalStateException failure = new IllegalStateException("no DataSource named " + name
                    + " in JNDI (looked up java:comp/env/" + name + " and " + name + ")", e);
            failure.addSuppressed(first);
            throw failure;
        }
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
