package io.sensorrollup.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The suffix kustomize gives a generated ConfigMap or Secret (api/hasher): the SHA-256 of Go's JSON of its kind,
 * name, data (and a Secret's type), keys sorted, its first 10 hex digits with 0, 1, 3, a, e replaced so that
 * the suffix spells no word.
 */
final class KustomizeHash {

    private KustomizeHash() {
    }

    static String of(JsonNode resource) {
        Map<String, Object> encoded = new TreeMap<>();
        String kind = resource.path("kind").asText();
        encoded.put("kind", kind);
        encoded.put("name", resource.path("metadata").path("name").asText());
        encoded.put("data", sorted(resource.get("data")));
        if (kind.equals("Secret")) {
            encoded.put("type", resource.path("type").asText());
        }
        String more = kind.equals("Secret") ? "stringData" : "binaryData"; // included only when present
        if (resource.has(more)) {
            encoded.put(more, sorted(resource.get(more)));
        }
        char[] hex = HexFormat.of().formatHex(sha256(goJson(encoded))).substring(0, 10).toCharArray();
        for (int i = 0; i < hex.length; i++) {
            hex[i] = switch (hex[i]) {
                case '0' -> 'g';
                case '1' -> 'h';
                case '3' -> 'k';
                case 'a' -> 'm';
                case 'e' -> 't';
                default -> hex[i];
            };
        }
        return new String(hex);
    }

    /** A missing map encodes as "", as in kustomize. */
    private static Object sorted(JsonNode map) {
        if (map == null) {
            return "";
        }
        Map<String, Object> values = new TreeMap<>();
        map.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
        return values;
    }

    private static String goJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder json = new StringBuilder("{");
            map.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(goJson(k)).append(':').append(goJson(v)));
            return json.append('}').toString();
        }
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    // Go escapes control characters, and <, > and & so that JSON is safe in HTML
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
