package io.mathdb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Key lists bound as parameters are padded to few sizes, in steps of about 1.5x, up to 256 keys. */
class KeyListSizeTest {
    @Test
    void aListIsPaddedToTheNextSizeAndLongerListsHaveNone() {
        assertThat(Sql.keyListSize(1)).isEqualTo(1);
        assertThat(Sql.keyListSize(3)).isEqualTo(3);
        assertThat(Sql.keyListSize(5)).isEqualTo(6);
        assertThat(Sql.keyListSize(33)).isEqualTo(48);
        assertThat(Sql.keyListSize(97)).isEqualTo(128);
        assertThat(Sql.keyListSize(256)).isEqualTo(256);
        assertThat(Sql.keyListSize(257)).isEqualTo(-1);
    }
}
