package io.switchboard.core.rules;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compiling rules: type checking, error positions, bindings, what an expression references. */
class RuleCompilerTest {
    final RuleCompiler compiler = new RuleCompiler();

    /** Variables by name, as the evaluator hands them to CEL. */
    private static dev.cel.runtime.CelVariableResolver r(Map<String, Object> m) {
        return name -> java.util.Optional.ofNullable(m.get(name));
    }

    private static Map<String, Object> vars(Object data, Object newData) {
        java.util.HashMap<String, Object> m = new java.util.HashMap<>();
        m.put("auth", Evaluator.authValue(new io.switchboard.core.session.Principal("u1", "ann", null, List.of("staff"), List.of())));
        m.put("data", data);
        m.put("newData", newData);
        m.put("op", "set");
        m.put("path", "/p");
        m.put("now", java.time.Instant.now());
        m.put("request", Map.of("ip", "127.0.0.1"));
        return m;
    }

    @Test
    void aSyntaxErrorIsRefusedWithItsLineAndColumn() {
        assertThatThrownBy(() -> compiler.compile("rules.x.write", "auth.id == \n  data.owner &&", List.of()))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("rules.x.write").containsPattern("2:\\d+: ");
                });
    }

    @Test
    void aTypeErrorIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> compiler.compile("r", "op + 1 == 2", List.of()))
                .hasMessageContaining("1:4: ");
        assertThatThrownBy(() -> compiler.compile("r", "unknownVar == 1", List.of()))
                .hasMessageContaining("1:1: ").hasMessageContaining("unknownVar");
        // not a bool
        assertThatThrownBy(() -> compiler.compile("r", "1", List.of())).hasMessageContaining("bool");
    }

    @Test
    void bindingsAreStringVariablesAndMayNotShadowReservedNames() throws Exception {
        Expr e = compiler.compile("r", "userId == auth.id", List.of("userId"));
        Map<String, Object> v = vars(null, null);
        v.put("userId", "u1");
        assertThat(e.test(r(v))).isTrue();
        assertThat(e.pathDependent()).isTrue();
        assertThat(e.cacheable()).isTrue();
        assertThat(e.usesNow()).isFalse();
        assertThat(compiler.compile("r", "now > timestamp('2000-01-01T00:00:00Z')", List.of()).usesNow()).isTrue();
        assertThat(e.usesRequest()).isFalse();
        assertThat(compiler.compile("r", "request.ip == '127.0.0.1'", List.of()).usesRequest()).isTrue();
        assertThatThrownBy(() -> compiler.compile("r", "true", List.of("data"))).hasMessageContaining("reserved");
    }

    @Test
    void referencesDecideCost() {
        assertThat(compiler.compile("r", "auth.id == 'x'", List.of()).usesData()).isFalse();
        Expr d = compiler.compile("r", "data.owner == auth.id", List.of());
        assertThat(d.usesData()).isTrue();
        assertThat(d.cacheable()).isFalse();
        assertThat(compiler.compile("r", "now > timestamp('2020-01-01T00:00:00Z')", List.of()).cacheable()).isFalse();
    }

    @Test
    void changedKeysListsAddedRemovedAndChangedTopLevelKeys() throws Exception {
        Expr e = compiler.compile("r", "changedKeys(data, newData) == ['b', 'c', 'd']", List.of());
        Object data = CelValues.of(Json.parseTrusted("{\"a\":1,\"b\":2,\"c\":{\"x\":1}}"));
        Object newData = CelValues.of(Json.parseTrusted("{\"a\":1,\"b\":3,\"c\":{\"x\":2},\"d\":null}"));
        assertThat(e.test(r(vars(data, newData)))).isTrue();
        Expr none = compiler.compile("r", "changedKeys(data, newData).size() == 1", List.of());
        assertThat(none.test(r(vars(CelValues.of(null), CelValues.of(Json.parseTrusted("{\"a\":1}")))))).isTrue();
    }

    @Test
    void jsonValuesCompareAcrossNumberKindsAndNullsAreNull() throws Exception {
        Object data = CelValues.of(Json.parseTrusted("{\"n\":2,\"f\":2.5,\"z\":null,\"tags\":[\"a\"]}"));
        assertThat(compiler.compile("r", "data.n < data.f && data.n == 2 && data.z == null && 'a' in data.tags"
                + " && has(data.n) && !has(data.q)", List.of()).test(r(vars(data, null)))).isTrue();
    }

    @Test
    void aRuleNeedsAPatternAndAKnownShape() {
        assertThatThrownBy(() -> Rule.parse("r", Json.parseTrusted("{\"read\":\"true\"}"), "config", compiler, "rules[0]"))
                .hasMessageContaining("rules[0].pattern");
        assertThatThrownBy(() -> Rule.parse("r", Json.parseTrusted("{\"pattern\":\"/a\",\"reed\":\"true\"}"), "config",
                compiler, "rules[0]")).hasMessageContaining("rules[0].reed");
        assertThatThrownBy(() -> Rule.parse("r", Json.parseTrusted("{\"pattern\":\"/a\"}"), "config", compiler, "rules[0]"))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> Rule.parse("bad name", Json.parseTrusted("{\"pattern\":\"/a\",\"read\":\"true\"}"),
                "config", compiler, "rules[0]")).hasMessageContaining("rules[0].name");
        Rule r = Rule.parse("own", Json.parseTrusted("{\"pattern\":\"/users/{userId}/**\",\"write\":\"userId == auth.id\"}"),
                "config", compiler, "rules[0]");
        assertThat(Rule.bindings(r.pattern())).containsExactly("userId");
    }
}
