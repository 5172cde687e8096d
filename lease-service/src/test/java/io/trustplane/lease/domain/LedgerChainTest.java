package io.trustplane.lease.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerChainTest {

    private static List<LedgerChain.Stored> chain(int n) {
        List<LedgerChain.Stored> out = new ArrayList<>();
        String prev = LedgerChain.GENESIS_PREV;
        for (int i = 0; i < n; i++) {
            String body = "{\"seq\":" + i + "}";
            String hash = LedgerChain.hash(body, prev);
            out.add(new LedgerChain.Stored(i, body, prev, hash));
            prev = hash;
        }
        return out;
    }

    @Test
    void anIntactChainIsValid() {
        assertThat(LedgerChain.verify(chain(5))).isEqualTo(new LedgerChain.Verification(true, null, List.of(), 5));
    }

    @Test
    void anEditedEntryIsTamperedAndARehashedOneBreaksTheChain() {
        List<LedgerChain.Stored> c = chain(5);
        c.set(2, new LedgerChain.Stored(2, "{\"seq\":2,\"x\":1}", c.get(2).prevHash(), c.get(2).hash()));
        assertThat(LedgerChain.verify(c).tamperedEntries()).containsExactly(2L);
        assertThat(LedgerChain.verify(c).brokenChainAt()).isNull();

        List<LedgerChain.Stored> d = chain(5);
        String body = "{\"seq\":2,\"x\":1}";
        d.set(2, new LedgerChain.Stored(2, body, d.get(2).prevHash(), LedgerChain.hash(body, d.get(2).prevHash())));
        LedgerChain.Verification v = LedgerChain.verify(d);
        assertThat(v.valid()).isFalse();
        assertThat(v.tamperedEntries()).isEmpty();
        assertThat(v.brokenChainAt()).isEqualTo(3L);
    }

    @Test
    void aDeletedEntryOrMissingGenesisIsABreak() {
        List<LedgerChain.Stored> c = chain(5);
        c.remove(3);
        assertThat(LedgerChain.verify(c).brokenChainAt()).isEqualTo(3L);
        List<LedgerChain.Stored> g = chain(3);
        g.remove(0);
        assertThat(LedgerChain.verify(g).brokenChainAt()).isEqualTo(0L);
        assertThat(LedgerChain.verify(List.of()).valid()).isFalse();
    }
}
