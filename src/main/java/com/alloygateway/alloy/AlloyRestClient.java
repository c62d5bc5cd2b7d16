package com.alloygateway.alloy;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import io.smallrye.mutiny.Uni;

/**
 * Alloy's Connectivity API as a reactive REST client. Bodies stay JSON text both ways; an error status becomes
 * an {@link AlloyHttpException} (read by {@link AlloyErrors}). Only {@link AlloyCalls} uses this interface.
 */
@RegisterRestClient(configKey = "alloy")
@RegisterClientHeaders(AlloyHeaders.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface AlloyRestClient {

    String USER_HEADER = "x-alloy-userid";

    /** Every error status, in either of Alloy's error forms, as one typed exception. */
    @ClientExceptionMapper
    static RuntimeException toAlloyError(Response response) {
        return AlloyErrors.fromResponse(response);
    }

    @GET
    @Path("/connectors")
    Uni<RestResponse<String>> connectors();

    @GET
    @Path("/connectors/{connectorId}/resources")
    Uni<RestResponse<String>> resources(@PathParam("connectorId") String connectorId);

    @GET
    @Path("/connectors/{connectorId}/actions/{actionId}")
    Uni<RestResponse<String>> action(@PathParam("connectorId") String connectorId,
            @PathParam("actionId") String actionId);

    @GET
    @Path("/connectors/{connectorId}/credentials/metadata")
    Uni<RestResponse<String>> credentialMetadata(@PathParam("connectorId") String connectorId);

    @POST
    @Path("/users")
    Uni<RestResponse<String>> createUser(String body);

    @GET
    @Path("/users/{userIdOrUsername}")
    Uni<RestResponse<String>> user(@PathParam("userIdOrUsername") String userIdOrUsername);

    @GET
    @Path("/connectors/{connectorId}/credentials")
    Uni<RestResponse<String>> credentials(@PathParam("connectorId") String connectorId,
            @HeaderParam(USER_HEADER) String userId);

    @GET
    @Path("/users/{userId}/credentials")
    Uni<RestResponse<String>> userCredentials(@PathParam("userId") String userId,
            @HeaderParam(USER_HEADER) String userIdHeader);

    @POST
    @Path("/connectors/{connectorId}/credentials")
    Uni<RestResponse<String>> createCredential(@PathParam("connectorId") String connectorId,
            @HeaderParam(USER_HEADER) String userId, String body);

    @DELETE
    @Path("/connectors/{connectorId}/credentials/{credentialId}")
    Uni<RestResponse<String>> deleteCredential(@PathParam("connectorId") String connectorId,
            @PathParam("credentialId") String credentialId, @HeaderParam(USER_HEADER) String userId);

    @POST
    @Path("/connectors/{connectorId}/actions/{actionId}/execute")
    Uni<RestResponse<String>> execute(@PathParam("connectorId") String connectorId,
            @PathParam("actionId") String actionId, @HeaderParam(USER_HEADER) String userId, String body);
}
