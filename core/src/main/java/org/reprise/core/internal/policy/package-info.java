/**
 * The one resumption policy, shared by every engine: {@link org.reprise.core.internal.policy.ResumptionPolicy}
 * decides, from what a session is bound to ({@link org.reprise.core.internal.policy.Binding}) and what a
 * ClientHello offers ({@link org.reprise.core.internal.policy.Offer}), whether the session resumes or why not;
 * {@link org.reprise.core.internal.policy.ServerNames} is the one reader of SNI names. Engines only extract the
 * facts and apply the answer. Not API: see {@link org.reprise.core.internal}.
 */
@NullMarked
package org.reprise.core.internal.policy;

import org.jspecify.annotations.NullMarked;
