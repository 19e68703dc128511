package io.switchboard.core.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import io.switchboard.core.error.SwitchboardException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles and type-checks rule expressions (CEL) once, against the variables every rule sees
 * ({@link Vars}) plus the {@code {name}} bindings of its pattern, each a string. An expression
 * must yield a bool. A source that does not compile is refused (BAD_REQUEST) with the position
 * of the first error as {@code line:column}, both counted from 1.
 */
public final class RuleCompiler {
    private final Cel base;

    public RuleCompiler() {
        CelBuilder b = CelFactory.standardCelBuilder()
                .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(SimpleType.BOOL)
                .addVar(Vars.AUTH, SimpleType.DYN)
                .addVar(Vars.DATA, SimpleType.DYN)
                .addVar(Vars.NEW_DATA, SimpleType.DYN)
                .addVar(Vars.OP, SimpleType.STRING)
                .addVar(Vars.NOW, SimpleType.TIMESTAMP)
                .addVar(Vars.PATH, SimpleType.STRING)
                .addVar(Vars.REQUEST, MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(ChangedKeys.NAME,
                        CelOverloadDecl.newGlobalOverload(ChangedKeys.OVERLOAD, "top-level keys whose values differ",
                                ListType.create(SimpleType.STRING), SimpleType.DYN, SimpleType.DYN)))
                .addFunctionBindings(CelFunctionBinding.from(ChangedKeys.OVERLOAD, Object.class, Object.class,
                        ChangedKeys::of));
        base = b.build();
    }

    /**
     * Compiles one expression.
     *
     * @param field    what to name in an error ({@code rules.owner.write})
     * @param bindings the {@code {name}} variables of the rule's pattern
     */
    public Expr compile(String field, String source, List<String> bindings) {
        if (source == null || source.isBlank()) {
            throw SwitchboardException.badRequest(field, "must be a non-empty CEL expression");
        }
        Cel cel = base;
        if (!bindings.isEmpty()) {
            CelBuilder b = base.toCelBuilder();
            for (String name : bindings) {
                if (Vars.RESERVED.contains(name)) {
                    throw SwitchboardException.badRequest(field, "binds {" + name + "}, which is a reserved variable name");
                }
                b.addVar(name, SimpleType.STRING);
            }
            cel = b.build();
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = cel.compile(source).getAst();
        } catch (CelValidationException e) {
            throw SwitchboardException.badRequest(field, "does not compile: " + describe(e));
        }
        try {
            Set<String> refs = new HashSet<>();
            for (CelReference r : ast.getReferenceMap().values()) {
                if (!r.name().isEmpty()) {
                    refs.add(r.name());
                }
            }
            return new Expr(source, cel.createProgram(ast), refs, Set.copyOf(bindings));
        } catch (CelEvaluationException e) {
            throw SwitchboardException.badRequest(field, "cannot be planned: " + e.getMessage());
        }
    }

    /** {@code 1:7: message} for the first error (columns counted from 1). */
    private static String describe(CelValidationException e) {
        List<CelIssue> errors = e.getErrors();
        if (errors.isEmpty()) {
            return e.getMessage();
        }
        CelIssue first = errors.get(0);
        CelSourceLocation at = first.getSourceLocation();
        String pos = at.getLine() > 0 ? at.getLine() + ":" + (at.getColumn() + 1) + ": " : "";
        return pos + first.getMessage();
    }
}
