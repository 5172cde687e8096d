package io.trustplane.gate.service;

import io.trustplane.gate.domain.AgentSnapshot;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.repository.AgentRepository;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registered agents held in memory so that a gate evaluation or ceiling check for a known agent does no
 * database round trip. Absence is cached too; every change to an agent evicts it here and, through pub/sub,
 * on every other replica. A load that raced an eviction is not kept.
 */
public class AgentCache {

    private final AgentRepository repository;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Optional<AgentSnapshot>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public AgentCache(AgentRepository repository, int maxEntries) {
        this.repository = repository;
        this.maxEntries = maxEntries;
    }

    /** The agent, or null if it is not registered. */
    public Uni<AgentSnapshot> get(String agentId) {
        Optional<AgentSnapshot> hit = entries.get(agentId);
        if (hit != null) {
            return Uni.createFrom().item(hit.orElse(null));
        }
        long before = generation.get();
        return repository.find(agentId).invoke(agent -> {
            if (generation.get() == before) {
                if (entries.size() >= maxEntries) {
                    entries.clear();
                }
                entries.put(agentId, Optional.ofNullable(agent));
            }
        });
    }

    public void evict(String agentId) {
        generation.incrementAndGet();
        entries.remove(agentId);
    }

    public void clear() {
        generation.incrementAndGet();
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
