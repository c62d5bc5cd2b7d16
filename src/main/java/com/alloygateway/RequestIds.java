package com.alloygateway;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plain token, else a new UUID.
 * It is echoed in the response and put in the logging context, so each log line of the request carries it
 * (JSON logs in prod: the {@code mdc.requestId} field).
 */
@ApplicationScoped
class RequestIds {

    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    void install(@Observes Filters filters) {
        // Above the security filters (200), so refused requests are traceable too.
        filters.register(rc -> {
            String id = rc.request().getHeader(HEADER);
            if (id == null || !SAFE.matcher(id).matches()) {
                id = UUID.randomUUID().toString();
            }
            MDC.put("requestId", id);
            rc.response().putHeader(HEADER, id);
            rc.next();
        }, 500);
    }
}
