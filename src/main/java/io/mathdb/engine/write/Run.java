package io.mathdb.engine.write;

import java.util.List;

/**
 * Consecutive changes of one kind to one table, applied as one set operation. Planning guarantees that applying
 * the runs of a group in order equals applying its requests one by one.
 */
public record Run(RowChange.Kind kind, String table, List<RowChange> changes) {
}
