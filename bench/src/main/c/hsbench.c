/*
 * hsbench: the load generator of bin/bench. A TLS client over libssl that either makes handshakes as fast
 * as it can on N threads (full, resumed by session ID, resumed by ticket; TLS 1.2 or 1.3) and reports the
 * rate and the latency of each handshake, how many offered a session and how many of those resumed, or streams HTTP responses over one established connection and
 * reports the throughput. It prints one line of key=value pairs, including its own CPU time, so that a
 * run where the client was the bottleneck shows as such.
 *
 * Written for the benchmark rather than using openssl s_time because s_time is single-threaded, always
 * sends an HTTP request, cannot turn tickets off for session-ID resumption in TLS 1.2 and reports no
 * latency percentiles.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { FULL, SESSION_ID, TICKET };

static struct {
    const char *host;
    int port;
    enum mode mode;
    int tls13;
    int threads;
    double seconds;
    long bytes; /* throughput mode when > 0 */
    const char *ciphers;
} opt = {"127.0.0.1", 0, FULL, 0, 1, 5.0, 0, NULL};

static SSL_CTX *ctx;
static atomic_int stop;

struct worker {
    pthread_t thread;
    double *lat; /* microseconds, one per handshake */
    long n, cap, reused, failed;
    long offered; /* attempts that offered a session, failed ones included: the base of the resumed share */
    char error[160];
    char negotiated[96]; /* protocol, suite and group of the last handshake */
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void) {
    fprintf(stderr,
            "usage: hsbench -p PORT [-H HOST] [-m full|id|ticket] [-3] [-t THREADS] [-d SECONDS] [-c CIPHERS]\n"
            "       hsbench -p PORT -b BYTES [-3] [-d SECONDS] [-c CIPHERS]   (throughput: GET /bytes?n=BYTES)\n");
    exit(2);
}

static int tcp_connect(void) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(opt.port)};
    if (inet_pton(AF_INET, opt.host, &addr.sin_addr) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void record(struct worker *w, double micros) {
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 65536;
        w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
        if (!w->lat) abort();
    }
    w->lat[w->n++] = micros;
}

static void note_error(struct worker *w, const char *what) {
    w->failed++;
    if (!w->error[0]) {
        unsigned long e = ERR_peek_last_error();
        snprintf(w->error, sizeof w->error, "%s: %s", what, e ? ERR_reason_error_string(e) : strerror(errno));
    }
    ERR_clear_error();
}

/* Sends a small request and reads the answer to its end: in TLS 1.3 this is what brings the tickets. */
static int fetch_small(SSL *ssl) {
    static const char req[] = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if (SSL_write(ssl, req, sizeof req - 1) <= 0) return -1;
    char buf[4096];
    while (SSL_read(ssl, buf, sizeof buf) > 0) {
    }
    return 0;
}

/* One connection: TCP connect and handshake, timed; then close_notify and close. */
static SSL *handshake(struct worker *w, SSL_SESSION *resume, double *micros) {
    double start = now();
    int fd = tcp_connect();
    if (fd < 0) {
        note_error(w, "connect");
        return NULL;
    }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (resume) SSL_set_session(ssl, resume);
    if (SSL_connect(ssl) != 1) {
        note_error(w, "handshake");
        SSL_free(ssl);
        close(fd);
        return NULL;
    }
    *micros = (now() - start) * 1e6;
    return ssl;
}

static void finish(SSL *ssl) {
    int fd = SSL_get_fd(ssl);
    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
}

static void describe(SSL *ssl, char *out, size_t size) {
    int group = SSL_get_negotiated_group(ssl);
    const char *name = group ? OBJ_nid2sn(group & ~TLSEXT_nid_unknown) : "none";
    snprintf(out, size, "%s/%s/%s", SSL_get_version(ssl), SSL_get_cipher_name(ssl), name ? name : "?");
}

static void *handshakes(void *arg) {
    struct worker *w = arg;
    SSL_SESSION *session = NULL;
    double micros;
    while (!atomic_load(&stop)) {
        SSL_SESSION *offer = opt.mode == FULL ? NULL : session;
        if (offer) w->offered++;
        SSL *ssl = handshake(w, offer, &micros);
        if (!ssl) continue;
        record(w, micros);
        if (!w->negotiated[0] || w->n % 1024 == 0) describe(ssl, w->negotiated, sizeof w->negotiated);
        if (opt.mode != FULL) {
            if (SSL_session_reused(ssl)) {
                w->reused++;
            } else {
                /* a full handshake: take its session (after the request, for TLS 1.3 tickets) */
                if (opt.tls13) fetch_small(ssl);
                if (session) SSL_SESSION_free(session);
                session = SSL_get1_session(ssl);
            }
        }
        finish(ssl);
    }
    if (session) SSL_SESSION_free(session);
    return NULL;
}

