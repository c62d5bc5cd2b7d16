package com.alloygateway.edge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.graphql.AnswerCapture;
import com.alloygateway.support.Hashes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Whole answers to catalog queries, kept as the bytes SmallRye GraphQL wrote, so that the same request is
 * answered again without running GraphQL at all. Only documents whose every root field is account-wide catalog
 * data qualify ({@link DocumentLimits#catalogOnly}): such an answer is the same for every tenant, and nothing of
 * any tenant is in it. The request still passes everything before this point each time (its token, its tenant,
 * its rate, the document limits).
 * <p>
 * The key is the request itself: the SHA-256 of its {@code Accept} header and its body (document, operation name,
 * variables), so any difference in either is another entry. Only answers without errors, HTTP 200 and UTF-8 are
 * kept. An answer expires with the oldest catalog entry it was built from (it never outlives what
 * {@code GATEWAY_CATALOG_TTL} allows the catalog). The store is bounded in answers
 * ({@code GATEWAY_CATALOG_ANSWERS_MAX_ANSWERS}, least used dropped first) and in bytes
 * ({@code GATEWAY_CATALOG_ANSWERS_MAX_BYTES}: beyond it, new answers are not kept until others expire).
 */
@ApplicationScoped
public class CatalogAnswers {

    record Answer(byte[] body, String contentType, long expiresAt) {
    }

    private final CatalogAnswersConfig config;
    private final long ttlNanos;
    private final Cache<ByteBuffer, Answer> answers;
    private final LongAdder hits = new LongAdder();
    private final LongAdder kept = new LongAdder();

    CatalogAnswers(CatalogAnswersConfig config, MeterRegistry registry) {
        this.config = config;
        this.ttlNanos = config.ttl().toNanos();
        this.answers = store(config.answers().maxAnswers(), config.ttl());
        registry.more().counter("gateway.catalog.answers", List.of(Tag.of("result", "hit")), hits);
        registry.more().counter("gateway.catalog.answers", List.of(Tag.of("result", "kept")), kept);
    }

    /**
     * The store: at most {@code maxAnswers}, each gone {@code ttl} after it was kept at the latest (its own, earlier
     * expiry is checked on every read). Built from the Caffeine features whose classes Quarkus registers for the
     * native image (maximum size, expiry after write: {@code CatalogAnswersStoreTest} checks); a weigher or a removal
     * listener would need classes it does not have, so the bytes are bounded in {@link #keep}.
     */
    static Cache<ByteBuffer, Answer> store(long maxAnswers, Duration ttl) {
        return Caffeine.newBuilder().maximumSize(maxAnswers).expireAfterWrite(ttl).build();
    }

    boolean enabled() {
        return config.answers().enabled();
    }

    /** The key of this request: its {@code Accept} header and its body. */
    static ByteBuffer key(RoutingContext ctx, String body) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return ByteBuffer.wrap(Hashes.sha256((accept == null ? "" : accept) + '\n' + body));
    }

    /** The kept answer to this request, or null. */
    Answer find(ByteBuffer key) {
        Answer answer = answers.getIfPresent(key);
        if (answer != null && answer.expiresAt() - System.nanoTime() > 0) {
            hits.increment();
            return answer;
        }
        return null;
    }

    /** Keeps what the capture saw, if the answer went out as one to keep. */
    void keep(ByteBuffer key, AnswerCapture capture, int status, String contentType) {
        keep(key, capture.body(), capture.oldest(), status, contentType);
    }

    /**
     * Keeps {@code body} (null: nothing to keep), built from catalog entries loaded at {@code oldest}
     * ({@link System#nanoTime()}) or later, if it went out as an answer to keep and fits.
     */
    void keep(ByteBuffer key, String body, long oldest, int status, String contentType) {
        if (status != 200 || body == null || oldest == Long.MAX_VALUE || contentType == null
                || !contentType.toLowerCase(Locale.ROOT).replace(" ", "").contains("charset=utf-8")) {
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long expiresAt = oldest + ttlNanos;
        if (bytes.length > config.answers().maxAnswerBytes() || expiresAt - System.nanoTime() <= 0) {
            return;
        }
        // Kept answers are few (maxAnswers) and kept rarely (once per distinct request and TTL): summing them
        // here costs less than a weigher would on every read.
        answers.cleanUp();
        long held = answers.asMap().values().stream().mapToLong(a -> a.body().length).sum();
        if (held + bytes.length > config.answers().maxBytes()) {
            return;
        }
        answers.put(key, new Answer(bytes, contentType, expiresAt));
        kept.increment();
    }

    /** Forgets every kept answer (tests, after emptying the catalog cache). */
    public void invalidateAll() {
        answers.invalidateAll();
    }

    long hits() {
        return hits.sum();
    }

    long kept() {
        return kept.sum();
    }
}
