package io.mathdb.engine.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.mathdb.engine.MathDbException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupPlannerTest {
    /** Keys 0..9 of table a and b exist; a probe that is free answers from a set, one that is not "queries". */
    private static KeyProbeOf probe(boolean free) {
        return new KeyProbeOf(free, Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L));
    }

    private record KeyProbeOf(boolean free, Set<Object> keys) implements GroupPlanner.KeyProbe {
        @Override
        public Set<Object> existing(String table, Collection<Object> wanted) {
            Set<Object> found = new HashSet<>(wanted);
            found.retainAll(keys);
            return found;
        }

        @Override
        public boolean free(String table) {
            return free;
        }
    }

    @Test
    void insertsIntoTablesWithKnownKeysArePlannedAsTheKeyByKeySimulationPlansThem() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            List<List<RowChange>> group = new ArrayList<>();
            for (int r = random.nextInt(6) + 1; r > 0; r--) {
                List<RowChange> request = new ArrayList<>();
                for (int c = random.nextInt(4) + 1; c > 0; c--) {
                    String table = random.nextBoolean() ? "a" : "b";
                    request.add(new RowChange(RowChange.Kind.INSERT, table, (long) random.nextInt(30), null, null));
                }
                group.add(request);
            }
            GroupPlanner.Plan known = GroupPlanner.plan(group, probe(true), false);
            GroupPlanner.Plan simulated = GroupPlanner.plan(group, probe(false), true);
            assertThat(messages(known)).as("group %s", group).isEqualTo(messages(simulated));
            assertThat(known.rows()).isEqualTo(simulated.rows());
            assertThat(known.runs()).isEqualTo(simulated.runs());
        }
    }

    @Test
    void aRequestThatFailsLeavesItsKeysFreeForALaterRequest() {
        RowChange newKey = new RowChange(RowChange.Kind.INSERT, "a", 100L, null, null);
        RowChange existingKey = new RowChange(RowChange.Kind.INSERT, "a", 1L, null, null);
        GroupPlanner.Plan plan = GroupPlanner.plan(List.of(List.of(newKey, existingKey), List.of(newKey)),
                probe(true), false);

        assertThat(messages(plan)).containsExactly("table 'a': key 1 already exists", null);
        assertThat(plan.runs()).singleElement().satisfies(run -> assertThat(run.changes()).containsExactly(newKey));
    }

    @Test
    void aKeyRepeatedWithinARequestIsToldApartFromOneAnEarlierRequestInserted() {
        RowChange k = new RowChange(RowChange.Kind.INSERT, "a", 100L, null, null);
        GroupPlanner.Plan plan = GroupPlanner.plan(List.of(List.of(k), List.of(k), List.of(
                new RowChange(RowChange.Kind.INSERT, "a", 200L, null, null),
                new RowChange(RowChange.Kind.INSERT, "a", 200L, null, null))), probe(true), false);

        assertThat(messages(plan)).containsExactly(null, "table 'a': key 100 already exists",
                "table 'a': key 200 appears more than once in the request");
    }

    private static List<String> messages(GroupPlanner.Plan plan) {
        List<String> messages = new ArrayList<>();
        for (MathDbException failure : plan.failures()) {
            messages.add(failure == null ? null : failure.getMessage());
        }
        return messages;
    }
}
