package io.switchboard.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ServerConfig} from the three sources of SPEC section 1, applied in order so
 * the later wins: YAML file, then environment variables {@code SWITCHBOARD_<PATH>}, then
 * command-line flags. Unknown keys (in the file or the flags) and bad values stop start-up
 * with a message naming the key. Unknown {@code SWITCHBOARD_*} env vars are ignored, because
 * the environment also carries variables that are not keys (e.g. SWITCHBOARD_ADMIN_PASSWORD).
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {
    }

    /**
     * @param file  the YAML file, or null
     * @param env   the environment (usually {@code System.getenv()})
     * @param flags dotted key → text value from the command line
     */
    public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        ServerConfig c = ServerConfig.defaults();
        if (file != null) {
            for (Map.Entry<String, Object> e : readYaml(file).entrySet()) {
                c = c.with(e.getKey(), e.getValue(), file.toString());
            }
        }
        for (Map.Entry<String, ConfigKey> e : ConfigKeys.all().entrySet()) {
            String v = env.get(e.getValue().envName());
            if (v != null) {
                c = c.with(e.getKey(), v, "env " + e.getValue().envName());
            }
        }
        // SPEC section 1 names this variable without the AUTH_ part; the key's own name also works.
        String adminPw = env.get("SWITCHBOARD_ADMIN_PASSWORD");
        if (adminPw != null && c.adminPassword() == null) {
            c = c.with(ConfigKeys.AUTH_ADMIN_PASSWORD, adminPw, "env SWITCHBOARD_ADMIN_PASSWORD");
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            c = c.with(e.getKey(), e.getValue(), "command line");
        }
        return c;
    }

    /** Flattens the YAML tree to dotted keys; a key whose value is a list keeps the list. */
    static Map<String, Object> readYaml(Path file) {
        JsonNode root;
        try {
            root = Files.exists(file) ? YAML.readTree(file.toFile()) : null;
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        if (root == null && !Files.exists(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException("configuration file " + file + " must hold a mapping of keys");
        }
        flatten("", root, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            // A mapping below a key that is not itself a leaf key is a section: descend.
            if (v.isObject() && ConfigKeys.get(key) == null) {
                flatten(key, v, out);
            } else {
                out.put(key, toJava(v, key));
            }
        }
    }

    private static Object toJava(JsonNode v, String key) {
        if (v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(n -> l.add(n.isValueNode() ? toJava(n, key) : n.toString()));
            return l;
        }
        if (v.isObject()) {
            return Map.of("object", v.toString());
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        return v.asText();
    }
}
