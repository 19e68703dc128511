package io.switchboard.server.rules;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.rules.Rule;
import io.switchboard.core.rules.RuleCompiler;
import io.switchboard.core.rules.Rules;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;

import java.util.List;

/** Compiles the configuration's {@code rules}; one that does not compile stops start-up naming it and the error's line:column. */
public final class RuleSettings {
    private RuleSettings() {
    }

    public static List<Rule> of(ServerConfig c, RuleCompiler compiler) {
        String text = (String) c.get(ConfigKeys.RULES);
        if (text == null) {
            return List.of();
        }
        try {
            return Rules.parseConfig(Json.parseTrusted(text), compiler, ConfigKeys.RULES);
        } catch (SwitchboardException e) {
            throw new ConfigException("invalid rule: " + e.getMessage());
        }
    }
}
