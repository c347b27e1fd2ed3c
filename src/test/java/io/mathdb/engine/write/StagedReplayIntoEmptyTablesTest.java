package io.mathdb.engine.write;

/**
 * {@link StagedReplayTest}'s facts hold when every move into an empty table leaves its key index until the stretch
 * ends (as long stretches do, {@code ReplayStage.DEFER_INDEX_ROWS}): the tables end as the log says and with their
 * key index, and a key repeated across moves, with no index to refuse it at the move, still names the record that
 * repeated it.
 */
class StagedReplayIntoEmptyTablesTest extends StagedReplayTest {
    @Override
    long deferIndexRows() {
        return 1;
    }
}
