package io.sensorrollup.source.pulsar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The subscription's acknowledged position of a partition (its cursor's mark-delete position), from the
 * broker's internal statistics of the partition, and its ledgers' sizes. A restore checks its state against it.
 */
@ApplicationScoped
@UnlessBuildProfile("embedded")
class AcknowledgedPositions {

    private final PulsarTopicAdmin admin;
    private final PulsarSourceConfig config;
    private final ObjectMapper json = new ObjectMapper();

    AcknowledgedPositions(PulsarTopicAdmin admin, PulsarSourceConfig config) {
        this.admin = admin;
        this.config = config;
    }

    /** {ledger, entry} of the mark-delete position; empty when the subscription does not exist yet. */
    CompletionStage<Optional<long[]>> of(int partition) {
        return internalStats(partition).thenApply(stats -> stats.flatMap(this::markDelete));
    }

    /** The partition's ledgers, oldest first, with the number of entries each holds. */
    CompletionStage<SortedMap<Long, Long>> ledgerEntries(int partition) {
        return internalStats(partition).thenApply(stats -> {
            SortedMap<Long, Long> entries = new TreeMap<>();
            stats.ifPresent(root -> {
                JsonNode ledgers = root.path("ledgers");
                for (int i = 0; i < ledgers.size(); i++) {
                    boolean current = i == ledgers.size() - 1;
                    // the ledger being written is listed with 0 entries: its count is reported apart
                    entries.put(ledgers.get(i).path("ledgerId").asLong(), current
                            ? root.path("currentLedgerEntries").asLong() : ledgers.get(i).path("entries").asLong());
                }
            });
            return entries;
        });
    }

    private CompletionStage<Optional<JsonNode>> internalStats(int partition) {
        String path = "/admin/v2/" + PartitionTopics.partitionName(config.topic(), partition).replace("://", "/")
                + "/internalStats";
        return admin.sendAsync(HttpRequest.newBuilder(admin.uri(path)).GET()).thenApply(response -> {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            try {
                if (response.statusCode() != 200) {
                    throw new IOException("internal stats of partition " + partition + " answered HTTP " + response.statusCode());
                }
                return Optional.of(json.readTree(response.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private Optional<long[]> markDelete(JsonNode stats) {
        JsonNode cursor = stats.path("cursors").path(config.subscription());
        String markDelete = cursor.path("markDeletePosition").asText("");
        int colon = markDelete.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new long[] {Long.parseLong(markDelete.substring(0, colon)),
                Long.parseLong(markDelete.substring(colon + 1))});
    }
}
