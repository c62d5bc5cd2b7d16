package com.alloygateway.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Calls to WireMock held at the door until the test lets them go, so a test can act while a call is known to
 * be in flight instead of betting on a fixed delay. {@link AlloyWireMock} registers the {@link Filter} on its
 * server; a path nobody holds passes straight through.
 */
public final class HeldCalls {

    /** How long {@link Held#awaitArrived()} waits for the call to reach WireMock. */
    private static final Duration ARRIVAL = Duration.ofSeconds(5);
    /** Only for a hold nobody releases (a test failed first): WireMock's thread is never kept for good. */
    private static final Duration SAFETY = Duration.ofSeconds(10);

    private static final Map<String, Held> HELD = new ConcurrentHashMap<>();

    private HeldCalls() {
    }

    /**
     * Holds every request to {@code urlPath} (the path, without query) until {@link Held#release()} or
     * {@link Held#close()}. Use in try-with-resources, so a failing test still lets the calls go.
     */
    public static Held hold(String urlPath) {
        Held held = new Held(urlPath);
        if (HELD.putIfAbsent(urlPath, held) != null) {
            throw new IllegalStateException(urlPath + " is held already");
        }
        return held;
    }

    /** One held path: whether a call has arrived, and the gate it waits at. */
    public static final class Held implements AutoCloseable {
        private final String urlPath;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger arrivals = new AtomicInteger();

        private Held(String urlPath) {
            this.urlPath = urlPath;
        }

        /** Blocks until a call to the path has reached WireMock (and is being held); fails after five seconds. */
        public void awaitArrived() throws InterruptedException {
            if (!arrived.await(ARRIVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no call to " + urlPath + " reached WireMock within " + ARRIVAL);
            }
        }

        /** How many calls to the path have reached WireMock since the hold began. */
        public int arrivals() {
            return arrivals.get();
        }

        /** Lets every held call, and every later one, go on to its stub. */
        public void release() {
            released.countDown();
        }

        /** Releases, and stops holding the path. */
        @Override
        public void close() {
            release();
            HELD.remove(urlPath, this);
        }

        private void arriveAndWait() {
            arrivals.incrementAndGet();
            arrived.countDown();
            try {
                released.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The WireMock side: a request to a held path waits for its release before it is matched to a stub. */
    public static final class Filter implements StubRequestFilterV2 {

        @Override
        public String getName() {
            return "held-calls";
        }

        @Override
        public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
            String url = request.getUrl();
            int query = url.indexOf('?');
            Held held = HELD.get(query < 0 ? url : url.substring(0, query));
            if (held != null) {
                held.arriveAndWait();
            }
            return RequestFilterAction.continueWith(request);
        }
    }
}
