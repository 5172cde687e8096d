package io.trustplane.telemetry.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.ingest.CounterTotal;
import io.trustplane.telemetry.repository.CounterRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Reads the windowed counters: the global series ({@code scope} empty) or one agent's own. */
@ApplicationScoped
public class CounterService {

    private final CounterRepository counters;

    public CounterService(CounterRepository counters) {
        this.counters = counters;
    }

    /** Every counter of the scope with its total over the window, by name. */
    public Uni<List<CounterTotal>> totals(String scope, int windowSeconds) {
        return counters.all(scope, windowSeconds);
    }

    /** One counter's total over the window (0 when it never moved). */
    public Uni<Long> total(String name, String scope, int windowSeconds) {
        return counters.sum(name, scope, windowSeconds);
    }
}
