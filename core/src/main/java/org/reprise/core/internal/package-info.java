/**
 * Reprise's own machinery, shared by its modules and <b>not API</b>: what an engine needs to resume sessions for
 * one connector ({@link org.reprise.core.internal.ResumptionContext}), and, in the sub-packages, the resumption
 * policy, the ticket sealer, the session record's ticket encoding and the store attribute parser. Any of it may
 * change or go in any release.
 *
 * <p>On the module path these packages are exported only to Reprise's own modules (see {@code module-info.java});
 * on the class path, where Tomcat loads Reprise from {@code lib/}, nothing enforces that, so this is the rule:
 * code outside Reprise does not use {@code org.reprise.core.internal} or its sub-packages. What embedding code
 * uses is listed in docs/EMBEDDING.md ("What is API").
 */
@NullMarked
package org.reprise.core.internal;

import org.jspecify.annotations.NullMarked;
