/**
 * Session tickets: a ring of named AES-256 keys that rotates by itself, and the sealer that turns a
 * session into an authenticated, encrypted ticket and back.
 */
@NullMarked
package org.reprise.core.ticket;

import org.jspecify.annotations.NullMarked;
