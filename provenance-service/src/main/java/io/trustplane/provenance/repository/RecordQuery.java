package io.trustplane.provenance.repository;

import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.PageCursor;
import java.time.Instant;
import java.util.List;

/**
 * Filters of the record listing. Each combination matches one of the (agent_id?, creation_type?, created_at,
 * leaf_index) indexes, and the keyset condition continues the same index range.
 */
public record RecordQuery(String agentId, CreationType creationType, Instant from, Instant to, PageCursor after,
        int limit) {

    void appendWhere(StringBuilder sql, List<Object> args) {
        if (agentId != null) {
            args.add(agentId);
            sql.append(" AND r.agent_id = $").append(args.size());
        }
        if (creationType != null) {
            args.add(creationType.name());
            sql.append(" AND r.creation_type = $").append(args.size());
        }
        if (from != null) {
            args.add(LogRepository.utc(from));
            sql.append(" AND r.created_at >= $").append(args.size());
        }
        if (to != null) {
            args.add(LogRepository.utc(to));
            sql.append(" AND r.created_at < $").append(args.size());
        }
        if (after != null) {
            args.add(LogRepository.utc(after.createdAt()));
            args.add(after.leafIndex());
            sql.append(" AND (r.created_at, r.leaf_index) > ($").append(args.size() - 1).append(", $")
                    .append(args.size()).append(")");
        }
    }
}
