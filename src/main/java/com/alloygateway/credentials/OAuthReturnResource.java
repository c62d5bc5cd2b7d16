package com.alloygateway.credentials;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.alloygateway.graphql.GatewayException;

import io.smallrye.mutiny.Uni;

/**
 * Where Alloy's hosted consent sends the end user's browser: a public route (the browser carries no token;
 * the unguessable flow id is the capability), which ends the flow and redirects to the app.
 */
@Path(OAuthFlowService.RETURN_PATH + "{flowId}")
public class OAuthReturnResource {

    private final OAuthFlowService flows;

    OAuthReturnResource(OAuthFlowService flows) {
        this.flows = flows;
    }

    @GET
    public Uni<Response> browserReturned(@PathParam("flowId") String flowId) {
        return flows.complete(flowId)
                .onFailure(GatewayException.class)
                .recoverWithItem(e -> OAuthFlowService.Return.page(409, "This connection cannot be completed."))
                .map(OAuthReturnResource::toResponse);
    }

    private static Response toResponse(OAuthFlowService.Return answer) {
        Response.ResponseBuilder response = answer.redirect() != null
                ? Response.seeOther(answer.redirect())
                : Response.status(answer.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .entity("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Connection</title>"
                                + "</head><body><p>" + answer.message() + "</p></body></html>");
        // The flow id is a one-time capability: keep it out of caches and out of Referer headers.
        return response.header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
