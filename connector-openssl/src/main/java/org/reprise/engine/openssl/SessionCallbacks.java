package org.reprise.engine.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.ByteArrayInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.internal.policy.Binding;
import org.reprise.core.internal.policy.Offer;
import org.reprise.core.internal.policy.ResumptionPolicy;
import org.reprise.core.internal.policy.ServerNames;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.metrics.Protocol;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionLifetime;
import org.reprise.core.session.SessionRecord;
import org.reprise.tomcat.ConnectorBinding;

/**
 * The callbacks Reprise installs on one {@code SSL_CTX} (one Tomcat SSLHostConfig certificate): the
 * external session cache (new, get, remove) over the connector's session store, the ticket key callback
 * over its key ring, the ticket callbacks that bind a ticket to the host that issued it, and a ClientHello
 * callback that notes what the client offered.
 *
 * <p>A session resumes only where it would have been accepted fresh, by the rules of core's {@link
 * ResumptionPolicy}, the same as on the Bouncy Castle engine: this engine reads the facts (the ClientHello's,
 * the session's and its {@link TicketBinding}) and applies the answer. Every check is made before OpenSSL's own,
 * so the reason for a miss is counted, and a refused session is always a full handshake.
 *
 * <p>Native safety: OpenSSL calls these methods on the handshake thread, in the middle of a native call.
 * None of them lets a Java exception escape (the JVM would stop); each catches everything and answers the
 * way that costs the client only a full handshake. Temporary native memory is allocated in confined
 * arenas closed before returning; sessions decoded for OpenSSL are handed over with their reference.
 */
final class SessionCallbacks {

    /** The engine name written on every session this engine stores; only this engine can read its state. */
    static final String ENGINE_NAME = "openssl";

    /**
     * The stored state's form: format, ems, then the session's DER, which carries a {@link TicketBinding} as its
     * ticket application data. Format 1 (before the binding) does not resume, and is left in the store.
     */
    private static final byte STATE_FORMAT = 2;
    /** Flags kept on each connection (SSL ex_data, a tagged value rather than a pointer: nothing to free). */
    private static final long SEEN = 1;
    private static final long EMS_OFFERED = 2;
    private static final long FULL_HANDSHAKE_COUNTED = 4;
    /** The current ClientHello has had its one look at a session ID. */
    private static final long LOOKED_UP = 8;
    /** The current ClientHello is the second of its connection (after a HelloRetryRequest). */
    private static final long RETRY = 16;
    /** The first ClientHello's lookup found a session; its ID's fingerprint is in the connection's ex_data. */
    private static final long FOUND = 32;
    /**
     * The store tag on a session made by a finished handshake here; any other non-zero tag is the address of the
     * SSL a session was looked up for (addresses are never 1).
     */
    private static final long MADE_HERE = 1;
    /** How many IDs that just missed are remembered, and for how long (see {@link RecentMisses}). */
    private static final int RECENT_MISSES = 4096;
    private static final Duration RECENT_MISS_TTL = Duration.ofSeconds(10);
    private static final Linker LINKER = Linker.nativeLinker();

    private final ConnectorBinding connector;
    private final String hostConfig;
    private final Duration timeout;
    private final boolean stateful;
    private final boolean allowLegacyResumption;
    private final boolean needClientAuth;
    /** The IANA codes of the cipher suites the host enables. */
    private final int[] enabledSuites;
    /** The fingerprint of this host's client-auth policy, which every session made here is bound to. */
    private final byte[] clientAuthPolicy;
    /** The realm digest as {@link ResumptionPolicy} compares it, computed once (the realm never changes). */
    private volatile @Nullable String realmToken;
    private final int exIndex;
    private final int sslExIndex;
    /** Per connection: the fingerprint of the session ID its first ClientHello found (see {@link #FOUND}). */
    private final int foundIdExIndex;
    private final byte[] fingerprintKey = new byte[16];
    private final RecentMisses recentMisses = new RecentMisses(RECENT_MISSES, RECENT_MISS_TTL);
    private final TicketKeyCallback ticketKeys;
    private final SecureRandom random;
    private final ThreadLocal<ClientHello> clientHellos = ThreadLocal.withInitial(ClientHello::new);
    private final Arena stubs = Arena.ofAuto();

    /** What the ClientHello being processed on this thread offered; valid while {@link #ssl} matches. */
    private static final class ClientHello {
        private static final int[] NONE = new int[0];
        long ssl;
        /** From {@link ServerNames#fromExtension}: null without SNI, {@link ServerNames#INVALID} if malformed. */
        @Nullable String sni;
        boolean ems;
        /** The IANA codes of the offered cipher suites. */
        int[] ciphers = NONE;
        boolean counted;
    }

