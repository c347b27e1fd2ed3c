package io.mathdb.engine.write;

import io.mathdb.engine.ErrorCode;
import io.mathdb.engine.MathDbException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, before anything touches the store, which requests of a drained group succeed, and turns the changes of
 * the successful ones into {@link Run}s. It replays the group against the existence of each key it touches, so one
 * client's duplicate key or missing row fails that client's request only, and a request that fails changes nothing.
 *
 * <p>Keys first seen in an insert are not looked up ({@code probeInserts == false}): the table's key index in the
 * store rejects a wrong guess, and the writer then plans the group again with every key looked up. Most groups are
 * inserts of new keys, and this saves them a join.
 */
public final class GroupPlanner {
    /** Looks up which of {@code keys} exist in {@code table} before the group is applied. */
    public interface KeyProbe {
        Set<Object> existing(String table, Collection<Object> keys);

        /** Whether {@link #existing} answers for {@code table} without a query. */
        default boolean free(String table) {
            return false;
        }
    }

    /** Per request: its failure or null, and the rows it changed; then the runs of the successful ones. */
    public record Plan(MathDbException[] failures, long[] rows, List<Run> runs) {
    }

    private GroupPlanner() {
    }

    public static Plan plan(List<List<RowChange>> requests, KeyProbe probe, boolean probeInserts) {
        if (!probeInserts && onlyInsertsAndUpserts(requests) && !freeToProbe(requests, probe)) {
            return unprobed(requests);
        }
        if (onlyInserts(requests) && freeToProbe(requests, probe)) {
            return knownKeyInserts(requests, probe);
        }
        Map<String, Map<Object, Boolean>> exists = probe(requests, probe, probeInserts);
        MathDbException[] failures = new MathDbException[requests.size()];
        long[] rows = new long[requests.size()];
        List<RowChange> applied = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            Map<String, Map<Object, Boolean>> local = new HashMap<>();
            List<RowChange> emitted = new ArrayList<>();
            try {
                for (RowChange change : requests.get(r)) {
                    RowChange effective = simulate(change, exists, local);
                    if (effective != null) {
                        emitted.add(effective);
                    }
                }
            } catch (MathDbException e) {
                failures[r] = e;
                continue;
            }
            local.forEach((table, keys) -> exists.computeIfAbsent(table, t -> new HashMap<>()).putAll(keys));
            applied.addAll(emitted);
            rows[r] = emitted.size();
        }
        return new Plan(failures, rows, runs(applied));
    }

    /** Whether every table of the group can be probed without a query: then planning costs no more than trusting. */
    private static boolean freeToProbe(List<List<RowChange>> requests, KeyProbe probe) {
        String checked = null;
        for (List<RowChange> request : requests) {
            for (RowChange change : request) {
                if (!change.table().equals(checked)) {
                    if (!probe.free(change.table())) {
                        return false;
                    }
                    checked = change.table();
                }
            }
        }
        return true;
    }

    private static boolean onlyInserts(List<List<RowChange>> requests) {
        return every(requests, kind -> kind == RowChange.Kind.INSERT);
    }

    private static boolean onlyInsertsAndUpserts(List<List<RowChange>> requests) {
        return every(requests, kind -> kind == RowChange.Kind.INSERT || kind == RowChange.Kind.UPSERT);
    }

    private static boolean every(List<List<RowChange>> requests, Predicate<RowChange.Kind> kinds) {
        for (List<RowChange> request : requests) {
            for (RowChange change : request) {
                if (!kinds.test(change.kind())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A group of inserts trusted to be new keys, and upserts, needs no simulation and no lookups: every request
     * succeeds as it is. Inserts go to the table's appender; upserts to the store as upserts, which finds existing
     * keys through the key index ({@code INSERT ... ON CONFLICT DO UPDATE}) instead of a scan per group.
     * An inserted key that exists or repeats is caught by the key index, after which the group is planned again
     * with every key looked up. These are the common groups, and per-key maps over a 1000-row batch cost the writer
     * as much as a fifth of its time.
     */
    private static Plan unprobed(List<List<RowChange>> requests) {
        long[] rows = new long[requests.size()];
        List<RowChange> all = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            rows[r] = requests.get(r).size();
            all.addAll(requests.get(r));
        }
        return new Plan(new MathDbException[requests.size()], rows, runs(all));
    }

    /**
     * Plain inserts into tables whose keys are known without a query: the plan {@link #simulate} would make, with
     * one set add per key instead of its per-key maps, which took a third of the writer's time on 1000-row batches.
     * A request fails on its first key that exists in the table, was inserted by an earlier request of the group,
     * or repeats within the request; its keys are then taken back out of the group's set.
     */
    private static Plan knownKeyInserts(List<List<RowChange>> requests, KeyProbe probe) {
        Map<String, Set<Object>> existing = new HashMap<>();
        Map<String, Set<Object>> inserted = new HashMap<>();
        groupKeysByTable(requests).forEach((table, keys) -> {
            existing.put(table, probe.existing(table, keys));
            inserted.put(table, new HashSet<>(keys.size() * 2));
        });
        MathDbException[] failures = new MathDbException[requests.size()];
        long[] rows = new long[requests.size()];
        List<RowChange> applied = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            List<RowChange> request = requests.get(r);
            failures[r] = insertKeys(request, existing, inserted);
            if (failures[r] == null) {
                applied.addAll(request);
                rows[r] = request.size();
            }
        }
        return new Plan(failures, rows, runs(applied));
    }

    private static Map<String, List<Object>> groupKeysByTable(List<List<RowChange>> requests) {
        Map<String, List<Object>> keys = new HashMap<>();
        String table = null;
        List<Object> tableKeys = null;
        for (List<RowChange> request : requests) {
            for (RowChange change : request) {
                if (!change.table().equals(table)) {
                    table = change.table();
                    tableKeys = keys.computeIfAbsent(table, t -> new ArrayList<>());
                }
                tableKeys.add(change.key());
            }
        }
        return keys;
    }

    /** Adds the request's keys to {@code inserted}, or none of them and returns why the request fails. */
    private static MathDbException insertKeys(List<RowChange> request, Map<String, Set<Object>> existing,
                                              Map<String, Set<Object>> inserted) {
        String table = null;
        Set<Object> present = null;
        Set<Object> taken = null;
        for (int i = 0; i < request.size(); i++) {
            RowChange change = request.get(i);
            if (!change.table().equals(table)) {
                table = change.table();
                present = existing.get(table);
                taken = inserted.get(table);
            }
            MathDbException failure = null;
            if (present.contains(change.key())) {
                failure = duplicate(change, false);
            } else if (!taken.add(change.key())) {
                failure = duplicate(change, request.subList(0, i).stream()
                        .anyMatch(c -> c.table().equals(change.table()) && c.key().equals(change.key())));
            }
            if (failure != null) {
                for (RowChange added : request.subList(0, i)) {
                    inserted.get(added.table()).remove(added.key());
                }
                return failure;
            }
        }
        return null;
    }

    private static RowChange simulate(RowChange change, Map<String, Map<Object, Boolean>> exists,
                                      Map<String, Map<Object, Boolean>> local) {
        Map<Object, Boolean> mine = local.computeIfAbsent(change.table(), t -> new HashMap<>());
        Boolean known = mine.get(change.key());
        boolean inRequest = known != null;
        if (known == null) {
            known = exists.getOrDefault(change.table(), Map.of()).get(change.key());
        }
        boolean present = known != null && known;
        switch (change.kind()) {
            case INSERT -> {
                if (present) {
                    throw duplicate(change, inRequest);
                }
                mine.put(change.key(), true);
                return change;
            }
            case INSERT_IGNORE -> {
                if (present) {
                    return null;
                }
                mine.put(change.key(), true);
                return new RowChange(RowChange.Kind.INSERT, change.table(), change.key(), change.values(), null);
            }
            case UPSERT -> {
                // The key's existence is known (upserts are probed), so the upsert becomes the cheaper of the two
                // exact operations: an in-place UPDATE of an existing row, or an append of a new one. DuckDB's
                // INSERT OR REPLACE deletes and re-inserts through the index instead.
                mine.put(change.key(), true);
                return new RowChange(present ? RowChange.Kind.REPLACE : RowChange.Kind.INSERT, change.table(),
                        change.key(), change.values(), null);
            }
            case REPLACE, PATCH -> {
                if (!present) {
                    throw missing(change);
                }
                return change;
            }
            case DELETE -> {
                if (!present) {
                    throw missing(change);
                }
                mine.put(change.key(), false);
                return change;
            }
            default -> throw new IllegalStateException(change.kind().toString());
        }
    }

    /** Looks up every key whose first change in the group needs to know whether it exists. */
    private static Map<String, Map<Object, Boolean>> probe(List<List<RowChange>> requests, KeyProbe probe,
                                                            boolean probeInserts) {
        Map<String, Map<Object, Boolean>> firstKind = new LinkedHashMap<>();
        Map<String, Boolean> probeAll = new HashMap<>(); // per table: inserts too, when probing is free
        for (List<RowChange> request : requests) {
            for (RowChange change : request) {
                boolean all = probeAll.computeIfAbsent(change.table(), t -> probeInserts || probe.free(t));
                firstKind.computeIfAbsent(change.table(), t -> new LinkedHashMap<>())
                        .putIfAbsent(change.key(), needsProbe(change.kind(), all));
            }
        }
        Map<String, Map<Object, Boolean>> exists = new HashMap<>();
        firstKind.forEach((table, keys) -> {
            List<Object> wanted = new ArrayList<>();
            keys.forEach((key, needed) -> {
                if (needed) {
                    wanted.add(key);
                }
            });
            Map<Object, Boolean> known = new HashMap<>();
            if (!wanted.isEmpty()) {
                Set<Object> found = probe.existing(table, wanted);
                for (Object key : wanted) {
                    known.put(key, found.contains(key));
                }
            }
            exists.put(table, known);
        });
        return exists;
    }

    private static boolean needsProbe(RowChange.Kind kind, boolean probeInserts) {
        return switch (kind) {
            case INSERT -> probeInserts;
            default -> true;
        };
    }

    private static List<Run> runs(List<RowChange> changes) {
        List<Run> runs = new ArrayList<>();
        List<RowChange> current = new ArrayList<>();
        for (RowChange change : changes) {
            if (!current.isEmpty() && (current.get(0).kind() != change.kind()
                    || !current.get(0).table().equals(change.table()))) {
                runs.add(new Run(current.get(0).kind(), current.get(0).table(), current));
                current = new ArrayList<>();
            }
            current.add(change);
        }
        if (!current.isEmpty()) {
            runs.add(new Run(current.get(0).kind(), current.get(0).table(), current));
        }
        return runs;
    }

    private static MathDbException duplicate(RowChange change, boolean inRequest) {
        return new MathDbException(ErrorCode.DUPLICATE_KEY, "table '" + change.table() + "': key " + show(change.key())
                + (inRequest ? " appears more than once in the request" : " already exists"));
    }

    private static MathDbException missing(RowChange change) {
        return new MathDbException(ErrorCode.NO_SUCH_ROW, "table '" + change.table() + "' has no row with key "
                + show(change.key()));
    }

    static String show(Object key) {
        return key instanceof String s ? "'" + s + "'" : String.valueOf(key);
    }
}