/* Reads the body of one response to GET /bytes?n=...; returns its length or -1. */
static long read_response(SSL *ssl, char *buf, size_t size) {
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        int r = SSL_read(ssl, buf + have, (int)(size - have - 1));
        if (r <= 0) return -1;
        have += r;
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (!end && have >= size - 1) return -1;
    }
    char *cl = strcasestr(buf, "content-length:");
    if (!cl || cl > end) return -1;
    long length = atol(cl + 15);
    long body = (long)(have - (end + 4 - buf));
    while (body < length) {
        int r = SSL_read(ssl, buf, (int)size);
        if (r <= 0) return -1;
        body += r;
    }
    return body == length ? length : -1;
}

static int throughput(void) {
    struct worker w = {0};
    double micros;
    SSL *ssl = handshake(&w, NULL, &micros);
    if (!ssl) {
        fprintf(stderr, "hsbench: %s\n", w.error);
        return 1;
    }
    char req[128];
    int len = snprintf(req, sizeof req, "GET /bytes?n=%ld HTTP/1.1\r\nHost: localhost\r\n\r\n", opt.bytes);
    static char buf[1 << 16];
    long responses = 0;
    double total = 0, start = now(), deadline = start + opt.seconds;
    do {
        if (SSL_write(ssl, req, len) != len || read_response(ssl, buf, sizeof buf) != opt.bytes) {
            fprintf(stderr, "hsbench: response %ld failed\n", responses + 1);
            return 1;
        }
        responses++;
        total += opt.bytes;
    } while (now() < deadline);
    double elapsed = now() - start;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char negotiated[96];
    describe(ssl, negotiated, sizeof negotiated);
    printf("responses=%ld seconds=%.3f mb_per_s=%.2f negotiated=%s cpu_user=%.2f cpu_sys=%.2f\n", responses,
           elapsed, total / elapsed / 1e6, negotiated,
           ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    finish(ssl);
    return 0;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int c;
    while ((c = getopt(argc, argv, "H:p:m:3t:d:b:c:")) != -1) {
        switch (c) {
        case 'H': opt.host = optarg; break;
        case 'p': opt.port = atoi(optarg); break;
        case 'm':
            if (!strcmp(optarg, "full")) opt.mode = FULL;
            else if (!strcmp(optarg, "id")) opt.mode = SESSION_ID;
            else if (!strcmp(optarg, "ticket")) opt.mode = TICKET;
            else usage();
            break;
        case '3': opt.tls13 = 1; break;
        case 't': opt.threads = atoi(optarg); break;
        case 'd': opt.seconds = atof(optarg); break;
        case 'b': opt.bytes = atol(optarg); break;
        case 'c': opt.ciphers = optarg; break;
        default: usage();
        }
    }
    if (opt.port <= 0 || opt.threads < 1 || opt.seconds <= 0) usage();

    ctx = SSL_CTX_new(TLS_client_method());
    int version = opt.tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    /* X25519 for the key exchange; P-256 too, since TLS 1.2 also names the certificate's curve here */
    SSL_CTX_set1_groups_list(ctx, "X25519:P-256");
    if (opt.ciphers && !(opt.tls13 ? SSL_CTX_set_ciphersuites(ctx, opt.ciphers)
                                   : SSL_CTX_set_cipher_list(ctx, opt.ciphers))) {
        fprintf(stderr, "hsbench: bad cipher list %s\n", opt.ciphers);
        return 2;
    }
    /* session-ID resumption: no ticket extension at all, so the server must look the ID up */
    if (opt.mode == SESSION_ID && !opt.tls13) SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    if (opt.bytes > 0) return throughput();

    struct worker *workers = calloc(opt.threads, sizeof *workers);
    double start = now();
    for (int i = 0; i < opt.threads; i++) pthread_create(&workers[i].thread, NULL, handshakes, &workers[i]);
    struct timespec pause = {(time_t)opt.seconds, (long)((opt.seconds - (time_t)opt.seconds) * 1e9)};
    nanosleep(&pause, NULL);
    atomic_store(&stop, 1);
    long n = 0, reused = 0, failed = 0, offered = 0;
    const char *error = "";
    for (int i = 0; i < opt.threads; i++) {
        pthread_join(workers[i].thread, NULL);
        n += workers[i].n;
        reused += workers[i].reused;
        offered += workers[i].offered;
        failed += workers[i].failed;
        if (!error[0]) error = workers[i].error;
    }
    double elapsed = now() - start;
    double *all = malloc((n ? n : 1) * sizeof *all);
    long k = 0;
    for (int i = 0; i < opt.threads; i++) {
        memcpy(all + k, workers[i].lat, workers[i].n * sizeof *all);
        k += workers[i].n;
    }
    qsort(all, n, sizeof *all, compare);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("handshakes=%ld seconds=%.3f rate=%.1f p50_us=%.0f p99_us=%.0f offered=%ld reused=%ld failed=%ld cpu_user=%.2f "
           "cpu_sys=%.2f negotiated=%s\n",
           n, elapsed, n / elapsed, n ? all[n / 2] : 0, n ? all[(long)(n * 0.99)] : 0, offered, reused, failed,
           ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, workers[0].negotiated[0] ? workers[0].negotiated : "none");
    if (failed) fprintf(stderr, "hsbench: %ld failed, first: %s\n", failed, error);
    return n > 0 ? 0 : 1;
}