    SessionCallbacks(ConnectorBinding connector, String hostConfig, Duration timeout, boolean stateful,
            boolean needClientAuth, BitSet enabledCiphers, byte[] clientAuthPolicy, SecureRandom random)
            throws Throwable {
        this.connector = connector;
        this.hostConfig = hostConfig;
        this.timeout = timeout;
        this.stateful = stateful;
        this.allowLegacyResumption = connector.settings().allowLegacyResumption();
        this.needClientAuth = needClientAuth;
        this.enabledSuites = enabledCiphers.stream().toArray();
        if (clientAuthPolicy.length != TicketBinding.POLICY_LENGTH) {
            throw new IllegalArgumentException("a client-auth policy fingerprint has 16 bytes");
        }
        this.clientAuthPolicy = clientAuthPolicy.clone();
        this.exIndex = ExIndices.SESSION_TAG;
        this.sslExIndex = ExIndices.SSL_FLAGS;
        this.foundIdExIndex = ExIndices.SSL_FOUND_ID;
        random.nextBytes(fingerprintKey);
        this.ticketKeys = new TicketKeyCallback(() -> connector.context().keyRing(), random);
        this.random = random;
    }

    /**
     * Installs the callbacks on {@code ctx}. The upcall stubs live as long as this object, which the SSL
     * context holds for as long as OpenSSL may call them.
     */
    void install(MemorySegment ctx) throws Throwable {
        long mode = NativeSsl.SSL_SESS_CACHE_SERVER | NativeSsl.SSL_SESS_CACHE_NO_INTERNAL;
        long unused = (long) NativeSsl.SSL_CTX_ctrl.invokeExact(ctx, NativeSsl.SSL_CTRL_SET_SESS_CACHE_MODE, mode,
                MemorySegment.NULL);
        if (stateful) {
            unused = (long) NativeSsl.SSL_CTX_set_options.invokeExact(ctx, NativeSsl.SSL_OP_NO_TICKET);
        } else {
            unused = (long) NativeSsl.SSL_CTX_clear_options.invokeExact(ctx, NativeSsl.SSL_OP_NO_TICKET);
        }
        // One TLS 1.3 ticket per handshake: each is a session of its own, and clients use only the newest.
        int ok = (int) NativeSsl.SSL_CTX_set_num_tickets.invokeExact(ctx, 1L);
        // No 0-RTT: early data can be replayed by anyone who saw it (RFC 8446, section 8).
        ok &= (int) NativeSsl.SSL_CTX_set_max_early_data.invokeExact(ctx, 0);
        if (ok != 1) {
            throw new IllegalStateException("OpenSSL refused the ticket count or the early data limit");
        }
        NativeSsl.SSL_CTX_sess_set_new_cb.invokeExact(ctx, stub("newSession", NativeSsl.NEW_SESSION_CB));
        NativeSsl.SSL_CTX_sess_set_get_cb.invokeExact(ctx, stub("getSession", NativeSsl.GET_SESSION_CB));
        NativeSsl.SSL_CTX_sess_set_remove_cb.invokeExact(ctx, stub("removeSession", NativeSsl.REMOVE_SESSION_CB));
        NativeSsl.SSL_CTX_set_client_hello_cb.invokeExact(ctx, stub("clientHello", NativeSsl.CLIENT_HELLO_CB),
                MemorySegment.NULL);
        MemorySegment keyCb = upcall(MethodHandles.lookup().findVirtual(TicketKeyCallback.class, "apply",
                NativeSsl.TICKET_KEY_CB.toMethodType()).bindTo(ticketKeys), NativeSsl.TICKET_KEY_CB);
        ok = (int) NativeSsl.SSL_CTX_set_tlsext_ticket_key_evp_cb.invokeExact(ctx, keyCb);
        ok &= (int) NativeSsl.SSL_CTX_set_session_ticket_cb.invokeExact(ctx,
                stub("generateTicket", NativeSsl.GENERATE_TICKET_CB),
                stub("decryptTicket", NativeSsl.DECRYPT_TICKET_CB), MemorySegment.NULL);
        if (ok != 1) {
            throw new IllegalStateException("OpenSSL refused Reprise's ticket callbacks");
        }
    }

    /**
     * The SSL context is destroyed: zeroes the ticket keys derived for it. The callbacks stay installed (and
     * their stubs alive) for connections that still use the native context; they get no ticket keys.
     */
    void close() {
        ticketKeys.close();
    }

    private MemorySegment stub(String method, java.lang.foreign.FunctionDescriptor shape) throws ReflectiveOperationException {
        MethodType type = shape.toMethodType();
        MethodHandle target = MethodHandles.lookup().findVirtual(SessionCallbacks.class, method, type).bindTo(this);
        return upcall(target, shape);
    }

    private MemorySegment upcall(MethodHandle target, java.lang.foreign.FunctionDescriptor shape) {
        return LINKER.upcallStub(target, shape, stubs);
    }

    private ResumptionMetrics metrics() {
        return connector.context().metrics();
    }

    // ---- int client_hello_cb(SSL *s, int *al, void *arg)

