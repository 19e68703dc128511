package io.switchboard.core.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rule function {@code changedKeys(a, b)}: the top-level keys whose values differ between
 * two documents (added, removed or changed), in a's order then b's. A document that is not an
 * object (null, absent) counts as having no keys. This is what makes "fields a user may not
 * change" and "fields that may be changed" one short expression.
 */
final class ChangedKeys {
    static final String NAME = "changedKeys";
    static final String OVERLOAD = "changedKeys_dyn_dyn";

    private ChangedKeys() {
    }

    static List<String> of(Object a, Object b) {
        Map<?, ?> x = a instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> y = b instanceof Map<?, ?> m ? m : Map.of();
        Set<Object> keys = new LinkedHashSet<>(x.keySet());
        keys.addAll(y.keySet());
        List<String> out = new ArrayList<>();
        for (Object k : keys) {
            if (x.containsKey(k) != y.containsKey(k) || !Objects.equals(x.get(k), y.get(k))) {
                out.add(String.valueOf(k));
            }
        }
        return out;
    }
}
