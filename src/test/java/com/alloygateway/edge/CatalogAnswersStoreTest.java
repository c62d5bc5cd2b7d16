package com.alloygateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.alloygateway.support.Hashes;
import com.alloygateway.testing.CaffeineClasses;
import com.github.benmanes.caffeine.cache.Cache;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@link CatalogAnswers}'s store on its own: what it keeps, its bounds, its expiry, its classes in a native image. */
class CatalogAnswersStoreTest {

    private static final String JSON = "application/json; charset=UTF-8";
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private static CatalogAnswers answers(long maxAnswers, long maxBytes, int maxAnswerBytes) {
        CatalogAnswersConfig config = new CatalogAnswersConfig() {
            @Override
            public Duration ttl() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Answers answers() {
                return new Answers() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public long maxAnswers() {
                        return maxAnswers;
                    }

                    @Override
                    public long maxBytes() {
                        return maxBytes;
                    }

                    @Override
                    public int maxAnswerBytes() {
                        return maxAnswerBytes;
                    }
                };
            }
        };
        return new CatalogAnswers(config, new SimpleMeterRegistry());
    }

    private static ByteBuffer key(String name) {
        return ByteBuffer.wrap(Hashes.sha256(name));
    }

    private static String body(int bytes) {
        return "x".repeat(bytes);
    }

    @Test
    void keepsOnlyErrorFreeUtf8AnswersThatFit() {
        CatalogAnswers answers = answers(10, 100, 60);
        long now = System.nanoTime();
        answers.keep(key("a"), body(50), now, 200, JSON);
        answers.keep(key("b"), body(50), now, 200, JSON);
        answers.keep(key("over the total"), body(10), now, 200, JSON);
        answers.keep(key("too large"), body(61), now, 200, JSON);
        answers.keep(key("no body"), null, now, 200, JSON);
        answers.keep(key("no catalog entry"), body(10), Long.MAX_VALUE, 200, JSON);
        answers.keep(key("not 200"), body(10), now, 400, JSON);
        answers.keep(key("not utf-8"), body(10), now, 200, "application/json; charset=ISO-8859-1");
        answers.keep(key("entry gone"), body(10), now - 2 * MINUTE, 200, JSON);

        assertThat(answers.kept()).isEqualTo(2);
        assertThat(answers.find(key("a")).body()).hasSize(50);
        assertThat(answers.find(key("b")).contentType()).isEqualTo(JSON);
        for (String refused : new String[] {"over the total", "too large", "no body", "no catalog entry", "not 200",
            "not utf-8", "entry gone"}) {
            assertThat(answers.find(key(refused))).as(refused).isNull();
        }
        assertThat(answers.hits()).isEqualTo(2);
    }

    @Test
    void anAnswerIsGoneWhenTheOldestEntryItRestsOnIs() throws InterruptedException {
        CatalogAnswers answers = answers(10, 1000, 1000);
        // Its catalog entry was loaded a minute less 200 ms ago: the answer has 200 ms left.
        answers.keep(key("a"), body(10), System.nanoTime() - MINUTE + 200_000_000L, 200, JSON);
        assertThat(answers.find(key("a"))).isNotNull();
        Thread.sleep(300);
        assertThat(answers.find(key("a"))).isNull();
    }

    @Test
    void theStoreUsesOnlyCaffeineClassesTheNativeImageHas() throws Exception {
        Cache<ByteBuffer, CatalogAnswers.Answer> store = CatalogAnswers.store(10, Duration.ofMinutes(1));
        store.put(key("a"), new CatalogAnswers.Answer(new byte[1], JSON, 0));
        CaffeineClasses.assertRegistered(store);
    }
}
