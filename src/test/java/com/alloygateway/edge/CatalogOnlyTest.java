package com.alloygateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import graphql.parser.Parser;

/** Which documents are catalog-only, so that their answers may be kept for everyone ({@link CatalogAnswers}). */
class CatalogOnlyTest {

    private static boolean catalogOnly(String document) {
        return DocumentLimits.catalogOnly(Parser.parse(document));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ connectors { id name } }",
        "query Tree { connector(id: \"hubspot\") { resources { actions { details { path } } } } }",
        "{ __typename action(connectorId: \"a\", id: \"b\") { id } resources(connectorId: \"a\") { name } }",
        "query { ...Roots } fragment Roots on Query { connectors { id } credentialRequirements(connectorId: \"a\") { authenticationType } }",
        "query { ... on Query { connectors { id } } }",
        "query($c: ID!) { connector(id: $c) @include(if: true) { id } }",
    })
    void catalogQueries(String document) {
        assertThat(catalogOnly(document)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ me { subject } }",
        "{ connectors { id } me { subject } }",
        "{ connectors { id } credentials(connectorId: \"hubspot\") { id } }",
        "query { ...Mixed } fragment Mixed on Query { connectors { id } executions { edges { node { id } } } }",
        "query { ... on Query { me { subject } } }",
        "{ __type(name: \"Connector\") { name } }",
        "{ __schema { types { name } } }",
        "mutation { createUser { alloyUserId } }",
        "subscription { oauthFlow(id: \"x\") { status } }",
        "query A { connectors { id } } query B { connectors { id } }",
        "query { ...Missing }",
        "query { ...Loop } fragment Loop on Query { ...Loop }",
    })
    void queriesTouchingATenantOrSomethingElse(String document) {
        assertThat(catalogOnly(document)).isFalse();
    }
}
