package io.switchboard.core.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Nesting depth of a JSON tree, measured without recursion (a hostile tree must not overflow
 * the stack): a scalar is 0, an object or array is one more than its deepest member.
 */
public final class JsonDepth {
    private JsonDepth() {
    }

    /** True when {@code node} nests deeper than {@code max} containers. */
    public static boolean exceeds(JsonNode node, int max) {
        if (node == null || !node.isContainerNode()) {
            return false;
        }
        Deque<JsonNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(node);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int d = depths.pop();
            if (d > max) {
                return true;
            }
            for (JsonNode child : n) {
                if (child.isContainerNode()) {
                    nodes.push(child);
                    depths.push(d + 1);
                }
            }
        }
        return false;
    }
}
