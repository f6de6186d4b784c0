/**
 * The session record's binary form inside a ticket ({@link org.reprise.core.internal.session.SessionRecordCodec}),
 * used by the engines. Not API: see {@link org.reprise.core.internal}.
 */
@NullMarked
package org.reprise.core.internal.session;

import org.jspecify.annotations.NullMarked;