    int clientHello(MemorySegment ssl, MemorySegment alert, MemorySegment arg) {
        ClientHello hello = clientHellos.get();
        hello.ssl = ssl.address();
        hello.sni = null;
        hello.ems = false;
        hello.ciphers = ClientHello.NONE;
        hello.counted = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(JAVA_LONG);
            if ((int) NativeSsl.SSL_client_hello_get0_ext.invokeExact(ssl, NativeSsl.TLSEXT_TYPE_SERVER_NAME, out,
                    length) == 1) {
                hello.sni = ServerNames.fromExtension(
                        out.get(ADDRESS, 0).reinterpret(length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE));
            }
            hello.ems = (int) NativeSsl.SSL_client_hello_get0_ext.invokeExact(ssl,
                    NativeSsl.TLSEXT_TYPE_EXTENDED_MASTER_SECRET, out, length) == 1;
            // OpenSSL answers "is EMS in use" only after the handshake, but sessions and tickets are made during
            // it; a full TLS 1.2 handshake uses EMS exactly when the client offers it, so keep the offer.
            long previous = flags(ssl);
            long flags = SEEN | (hello.ems ? EMS_OFFERED : 0) | (previous & FULL_HANDSHAKE_COUNTED);
            if ((previous & RETRY) != 0) {
                // OpenSSL allows one HelloRetryRequest; whatever asks for a third ClientHello gets no lookup
                flags |= RETRY | LOOKED_UP;
            } else if ((previous & SEEN) != 0) {
                // the ClientHello that answers a HelloRetryRequest: OpenSSL dropped the session the first one
                // found and asks for it again (RFC 8446, 4.1.2: the client offers its PSKs again)
                flags |= RETRY | (previous & FOUND);
            }
            setFlags(ssl, flags);
            long cipherBytes = (long) NativeSsl.SSL_client_hello_get0_ciphers.invokeExact(ssl, out);
            if (cipherBytes > 0) {
                MemorySegment list = out.get(ADDRESS, 0).reinterpret(cipherBytes);
                int[] ciphers = new int[(int) (cipherBytes / 2)];
                for (int i = 0; i < ciphers.length; i++) {
                    ciphers[i] = (list.get(JAVA_BYTE, 2L * i) & 0xFF) << 8 | (list.get(JAVA_BYTE, 2L * i + 1) & 0xFF);
                }
                hello.ciphers = ciphers;
            }
        } catch (Throwable e) {
            hello.ssl = 0;
        }
        return NativeSsl.SSL_CLIENT_HELLO_SUCCESS;
    }

    /** The ClientHello facts for {@code ssl}, or null if they were not read on this thread for it. */
    private @Nullable ClientHello helloOf(MemorySegment ssl) {
        ClientHello hello = clientHellos.get();
        return hello.ssl == ssl.address() ? hello : null;
    }

    private void requested(@Nullable ClientHello hello, Mechanism mechanism) {
        if (hello == null || !hello.counted) {
            metrics().requested(mechanism);
            if (hello != null) {
                hello.counted = true;
            }
        }
    }

    // ---- SSL_SESSION *get_session_cb(SSL *ssl, const unsigned char *data, int len, int *copy)
    //
    // OpenSSL calls this once per TLS 1.2 ClientHello (its session ID), but in TLS 1.3 once per PSK identity of
    // 32 bytes (tls_parse_ctos_psk -> tls_get_stateful_ticket -> lookup_sess_in_cache), and one ClientHello can
    // carry hundreds. Each call would be a store lookup made inside a native upcall, which holds the handshake
    // thread (and pins a virtual thread's carrier) for as long as the database takes. So a ClientHello gets one
    // look, at the first ID OpenSSL asks about (real clients offer one); the rest miss without being counted.

    MemorySegment getSession(MemorySegment ssl, MemorySegment data, int length, MemorySegment copy) {
        try {
            long flags = flags(ssl);
            if ((flags & LOOKED_UP) != 0) {
                return MemorySegment.NULL;
            }
            setFlags(ssl, flags | LOOKED_UP);
            byte[] id = data.reinterpret(Math.max(length, 0)).toArray(JAVA_BYTE);
            boolean retry = (flags & RETRY) != 0;
            if (retry && ((flags & FOUND) == 0 || fingerprint(id) != foundFingerprint(ssl))) {
                // after a HelloRetryRequest only the session the first ClientHello found is looked up again:
                // a connection never costs the store more than one ID
                return MemorySegment.NULL;
            }
            int version = (int) NativeSsl.SSL_version.invokeExact(ssl);
            Mechanism mechanism = version == NativeSsl.TLS1_3_VERSION ? Mechanism.TLS13_PSK : Mechanism.SESSION_ID;
            ClientHello hello = helloOf(ssl);
            // the retried ClientHello repeats a request whose outcome is counted already
            if (!retry) {
                requested(hello, mechanism);
            }
            MemorySegment session = resumeFromStore(ssl, version, mechanism, hello, id, !retry);
            if (!session.equals(MemorySegment.NULL)) {
                copy.reinterpret(JAVA_INT.byteSize()).set(JAVA_INT, 0, 0);
                if (!retry) {
                    setFlags(ssl, flags | LOOKED_UP | FOUND);
                    int unused = (int) NativeSsl.SSL_set_ex_data.invokeExact(ssl, foundIdExIndex,
                            MemorySegment.ofAddress(fingerprint(id)));
                }
            }
            return session;
        } catch (Throwable e) {
            return MemorySegment.NULL;
        }
    }

    /**
     * A non-zero 64-bit fingerprint of a session ID, kept in the connection's ex_data as a tagged value (nothing
     * to free). Keyed with a secret of this context, so that a client cannot choose a second ID that matches the
     * one its first ClientHello found.
     */
    private long fingerprint(byte[] id) throws GeneralSecurityException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(fingerprintKey);
        byte[] digest = sha256.digest(id);
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = value << 8 | (digest[i] & 0xFF);
        }
        return value == 0 ? 1 : value;
    }

    private long foundFingerprint(MemorySegment ssl) throws Throwable {
        return ((MemorySegment) NativeSsl.SSL_get_ex_data.invokeExact(ssl, foundIdExIndex)).address();
    }

    /**
     * Looks {@code id} up, at most once, and hands OpenSSL the session if every rule lets it resume here.
     *
     * @param count whether to count the request's outcome (not for the repeat after a HelloRetryRequest)
     */
    private MemorySegment resumeFromStore(MemorySegment ssl, int version, Mechanism mechanism,
            @Nullable ClientHello hello, byte[] id, boolean count) throws Throwable {
        ResumptionMetrics metrics = metrics();
        if (!stateful || id.length == 0 || id.length > SessionId.MAX_LENGTH) {
            return miss(MissReason.UNKNOWN, count);
        }
        ResumptionContext context = connector.context();
        Instant now = context.clock().instant();
        SessionId sessionId = SessionId.of(id);
        if (recentMisses.contains(sessionId, now)) {
            return miss(MissReason.UNKNOWN, count);
        }
        SessionRecord record;
        try {
            record = context.store().retrieve(sessionId, now);
        } catch (RuntimeException e) {
            // the session may well exist: not a miss to remember
            metrics.storeError();
            return miss(MissReason.STORE_ERROR, count);
        }
        if (record == null) {
            recentMisses.add(sessionId, now);
            return miss(MissReason.UNKNOWN, count);
        }
        byte[] state = record.secretState();
        if (hello == null || !ENGINE_NAME.equals(record.engine()) || state.length <= 2 || state[0] != STATE_FORMAT) {
            // no ClientHello facts to decide on, another engine's session, or one of an earlier version (bound to
            // no realm or client-auth policy): not resumed, and left for the nodes that wrote it (a node never
            // deletes what it cannot read)
            return miss(MissReason.ENGINE_UNSUPPORTED, count);
        }
        MemorySegment session = decode(state);
        if (session.equals(MemorySegment.NULL)) {
            if (record.realm().equals(context.realm())) {
                forget(record.id());
            }
            return miss(MissReason.STORE_ERROR, count);
        }
        TicketBinding binding = TicketBinding.decode(appdata(session));
        // the record's expiry, sealed with its secret; the binding in its DER carries the rest
        MissReason refusal = binding == null ? MissReason.ENGINE_UNSUPPORTED
                : ResumptionPolicy.check(binding(session, binding, state[1] == 1, record.engine(), record.expires()),
                        offer(version, hello, now));
        if (refusal != null) {
            NativeSsl.SSL_SESSION_free.invokeExact(session);
            return miss(refusal, count);
        }
        markResumedBy(session, ssl);
        if (count) {
            metrics.resumed(mechanism, Protocol.of(protocolName(version)));
            try {
                context.store().recordResumption(record.id(), now);
            } catch (RuntimeException e) {
                metrics.storeError();
            }
        }
        return session;
    }

    private MemorySegment miss(MissReason reason, boolean count) {
        if (count) {
            metrics().missed(reason);
        }
        return MemorySegment.NULL;
    }

    private static MemorySegment decode(byte[] state) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment der = arena.allocate(state.length - 2);
            MemorySegment.copy(state, 2, der, JAVA_BYTE, 0, state.length - 2);
            MemorySegment cursor = arena.allocateFrom(ADDRESS, der);
            return (MemorySegment) NativeSsl.d2i_SSL_SESSION.invokeExact(MemorySegment.NULL, cursor,
                    (long) (state.length - 2));
        }
    }

    /**
     * What a session found in the store or in a ticket is bound to, for {@link ResumptionPolicy}: its {@link
     * TicketBinding} (realm, client-auth policy, host, SNI, times), and what OpenSSL's session says of its
     * protocol, cipher suite and client certificate. The policy fingerprint covers the certificateVerification
     * mode as well as the trust anchors, so a session with a client certificate made under the same fingerprint
     * had it verified as the host verifies now.
     *
     * @param ems     whether its handshake used the extended master secret
     * @param engine  the engine that made it
     * @param expires the expiry sealed with its stored record, or null for a ticket
     */
    private static Binding binding(MemorySegment session, TicketBinding binding, boolean ems, String engine,
            @Nullable Instant expires) throws Throwable {
        MemorySegment cipher = (MemorySegment) NativeSsl.SSL_SESSION_get0_cipher.invokeExact(session);
        int suite = cipher.equals(MemorySegment.NULL) ? -1
                : Short.toUnsignedInt((short) NativeSsl.SSL_CIPHER_get_protocol_id.invokeExact(cipher));
        boolean peer = !((MemorySegment) NativeSsl.SSL_SESSION_get0_peer.invokeExact(session)).equals(MemorySegment.NULL);
        return new Binding(engine, HexFormat.of().formatHex(binding.realm()), binding.hostConfig(), binding.sni(),
                protocolName((int) NativeSsl.SSL_SESSION_get_protocol_version.invokeExact(session)), suite, ems,
                binding.clientAuthPolicy(), peer, binding.issued(), binding.authenticated(), expires,
                binding.peerNotAfter());
    }

    /** What this ClientHello and host offer a found session; the realm as sessions here seal it (its digest). */
    private Offer offer(int version, ClientHello hello, Instant now) {
        return new Offer(ENGINE_NAME, realmToken(), hostConfig, hello.sni, protocolName(version), hello.ciphers,
                enabledSuites, hello.ems, allowLegacyResumption, clientAuthPolicy, needClientAuth, timeout, now);
    }

    /** The realm digest in hex, as {@link #binding} reads a sealed one. */
    private String realmToken() {
        String token = realmToken;
        if (token == null) {
            token = HexFormat.of().formatHex(realmDigest());
            realmToken = token;
        }
        return token;
    }

    /** The digest of the connector's realm, as sealed in every session made here. */
    private byte[] realmDigest() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("reprise realm".getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) 0);
            return java.util.Arrays.copyOf(sha256.digest(connector.context().realm().getBytes(StandardCharsets.UTF_8)),
                    TicketBinding.REALM_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** The session's ticket application data, or an empty array without any (or an implausible length). */
    private static byte[] appdata(MemorySegment session) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(JAVA_LONG);
            if ((int) NativeSsl.SSL_SESSION_get0_ticket_appdata.invokeExact(session, data, length) != 1) {
                return new byte[0];
            }
            long n = length.get(JAVA_LONG, 0);
            MemorySegment bytes = data.get(ADDRESS, 0);
            return n <= 0 || n > TicketBinding.MAX_LENGTH || bytes.equals(MemorySegment.NULL) ? new byte[0]
                    : bytes.reinterpret(n).toArray(JAVA_BYTE);
        }
    }

    /**
     * What the session {@code ssl} is about to issue (a ticket, or a stored session) is bound to. A session made
     * by a full handshake starts its line: authenticated now, its own ID as origin. A renewed one (a resumption
     * issuing its next ticket) keeps the line's authentication time, client certificate validity and origin from
     * the resumed session's binding, which OpenSSL copied into the renewed session (ssl_session_dup duplicates
     * the ticket application data) and which was checked when the session was accepted, so no renewal ever
     * moves the line's ceiling.
     */
    private TicketBinding bindingFor(MemorySegment ssl, MemorySegment session) throws Throwable {
        Instant now = connector.context().clock().instant().truncatedTo(ChronoUnit.MILLIS);
        String sni = NativeSsl.string((MemorySegment) NativeSsl.SSL_get_servername.invokeExact(ssl,
                NativeSsl.TLSEXT_NAMETYPE_HOST_NAME));
        // a name OpenSSL accepted but the one reader does not (INVALID) binds nothing: TicketBinding refuses it
        String name = ServerNames.normalize(sni);
        boolean ems = extendedMasterSecret(ssl);
        if ((int) NativeSsl.SSL_session_reused.invokeExact(ssl) != 0) {
            TicketBinding parent = TicketBinding.decode(appdata(session));
            if (parent == null) {
                // cannot happen for a session this engine accepted; if it did, the renewal is born expired
                return new TicketBinding(ems, Instant.EPOCH, Instant.EPOCH, null, realmDigest(), clientAuthPolicy,
                        new byte[0], hostConfig, name);
            }
            Instant authenticated = parent.authenticated().isAfter(now) ? now : parent.authenticated();
            return new TicketBinding(ems, authenticated, now, parent.peerNotAfter(), realmDigest(), clientAuthPolicy,
                    parent.origin(), hostConfig, name);
        }
        X509Certificate peer = peerCertificate(session);
        byte[] id = sessionId(session);
        return new TicketBinding(ems, now, now, peer == null ? null : peer.getNotAfter().toInstant(), realmDigest(),
                clientAuthPolicy, id.length <= SessionId.MAX_LENGTH ? id : new byte[0], hostConfig, name);
    }

    private static int setAppdata(MemorySegment session, byte[] bytes) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment appdata = arena.allocateFrom(JAVA_BYTE, bytes);
            return (int) NativeSsl.SSL_SESSION_set1_ticket_appdata.invokeExact(session, appdata, appdata.byteSize());
        }
    }

    // ---- int new_session_cb(SSL *ssl, SSL_SESSION *sess): called after a full TLS 1.2 handshake that made a
    // session ID and for every TLS 1.3 ticket; 0 = Reprise keeps no reference to the session

    int newSession(MemorySegment ssl, MemorySegment session) {
        try {
            int version = (int) NativeSsl.SSL_version.invokeExact(ssl);
            countFullHandshake(ssl, version);
            if (stateful) {
                SessionRecord record = record(ssl, session, version);
                if (record != null) {
                    recentMisses.forget(record.id());
                    storeQuietly(record);
                    metrics().sessionStored();
                    markOurs(session);
                }
            }
        } catch (Throwable e) {
            // the session is simply not stored: a later resumption is a full handshake
        }
        return 0;
    }

    private @Nullable SessionRecord record(MemorySegment ssl, MemorySegment session, int version) throws Throwable {
        byte[] id = sessionId(session);
        if (id.length == 0 || id.length > SessionId.MAX_LENGTH) {
            return null;
        }
        // A TLS 1.3 session was bound as its ticket was made (the ticket callback runs for stateful tickets too:
        // tls_construct_new_session_ticket calls it before construct_stateful_ticket and ssl_update_cache). A
        // TLS 1.2 session ID gets no ticket, so it is bound here, before its DER is taken.
        TicketBinding binding = TicketBinding.decode(appdata(session));
        if (binding == null) {
            binding = bindingFor(ssl, session);
            if (setAppdata(session, binding.encode()) != 1) {
                return null;
            }
        }
        byte[] der = encode(session);
        if (der == null) {
            return null;
        }
        byte[] state = new byte[der.length + 2];
        state[0] = STATE_FORMAT;
        state[1] = (byte) (extendedMasterSecret(ssl) ? 1 : 0);
        System.arraycopy(der, 0, state, 2, der.length);
        java.util.Arrays.fill(der, (byte) 0);
        ResumptionContext context = connector.context();
        Instant now = context.clock().instant();
        Instant authenticated = binding.authenticated().isAfter(now) ? now : binding.authenticated();
        byte[] origin = binding.origin();
        MemorySegment cipher = (MemorySegment) NativeSsl.SSL_SESSION_get0_cipher.invokeExact(session);
        X509Certificate peer = peerCertificate(session);
        SessionRecord record = SessionRecord.builder()
                .id(SessionId.of(id))
                // a renewed session names the line's first session, so that purging that one purges this one
                .origin(origin.length == 0 ? null : SessionId.of(origin))
                .authenticated(authenticated)
                .realm(context.realm())
                .protocol(protocolName(version))
                .cipherSuite(Objects.requireNonNullElse(
                        NativeSsl.string((MemorySegment) NativeSsl.SSL_CIPHER_standard_name.invokeExact(cipher)), "unknown"))
                .hostConfig(hostConfig)
                .sniHost(binding.sni())
                .created(now)
                .expires(SessionLifetime.expiry(authenticated, now, timeout))
                .peerIdentity(peer == null ? null : peer.getSubjectX500Principal().getName())
                .engine(ENGINE_NAME)
                .node(context.node())
                .secretState(state)
                .build();
        java.util.Arrays.fill(state, (byte) 0);
        return record;
    }

    private static byte[] sessionId(MemorySegment session) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_INT);
            MemorySegment id = (MemorySegment) NativeSsl.SSL_SESSION_get_id.invokeExact(session, length);
            int n = length.get(JAVA_INT, 0);
            return id.equals(MemorySegment.NULL) || n <= 0 ? new byte[0] : id.reinterpret(n).toArray(JAVA_BYTE);
        }
    }

    /** The session's DER form, or null if OpenSSL cannot encode it. */
    private static byte @Nullable [] encode(MemorySegment session) throws Throwable {
        int size = (int) NativeSsl.i2d_SSL_SESSION.invokeExact(session, MemorySegment.NULL);
        if (size <= 0) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment der = arena.allocate(size);
            MemorySegment cursor = arena.allocateFrom(ADDRESS, der);
            int written = (int) NativeSsl.i2d_SSL_SESSION.invokeExact(session, cursor);
            byte[] bytes = written == size ? der.toArray(JAVA_BYTE) : null;
            der.fill((byte) 0);
            return bytes;
        }
    }

    private static @Nullable X509Certificate peerCertificate(MemorySegment session) throws Throwable {
        MemorySegment peer = (MemorySegment) NativeSsl.SSL_SESSION_get0_peer.invokeExact(session);
        if (peer.equals(MemorySegment.NULL)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int length = (int) NativeSsl.i2d_X509.invokeExact(peer, out);
            if (length <= 0) {
                return null;
            }
            MemorySegment der = out.get(ADDRESS, 0);
            byte[] bytes = der.reinterpret(length).toArray(JAVA_BYTE);
            NativeSsl.CRYPTO_free.invokeExact(der, MemorySegment.NULL, 0);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
        }
    }

    /** Whether the handshake on {@code ssl} uses the extended master secret, as noted from its ClientHello. */
    private boolean extendedMasterSecret(MemorySegment ssl) throws Throwable {
        return (flags(ssl) & EMS_OFFERED) != 0;
    }

    private long flags(MemorySegment ssl) throws Throwable {
        return ((MemorySegment) NativeSsl.SSL_get_ex_data.invokeExact(ssl, sslExIndex)).address();
    }

    private void setFlags(MemorySegment ssl, long flags) throws Throwable {
        int unused = (int) NativeSsl.SSL_set_ex_data.invokeExact(ssl, sslExIndex, MemorySegment.ofAddress(flags));
    }

    /**
     * Counts a completed full handshake once per connection. OpenSSL reports one through the new-session
     * callback (a session ID made, every TLS 1.3 ticket) or, for a TLS 1.2 handshake that issues a ticket
     * and so gets no session ID, only through the ticket callback; either may come first.
     */
    private void countFullHandshake(MemorySegment ssl, int version) throws Throwable {
        if ((int) NativeSsl.SSL_session_reused.invokeExact(ssl) != 0) {
            return;
        }
        long flags = flags(ssl);
        if ((flags & FULL_HANDSHAKE_COUNTED) == 0) {
            setFlags(ssl, flags | FULL_HANDSHAKE_COUNTED);
            metrics().fullHandshake(Protocol.of(protocolName(version)));
        }
    }

    // ---- void remove_session_cb(SSL_CTX *ctx, SSL_SESSION *sess): OpenSSL will not resume this session
    // (it timed out, or its connection ended in a fatal alert or without a close_notify). Only sessions that came
    // from or went to the store are removed from it: OpenSSL also calls this for sessions of handshakes that
    // never completed.
    //
    // And only by a connection that proved it holds the session's keys. OpenSSL calls this on any fatal alert
    // sent or received (ssl3_send_alert, ssl3_read_bytes), handshake finished or not, and a TLS 1.2 session ID is
    // in clear in every ServerHello: anyone could offer one, let the server resume it, and give up with an alert.
    // A session made here (new-session callback) was made by a handshake that finished; a session looked up for
    // a connection carries that connection's SSL, and is removed only once its handshake has finished (the
    // client's Finished verified under the session's master secret).

    void removeSession(MemorySegment ctx, MemorySegment session) {
        try {
            if (!stateful) {
                return;
            }
            long tag = ((MemorySegment) NativeSsl.SSL_SESSION_get_ex_data.invokeExact(session, exIndex)).address();
            if (tag == 0 || tag != MADE_HERE && !handshakeFinished(MemorySegment.ofAddress(tag))) {
                return;
            }
            byte[] id = sessionId(session);
            if (id.length > 0 && id.length <= SessionId.MAX_LENGTH) {
                forget(SessionId.of(id));
            }
        } catch (Throwable e) {
            // nothing to undo: the session expires in the store anyway
        }
    }

    /**
     * Whether the handshake of {@code ssl} has finished: its state machine reached TLS_ST_OK, which a server
     * reaches only after the client's Finished verified. Not SSL_is_init_finished: a fatal error sets in_init
     * again before the alert that removes the session (ossl_statem_send_fatal), while hand_state stays where the
     * handshake got to.
     *
     * <p>Called only with the SSL a looked-up session was handed to, which is alive whenever OpenSSL removes that
     * session: the session is that connection's alone (handed over with its only reference, kept out of
     * OpenSSL's shared cache by SSL_SESS_CACHE_NO_INTERNAL, never referenced by Tomcat), OpenSSL removes it only
     * from that connection's own processing or its SSL_free, and it is freed with that connection.
     */
    private static boolean handshakeFinished(MemorySegment ssl) throws Throwable {
        return (int) NativeSsl.SSL_get_state.invokeExact(ssl) == NativeSsl.TLS_ST_OK;
    }

    /** Tags a session the store has from a finished handshake of this server: OpenSSL may remove it. */
    private void markOurs(MemorySegment session) throws Throwable {
        int unused = (int) NativeSsl.SSL_SESSION_set_ex_data.invokeExact(session, exIndex,
                MemorySegment.ofAddress(MADE_HERE));
    }

    /**
     * Tags a session looked up in the store for {@code ssl}: OpenSSL may remove it once that connection's
     * handshake has finished, not before. The tag is the SSL's address (a tagged value: nothing to free).
     */
    private void markResumedBy(MemorySegment session, MemorySegment ssl) throws Throwable {
        int unused = (int) NativeSsl.SSL_SESSION_set_ex_data.invokeExact(session, exIndex,
                MemorySegment.ofAddress(ssl.address()));
    }

    // ---- int gen_cb(SSL *s, void *arg): before a ticket is sealed, bind it to this host

    int generateTicket(MemorySegment ssl, MemorySegment arg) {
        try {
            MemorySegment session = (MemorySegment) NativeSsl.SSL_get_session.invokeExact(ssl);
            if (bind(ssl, session)) {
                metrics().ticketIssued();
            }
            int version = (int) NativeSsl.SSL_version.invokeExact(ssl);
            if (version != NativeSsl.TLS1_3_VERSION && (int) NativeSsl.SSL_session_reused.invokeExact(ssl) != 0) {
                replaceClientChosenId(session);
            }
            countFullHandshake(ssl, version);
            return 1;
        } catch (Throwable e) {
            return 0;
        }
    }

    /**
     * Seals the session's binding into it, reading the resumed session's binding before it is overwritten (the
     * renewal keeps its line's times). If that fails (the clock, say), the session is left with no binding, so
     * that its ticket or stored form never resumes (a renewal must not keep its parent's binding with a later
     * issue time unchecked), and the handshake goes on: resumption never breaks a handshake.
     *
     * @return whether the session is bound
     */
    private boolean bind(MemorySegment ssl, MemorySegment session) {
        try {
            return setAppdata(session, bindingFor(ssl, session).encode()) == 1;
        } catch (Throwable e) {
            try {
                int unused = (int) NativeSsl.SSL_SESSION_set1_ticket_appdata.invokeExact(session, MemorySegment.NULL,
                        0L);
            } catch (Throwable ignored) {
                // nothing more to do: the session keeps what it had, checked again whenever it is offered
            }
            return false;
        }
    }

    /**
     * A TLS 1.2 ticket resumption: OpenSSL copied the session ID the client sent with its ticket into the
     * session (tls_decrypt_ticket), for the ServerHello to echo it (RFC 5077, 3.4). The client chose it, and it
     * may be another client's; Tomcat reports the session's ID to the web application as ssl_session_id. This
     * runs while the renewed ticket is made, after the ServerHello was written (statem_srvr.c: a resumed
     * handshake goes from ServerHello to NewSessionTicket), so the ServerHello still echoes the client's ID and
     * the session reports one of the server's own from here on.
     */
    private void replaceClientChosenId(MemorySegment session) throws Throwable {
        byte[] fresh = new byte[SessionId.MAX_LENGTH];
        random.nextBytes(fresh);
        try (Arena arena = Arena.ofConfined()) {
            int unused = (int) NativeSsl.SSL_SESSION_set1_id.invokeExact(session, arena.allocateFrom(JAVA_BYTE, fresh),
                    fresh.length);
        }
    }

    // ---- SSL_TICKET_RETURN dec_cb(SSL *s, SSL_SESSION *ss, const unsigned char *keyname, size_t keyname_length,
    //                              SSL_TICKET_STATUS status, void *arg)

    int decryptTicket(MemorySegment ssl, MemorySegment session, MemorySegment keyName, long keyNameLength, int status,
            MemorySegment arg) {
        try {
            if (status != NativeSsl.SSL_TICKET_NO_DECRYPT && status != NativeSsl.SSL_TICKET_SUCCESS
                    && status != NativeSsl.SSL_TICKET_SUCCESS_RENEW) {
                return NativeSsl.SSL_TICKET_RETURN_IGNORE_RENEW;
            }
            int version = (int) NativeSsl.SSL_version.invokeExact(ssl);
            Mechanism mechanism = version == NativeSsl.TLS1_3_VERSION ? Mechanism.TLS13_PSK : Mechanism.TICKET;
            ClientHello hello = helloOf(ssl);
            requested(hello, mechanism);
            ResumptionMetrics metrics = metrics();
            if (status == NativeSsl.SSL_TICKET_NO_DECRYPT) {
                metrics.missed(keyKnown(keyName, keyNameLength) ? MissReason.TICKET_INVALID
                        : MissReason.TICKET_KEY_UNKNOWN);
                return NativeSsl.SSL_TICKET_RETURN_IGNORE_RENEW;
            }
            MissReason refusal = ticketRefusal(ssl, session, version, hello);
            if (refusal != null) {
                metrics.missed(refusal);
                return NativeSsl.SSL_TICKET_RETURN_IGNORE_RENEW;
            }
            metrics.resumed(mechanism, Protocol.of(protocolName(version)));
            // Always renewed. TLS 1.3 clients use a ticket once (RFC 8446, C.4), and OpenSSL sends a new one after
            // a resumption only when asked to: without it such a client would resume every other connection
            // only. In TLS 1.2, making the new ticket is the one moment after the ServerHello where the session's
            // client-chosen ID can be replaced (generateTicket).
            return NativeSsl.SSL_TICKET_RETURN_USE_RENEW;
        } catch (Throwable e) {
            return NativeSsl.SSL_TICKET_RETURN_IGNORE_RENEW;
        }
    }

    private boolean keyKnown(MemorySegment keyName, long length) {
        if (length < NativeSsl.TICKET_KEY_NAME_LENGTH || keyName.equals(MemorySegment.NULL)) {
            return true;
        }
        byte[] name = keyName.reinterpret(NativeSsl.TICKET_KEY_NAME_LENGTH).toArray(JAVA_BYTE);
        return connector.context().keyRing().decryptionKey(name, 0) != null;
    }

    private @Nullable MissReason ticketRefusal(MemorySegment ssl, MemorySegment session, int version,
            @Nullable ClientHello hello) throws Throwable {
        TicketBinding binding = TicketBinding.decode(appdata(session));
        if (binding == null) {
            // a ticket of an earlier format, bound to no realm or client-auth policy, reads as invalid
            return MissReason.TICKET_INVALID;
        }
        if (hello == null) {
            return MissReason.ENGINE_UNSUPPORTED;
        }
        // the ticket's times from the binding, on the connector's clock: not OpenSSL's session time, which is
        // the wall clock and restarts with every renewal
        return ResumptionPolicy.check(binding(session, binding, binding.extendedMasterSecret(), ENGINE_NAME, null),
                offer(version, hello, connector.context().clock().instant()));
    }

    // ---- store access, never failing a handshake

    private void storeQuietly(SessionRecord record) {
        try {
            connector.context().store().store(record);
        } catch (RuntimeException e) {
            metrics().storeError();
        }
    }

    private void forget(SessionId id) {
        try {
            connector.context().store().remove(id);
        } catch (RuntimeException e) {
            metrics().storeError();
        }
    }

    static String protocolName(int version) {
        return switch (version) {
            case NativeSsl.TLS1_3_VERSION -> "TLSv1.3";
            case NativeSsl.TLS1_2_VERSION -> "TLSv1.2";
            default -> "other";
        };
    }
}
