/**
 * The Reprise demo: an embedded Tomcat whose one HTTPS connector runs through Reprise, with a page that
 * shows how the current connection was made (and whether it resumed) next to the connector's counters.
 * Started by {@code bin/demo}; see {@link org.reprise.demo.DemoServer}.
 */
@NullMarked
package org.reprise.demo;

import org.jspecify.annotations.NullMarked;
