package com.alloygateway.credentials;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.alloy.AlloyCredential;
import com.alloygateway.catalog.CatalogService;
import com.alloygateway.catalog.Connector;
import com.alloygateway.db.Database;
import com.alloygateway.graphql.Timestamps;
import com.alloygateway.tenancy.ProvisionedTenant;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The caller's credentials as Alloy lists them (with the caller's {@code x-alloy-userid}), with ownership
 * recorded for those the gateway has not seen yet. A credential's connector is what Alloy says: the connector
 * whose list was asked for, unless {@code type} ({@code <connectorId>-<authenticationType>}) names another, or,
 * in the list of all connectors, the catalog connector {@code type} names. One whose connector cannot be told
 * is left out (and logged), never recorded under a guess.
 */
@ApplicationScoped
public class OwnedCredentials {

    private final AlloyClient alloy;
    private final CatalogService catalog;
    private final Database db;
    private final CredentialRepository repository;

    OwnedCredentials(AlloyClient alloy, CatalogService catalog, Database db, CredentialRepository repository) {
        this.alloy = alloy;
        this.catalog = catalog;
        this.db = db;
        this.repository = repository;
    }

    /** The caller's credentials for one connector, or for all where {@code connectorId} is null. */
    public Uni<List<Credential>> list(ProvisionedTenant me, String connectorId) {
        if (connectorId != null) {
            return alloy.credentials(connectorId, me.alloyUserId()).chain(listed -> {
                if (listed.stream().allMatch(c -> typedAs(connectorId, c))) {
                    return remember(me, listed, (c, recorded) -> connectorId);
                }
                // Some type is not <connectorId>-…: whether it names another connector is the catalog's to say.
                // Without the catalog (null), only the listing's own types are taken.
                return catalog.connectors(null, null, null).onFailure().recoverWithNull()
                        .chain(connectors -> remember(me, listed,
                                (c, recorded) -> connectorOfListing(connectorId, connectors, c)));
            });
        }
        return alloy.userCredentials(me.alloyUserId())
                .chain(listed -> catalog.connectors(null, null, null)
                        .chain(connectors -> remember(me, listed, (c, recorded) -> recorded != null
                                ? recorded.connectorId
                                : connectorNamedByType(connectors, c))));
    }

    private Uni<List<Credential>> remember(ProvisionedTenant me, List<AlloyCredential> listed,
            BiFunction<AlloyCredential, CredentialOwnership, String> connectorOf) {
        if (listed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return db.write(s -> repository.findAll(s, listed.stream().map(AlloyCredential::credentialId).toList())
                .chain(known -> {
                    Map<String, CredentialOwnership> byId = known.stream()
                            .collect(Collectors.toMap(o -> o.credentialId, Function.identity()));
                    List<Credential> mine = new ArrayList<>();
                    Uni<Void> writes = Uni.createFrom().voidItem();
                    for (AlloyCredential c : listed) {
                        CredentialOwnership o = byId.get(c.credentialId());
                        if (o != null && !o.tenantId.equals(me.tenantId())) {
                            Log.warnf("Alloy listed credential %s for tenant %s, but it belongs to another tenant;"
                                    + " not shown", c.credentialId(), me.tenantId());
                            continue;
                        }
                        String connector = connectorOf.apply(c, o);
                        if (connector == null) {
                            continue;
                        }
                        if (o == null) {
                            CredentialOwnership recorded = CredentialOwnership.of(c.credentialId(), me.tenantId(),
                                    connector, authenticationType(c, connector));
                            writes = writes.chain(() -> repository.recordIfAbsent(s, recorded)).replaceWithVoid();
                        } else if (!o.connectorId.equals(connector)) {
                            Log.warnf("Credential %s is recorded for connector %s but Alloy lists it under %s;"
                                    + " not shown", c.credentialId(), o.connectorId, connector);
                            continue;
                        }
                        mine.add(toCredential(c, connector));
                    }
                    return writes.replaceWith(mine);
                }));
    }

    static Credential toCredential(AlloyCredential c, String connectorId) {
        return new Credential(c.credentialId(), connectorId, c.name(), c.type(),
                Timestamps.normalize(c.createdAt()), Timestamps.normalize(c.updatedAt()));
    }

    /**
     * The connector whose list was asked for, unless {@code type} names another catalog connector. A type that
     * names none (ALLOY-API.md gives its form as "looks like", e.g. a bare {@code oauth2}) is the listing's; with
     * no catalog to tell ({@code connectors} null), only a type of the listing's own form is.
     */
    private static String connectorOfListing(String connectorId, List<Connector> connectors, AlloyCredential c) {
        if (typedAs(connectorId, c)) {
            return connectorId;
        }
        if (connectors == null) {
            Log.warnf("Alloy listed credential %s of type %s under connector %s; not shown while the catalog"
                    + " cannot be read", c.credentialId(), c.type(), connectorId);
            return null;
        }
        if (catalogConnectorOfType(connectors, c) == null) {
            return connectorId;
        }
        Log.warnf("Alloy listed credential %s of type %s under connector %s; not shown", c.credentialId(),
                c.type(), connectorId);
        return null;
    }

    /** No type, or one of the form {@code <connectorId>-…}. */
    private static boolean typedAs(String connectorId, AlloyCredential c) {
        return c.type() == null
                || c.type().toLowerCase(Locale.ROOT).startsWith(connectorId.toLowerCase(Locale.ROOT) + "-");
    }

    /** The catalog connector {@code type} names, for the list of all connectors; logged where none. */
    private static String connectorNamedByType(List<Connector> connectors, AlloyCredential c) {
        String found = catalogConnectorOfType(connectors, c);
        if (found == null) {
            Log.warnf("Credential %s has type %s, which names no connector of the catalog; not shown",
                    c.credentialId(), c.type());
        }
        return found;
    }

    /** The catalog connector that {@code type} starts with (the longest, should ids share a prefix), or null. */
    private static String catalogConnectorOfType(List<Connector> connectors, AlloyCredential c) {
        String type = c.type() == null ? "" : c.type().toLowerCase(Locale.ROOT);
        return connectors.stream().map(Connector::id)
                .filter(id -> type.startsWith(id.toLowerCase(Locale.ROOT) + "-"))
                .max(Comparator.comparingInt(String::length))
                .orElse(null);
    }

    private static String authenticationType(AlloyCredential c, String connectorId) {
        String type = c.type();
        if (type != null && type.length() > connectorId.length() + 1
                && type.regionMatches(true, 0, connectorId + "-", 0, connectorId.length() + 1)) {
            return type.substring(connectorId.length() + 1);
        }
        return null;
    }
}
