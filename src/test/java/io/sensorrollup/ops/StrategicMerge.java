package io.sensorrollup.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A strategic-merge patch as Kubernetes applies it to the fields k8s/ patches: maps merge, a null removes, lists
 * with a merge key (containers by name, volumes by name, ...) merge element by element, other lists are replaced.
 * Directives ({@code $patch}, ...) are not implemented and fail.
 */
final class StrategicMerge {

    /** The patchMergeKey of the Kubernetes API types, by list field. */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumeMounts", "mountPath", "volumes", "name", "imagePullSecrets", "name",
            "topologySpreadConstraints", "topologyKey");

    private StrategicMerge() {
    }

    static void apply(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("$")) {
                throw new AssertionError("patch directive " + key + " is not implemented");
            }
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current != null && current.isObject()) {
                apply((ObjectNode) current, value);
            } else if (value.isArray() && current != null && current.isArray() && mergeKey(key, value) != null) {
                mergeList((ArrayNode) current, value, mergeKey(key, value));
            } else {
                target.set(key, value.deepCopy());
            }
        });
    }

    private static String mergeKey(String field, JsonNode list) {
        if (field.equals("ports")) { // a container's ports merge by containerPort, a Service's by port
            return list.path(0).has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static void mergeList(ArrayNode current, JsonNode patch, String key) {
        for (JsonNode element : patch) {
            ObjectNode match = null;
            for (JsonNode existing : current) {
                if (existing.path(key).equals(element.path(key))) {
                    match = (ObjectNode) existing;
                }
            }
            if (match == null) {
                current.add(element.deepCopy());
            } else {
                apply(match, element);
            }
        }
    }
}
