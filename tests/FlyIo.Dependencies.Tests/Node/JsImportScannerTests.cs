using System.Linq;
using FlyIo.Dependencies.Node;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Node;

public class JsImportScannerTests
{
    private static string[] Values(string source) =>
        JsImportScanner.Scan(source).Where(i => !i.TypeOnly).Select(i => i.Specifier).ToArray();

    private static string[] Types(string source) =>
        JsImportScanner.Scan(source).Where(i => i.TypeOnly).Select(i => i.Specifier).ToArray();

    [Test]
    public void Every_import_form()
    {
        const string source = "import x from 'a';\nimport {b1, b2 as c} from \"b\"\nimport 'c';\nimport * as d from 'd'\nimport e, { f } from 'e';\n" +
                              "export * from 'f';\nexport { g } from 'g';\nexport * as h from 'h';\nconst i = await import('i');\nconst j = require('j');\n" +
                              "import k = require('k');\nimport type from 'l';\nexport { local };\nexport const m = 1;\n";
        Assert.That(Values(source), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l" }));
    }

    [Test]
    public void Type_only_imports_and_exports_are_marked()
    {
        const string source = "import type { A } from 'a';\nimport type B from 'b';\nimport { type C, type D } from 'c';\nimport { type E, f } from 'e';\n" +
                              "export type { G } from 'g';\nexport { type H } from 'h';\nimport type * as I from 'i';\n";
        Assert.Multiple(() =>
        {
            Assert.That(Types(source), Is.EqualTo(new[] { "a", "b", "c", "g", "h", "i" }));
            Assert.That(Values(source), Is.EqualTo(new[] { "e" }));
        });
    }

    [Test]
    public void Comments_strings_templates_and_regexes_hide_import_text()
    {
        const string source = "// import a from 'a'\n/* require('b') */\nconst s = \"require('c')\";\nconst t = `import d from 'd' ${ `x ${ require('real1') }` } import('e')`;\n" +
                              "const r = /import f from 'f'/g; const q = a / b / c; if (/['\"]g/.test(s)) {}\nconst u = 'it\\'s require(\"h\")';\nimport real2 from 'real2';\n" +
                              "obj.require('i'); x.import('j');\n";
        Assert.That(Values(source), Is.EqualTo(new[] { "real1", "real2" }));
    }

    [Test]
    public void Positions_are_those_of_the_string_literal()
    {
        var imports = JsImportScanner.Scan("\n  import x from   'pkg';\nconst y = require(\"other\");\n");
        Assert.That(imports.Select(i => (i.Specifier, i.Line, i.Column)), Is.EqualTo(new[] { ("pkg", 2, 19), ("other", 3, 19) }));
    }

    [TestCase("@scope/pkg/sub/path", "@scope/pkg")]
    [TestCase("pkg/sub", "pkg")]
    [TestCase("lodash", "lodash")]
    [TestCase("@/components/x", null)]
    [TestCase("#internal/x", null)]
    [TestCase("~/x", null)]
    [TestCase("https://cdn/x.js", null)]
    public void Package_names_from_specifiers(string specifier, string? expected)
    {
        Assert.That(NodeModules.PackageName(specifier), Is.EqualTo(expected));
    }

    [TestCase("fs", true)]
    [TestCase("fs/promises", true)]
    [TestCase("node:test", true)]
    [TestCase("node:sqlite", true)]
    [TestCase("test", false)]
    [TestCase("express", false)]
    public void Builtins(string specifier, bool builtin)
    {
        Assert.That(NodeModules.IsBuiltin(specifier), Is.EqualTo(builtin));
    }
}
