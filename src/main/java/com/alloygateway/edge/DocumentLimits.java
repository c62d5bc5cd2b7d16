package com.alloygateway.edge;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

/**
 * Checks a parsed document against the edge's limits before anything runs: aliases, repeats of one field in a
 * selection, directives, depth, introspection, and an estimate of the upstream calls it may cause (each field
 * that can call Alloy or the database counts, once per occurrence: aliases multiply it).
 */
final class DocumentLimits {

    /** Fields that can call Alloy or the database (uncached catalog loads included). */
    static final Set<String> UPSTREAM_FIELDS = Set.of("me", "createUser", "credentials", "credential",
            "createCredential", "deleteCredential", "executeAction", "executions", "execution", "oauthFlow",
            "connectors", "connector", "resources", "action", "details", "credentialRequirements");

    /**
     * Root fields whose answers are account-wide catalog data, the same for every tenant (with everything
     * beneath them: connectors' resources, actions' details, credential requirements).
     */
    static final Set<String> CATALOG_ROOTS = Set.of("connectors", "connector", "resources", "action",
            "credentialRequirements", "__typename");

    /**
     * Whether the document is one query whose every root field is in {@link #CATALOG_ROOTS} (through fragments),
     * so that its answer holds nothing of any tenant.
     */
    static boolean catalogOnly(Document document) {
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        OperationDefinition operation = null;
        for (Definition<?> d : document.getDefinitions()) {
            if (d instanceof FragmentDefinition f) {
                fragments.put(f.getName(), f);
            } else if (d instanceof OperationDefinition op) {
                if (operation != null) {
                    return false;
                }
                operation = op;
            } else {
                return false;
            }
        }
        return operation != null && operation.getOperation() == OperationDefinition.Operation.QUERY
                && catalogRoots(operation.getSelectionSet(), fragments, new HashSet<>());
    }

    private static boolean catalogRoots(SelectionSet set, Map<String, FragmentDefinition> fragments,
            Set<String> onPath) {
        for (Selection<?> s : set.getSelections()) {
            boolean catalog;
            if (s instanceof Field f) {
                catalog = CATALOG_ROOTS.contains(f.getName());
            } else if (s instanceof InlineFragment i) {
                catalog = catalogRoots(i.getSelectionSet(), fragments, onPath);
            } else if (s instanceof FragmentSpread spread) {
                FragmentDefinition f = fragments.get(spread.getName());
                catalog = f != null && onPath.add(spread.getName())
                        && catalogRoots(f.getSelectionSet(), fragments, onPath);
                onPath.remove(spread.getName());
            } else {
                catalog = false;
            }
            if (!catalog) {
                return false;
            }
        }
        return true;
    }

    /** Why a document is refused: a stable {@code reason} and a message. */
    record Refusal(String reason, String message) {
    }

    private final LimitsConfig limits;

    DocumentLimits(LimitsConfig limits) {
        this.limits = limits;
    }

    /** The first limit the document breaks, or null. */
    Refusal check(Document document) {
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (Definition<?> d : document.getDefinitions()) {
            if (d instanceof FragmentDefinition f) {
                fragments.put(f.getName(), f);
            }
        }
        Walk walk = new Walk(fragments);
        for (Definition<?> d : document.getDefinitions()) {
            if (d instanceof OperationDefinition op) {
                walk.directives += op.getDirectives().size();
                walk.selections(op.getSelectionSet(), 1, new HashSet<>());
            } else if (d instanceof FragmentDefinition f) {
                walk.directives += f.getDirectives().size();
                walk.countAliasesAndDirectives(f.getSelectionSet());
            }
        }
        if (walk.introspection && !limits.introspection()) {
            return new Refusal("INTROSPECTION_DISABLED",
                    "Introspection is off; the schema is published at /graphql/schema.graphql");
        }
        if (walk.aliases > limits.maxAliases()) {
            return new Refusal("TOO_MANY_ALIASES", "More than " + limits.maxAliases() + " aliases");
        }
        if (walk.maxRepeats > limits.maxFieldRepeats()) {
            return new Refusal("FIELD_REPEATED",
                    "A field is asked more than " + limits.maxFieldRepeats() + " times in one selection");
        }
        if (walk.directives > limits.maxDirectives()) {
            return new Refusal("TOO_MANY_DIRECTIVES", "More than " + limits.maxDirectives() + " directives");
        }
        if (walk.depth > limits.maxDepth()) {
            return new Refusal("TOO_DEEP", "Selections nested deeper than " + limits.maxDepth());
        }
        if (walk.upstream > limits.upstreamCallsPerRequest()) {
            return new Refusal("UPSTREAM_BUDGET",
                    "The request may cause more than " + limits.upstreamCallsPerRequest() + " upstream calls");
        }
        return null;
    }

    /** One pass over the operations, following fragment spreads (each fragment once per path). */
    private static final class Walk {
        final Map<String, FragmentDefinition> fragments;
        int aliases;
        int directives;
        int depth;
        int maxRepeats;
        int upstream;
        boolean introspection;

        Walk(Map<String, FragmentDefinition> fragments) {
            this.fragments = fragments;
        }

        void selections(SelectionSet set, int level, Set<String> onPath) {
            if (set == null) {
                return;
            }
            depth = Math.max(depth, level);
            Map<String, Integer> repeats = new HashMap<>();
            for (Selection<?> s : set.getSelections()) {
                if (s instanceof Field f) {
                    if (f.getAlias() != null) {
                        aliases++;
                    }
                    directives += f.getDirectives().size();
                    maxRepeats = Math.max(maxRepeats, repeats.merge(f.getResultKey(), 1, Integer::sum));
                    if (f.getName().equals("__schema")) {
                        introspection = true;
                    }
                    if (UPSTREAM_FIELDS.contains(f.getName())) {
                        upstream++;
                    }
                    selections(f.getSelectionSet(), level + 1, onPath);
                } else if (s instanceof InlineFragment i) {
                    directives += i.getDirectives().size();
                    selections(i.getSelectionSet(), level, onPath);
                } else if (s instanceof FragmentSpread spread) {
                    directives += spread.getDirectives().size();
                    FragmentDefinition f = fragments.get(spread.getName());
                    if (f != null && onPath.add(spread.getName())) {
                        // Counted where it is spread; its own aliases and directives once, in countAliasesAndDirectives.
                        int aliasesBefore = aliases;
                        int directivesBefore = directives;
                        selections(f.getSelectionSet(), level, onPath);
                        aliases = aliasesBefore;
                        directives = directivesBefore;
                        onPath.remove(spread.getName());
                    }
                }
            }
        }

        /** A fragment's aliases and directives, counted once however often it is spread. */
        void countAliasesAndDirectives(SelectionSet set) {
            if (set == null) {
                return;
            }
            for (Selection<?> s : set.getSelections()) {
                List<Directive> ds = s instanceof Field f ? f.getDirectives()
                        : s instanceof InlineFragment i ? i.getDirectives()
                        : s instanceof FragmentSpread sp ? sp.getDirectives() : List.of();
                directives += ds.size();
                if (s instanceof Field f) {
                    if (f.getAlias() != null) {
                        aliases++;
                    }
                    countAliasesAndDirectives(f.getSelectionSet());
                } else if (s instanceof InlineFragment i) {
                    countAliasesAndDirectives(i.getSelectionSet());
                }
            }
        }
    }
}
