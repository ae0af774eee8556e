using System.Linq;
using FlyIo.Dependencies.Python;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Python;

public class PythonSourceScannerTests
{
    private static string[] Modules(string source, PyImportKind kind = PyImportKind.Runtime) =>
        PythonSourceScanner.Scan(source).Imports.Where(i => i.Kind == kind).Select(i => i.Module).ToArray();

    [Test]
    public void Plain_imports_with_dotted_names_aliases_and_commas()
    {
        Assert.That(Modules("import a.b as c, d\nimport e;import f as g\n"), Is.EqualTo(new[] { "a.b", "d", "e", "f" }));
    }

    [Test]
    public void From_imports_keep_the_module_and_the_names_and_skip_relative_ones()
    {
        var imports = PythonSourceScanner.Scan("from x.y import (a as b,\n    c)\nfrom . import z\nfrom ..pkg import w\nfrom .m import q\n").Imports;
        Assert.That(imports.Select(i => (i.Module, string.Join(",", i.Names))), Is.EqualTo(new[] { ("x.y", "a,c") }));
    }

    [Test]
    public void Positions_are_those_of_the_module_name()
    {
        var imports = PythonSourceScanner.Scan("# header\n\nfrom fastapi import FastAPI\n    \nif True:\n    import  requests\n").Imports;
        Assert.That(imports.Select(i => (i.Module, i.Line, i.Column)), Is.EqualTo(new[] { ("fastapi", 3, 6), ("requests", 6, 13) }));
    }

    [Test]
    public void Comments_and_every_string_form_hide_import_text()
    {
        const string source = "# import a\n" +
                              "x = 'import b'\n" +
                              "y = \"from c import d\"\n" +
                              "z = '''\nimport e\n'''\n" +
                              "w = r\"\"\"\nimport f\\\"\"\"\"\n" +
                              "v = b'import g'\n" +
                              "u = f\"{'import h'} {x!r:>{10}} {\"nested\"}\"\n" +
                              "t = Rb'\\' import i'\n" +
                              "s = 'a' \\\n    'import j'\n" +
                              "import real\n";
        Assert.That(Modules(source), Is.EqualTo(new[] { "real" }));
    }

    [Test]
    public void Imports_inside_functions_and_classes_still_count()
    {
        Assert.That(Modules("def f():\n    import a\n    class C:\n        from b import c\n"), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Type_checking_blocks_are_type_only_and_their_else_branch_is_not()
    {
        const string source = "from typing import TYPE_CHECKING\n" +
                              "if TYPE_CHECKING:\n    import a\n    if x:\n        import b\nelse:\n    import c\n" +
                              "if typing.TYPE_CHECKING: import d\n" +
                              "import e\n";
        Assert.Multiple(() =>
        {
            Assert.That(Modules(source, PyImportKind.TypeOnly), Is.EqualTo(new[] { "a", "b", "d" }));
            Assert.That(Modules(source), Is.EqualTo(new[] { "typing", "c", "e" }));
        });
    }

    [Test]
    public void Try_except_import_error_makes_an_import_optional_and_the_fallback_is_not()
    {
        const string source = "try:\n    import ujson as json\nexcept ImportError:\n    import json\n" +
                              "try:\n    import a\nexcept ValueError:\n    pass\n" +
                              "try: import b\nexcept (OSError, ModuleNotFoundError): b = None\n" +
                              "if sys.version_info < (3, 11):\n    import tomli\n";
        Assert.Multiple(() =>
        {
            Assert.That(Modules(source, PyImportKind.Optional), Is.EqualTo(new[] { "ujson", "b", "tomli" }));
            Assert.That(Modules(source), Is.EqualTo(new[] { "json", "a" }));
        });
    }

    [Test]
    public void Dynamic_imports_with_literal_names()
    {
        Assert.That(Modules("m = __import__('a.b')\nn = importlib.import_module(\"c\")\no = import_module(name)\np = import_module('.rel', 'pkg')\n"),
            Is.EqualTo(new[] { "a.b", "c" }));
    }

    [Test]
    public void Soft_keywords_match_and_case_are_not_blocks_when_used_as_names()
    {
        Assert.That(Modules("match = 1\nmatch command:\n    case 'x':\n        import a\nimport b\n"), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Database_url_reaching_create_engine_is_found_and_a_postgres_literal_is_noticed()
    {
        var scan = PythonSourceScanner.Scan("url = os.environ['DATABASE_URL']\nengine = create_engine(url, echo=True)\nother = create_engine('sqlite://')\n");
        Assert.That(scan.DatabaseUrlCalls.Select(c => (c.Function, c.Line)), Is.EqualTo(new[] { ("create_engine", 2) }));
        Assert.That(scan.MentionsPostgresScheme, Is.False);
        Assert.That(PythonSourceScanner.Scan("u = u.replace('postgres://', 'postgresql://')").MentionsPostgresScheme, Is.True);
    }
}
