package io.sensorrollup.source;

/**
 * Whether a decoded string can be stored as it is (CONTRACT §1): no U+0000 (PostgreSQL's text refuses it) and
 * no unpaired surrogate (UTF-8 cannot encode one: Java writes '?' instead, so the JSON string "\\ud800a" would
 * become the id "?a" of another device).
 */
final class StringContent {

    private StringContent() {
    }

    static boolean isStorable(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
