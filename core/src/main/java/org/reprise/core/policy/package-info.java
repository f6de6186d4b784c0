/**
 * The one resumption policy, shared by every engine: {@link org.reprise.core.policy.ResumptionPolicy} decides,
 * from what a session is bound to ({@link org.reprise.core.policy.Binding}) and what a ClientHello offers
 * ({@link org.reprise.core.policy.Offer}), whether the session resumes or why not; {@link
 * org.reprise.core.policy.ServerNames} is the one reader of SNI names. Engines only extract the facts and apply
 * the answer.
 */
@NullMarked
package org.reprise.core.policy;

import org.jspecify.annotations.NullMarked;
