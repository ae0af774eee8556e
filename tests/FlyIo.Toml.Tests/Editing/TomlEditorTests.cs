using System;
using System.IO;
using System.Text;
using System.Threading;
using FlyIo.Toml.Editing;
using NUnit.Framework;

namespace FlyIo.Toml.Tests.Editing;

public class TomlEditorTests
{
    private static readonly TomlPath ReleaseCommand = TomlPath.Parse("deploy.release_command");

    private static string Set(string source, string path, string value)
    {
        var editor = TomlEditor.Parse(source);
        editor.SetString(TomlPath.Parse(path), value);
        return editor.Text;
    }

    [Test]
    public void ReplacingAValueKeepsQuotingCommentAndLayout()
    {
        var source = "app = \"x\"\n\n[deploy]\n  strategy   =   'rolling'   # keep me\n  release_command = \"old\" # and me\n";
        var editor = TomlEditor.Parse(source);
        Assert.That(editor.SetString(ReleaseCommand, "migrate --all"), Is.True);
        Assert.That(editor.SetString(TomlPath.Parse("deploy.strategy"), "canary"), Is.True);
        Assert.That(editor.Text, Is.EqualTo("app = \"x\"\n\n[deploy]\n  strategy   =   'canary'   # keep me\n  release_command = \"migrate --all\" # and me\n"));
    }

    [Test]
    public void LiteralStringFallsBackToBasicWhenTheValueHasAQuote()
    {
        var result = Set("[deploy]\nrelease_command = 'a'\n", "deploy.release_command", "it's \"x\"\\");
        Assert.That(result, Is.EqualTo("[deploy]\nrelease_command = \"it's \\\"x\\\"\\\\\"\n"));
        Assert.That(((TomlTable)TomlParser.Parse(result).Root.GetEntry("deploy")!.Value).GetEntry("release_command")!.Value.ToString(), Is.EqualTo("it's \"x\"\\"));
    }

    [Test]
    public void ControlCharactersAreEscaped()
    {
        var value = "a\tb\nc\u0001\u007f";
        var result = Set("", "deploy.release_command", value);
        Assert.That(result, Does.Contain("\"a\\tb\\nc\\u0001\\u007F\""));
        var deploy = (TomlTable)TomlParser.Parse(result).Root.GetEntry("deploy")!.Value;
        Assert.That(deploy.GetEntry("release_command")!.Value.ToString(), Is.EqualTo(value));
    }

    [Test]
    public void NewKeyGoesAfterTheLastKeyOfTheTableWithItsIndentation()
    {
        var source = "app = \"x\"\n\n[deploy]\n    strategy = \"rolling\"\n    # a comment\n    max_unavailable = 1\n\n[env]\n  A = \"1\"\n";
        var result = Set(source, "deploy.release_command", "migrate");
        Assert.That(result, Is.EqualTo("app = \"x\"\n\n[deploy]\n    strategy = \"rolling\"\n    # a comment\n    max_unavailable = 1\n    release_command = \"migrate\"\n\n[env]\n  A = \"1\"\n"));
    }

    [Test]
    public void NewDeployTableGoesAfterTopLevelKeysBeforeTheFirstTable()
    {
        var source = "# fly.toml app configuration file\n\napp = \"x\"\nprimary_region = \"iad\"\n\n# how to build\n[build]\n  dockerfile = \"Dockerfile\"\n\n[http_service]\n  internal_port = 8080\n";
        var result = Set(source, "deploy.release_command", "migrate");
        Assert.That(result, Is.EqualTo("# fly.toml app configuration file\n\napp = \"x\"\nprimary_region = \"iad\"\n\n[deploy]\n  release_command = \"migrate\"\n\n# how to build\n[build]\n  dockerfile = \"Dockerfile\"\n\n[http_service]\n  internal_port = 8080\n"));
    }

    [Test]
    public void NewDeployTableWithoutAnyTableIsAppended()
    {
        Assert.That(Set("app = \"x\"", "deploy.release_command", "m"), Is.EqualTo("app = \"x\"\n\n[deploy]\nrelease_command = \"m\"\n"));
        Assert.That(Set("", "deploy.release_command", "m"), Is.EqualTo("[deploy]\nrelease_command = \"m\"\n"));
    }

    [Test]
    public void TopLevelDottedDeployKeysGetADottedSibling()
    {
        var source = "app = \"x\"\ndeploy.strategy = \"immediate\"\nkill_timeout = 5\n\n[env]\nA = \"1\"\n";
        var result = Set(source, "deploy.release_command", "migrate");
        Assert.That(result, Is.EqualTo("app = \"x\"\ndeploy.strategy = \"immediate\"\ndeploy.release_command = \"migrate\"\nkill_timeout = 5\n\n[env]\nA = \"1\"\n"));
    }

    [Test]
    public void DeployDefinedThroughADottedSubTableKey()
    {
        var source = "[deploy]\nrelease_command_vm.size = \"shared-cpu-2x\"\n";
        Assert.That(Set(source, "deploy.release_command", "migrate"), Is.EqualTo("[deploy]\nrelease_command_vm.size = \"shared-cpu-2x\"\nrelease_command = \"migrate\"\n"));
        Assert.That(Set(source, "deploy.release_command_vm.memory", "1gb"), Is.EqualTo("[deploy]\nrelease_command_vm.size = \"shared-cpu-2x\"\nrelease_command_vm.memory = \"1gb\"\n"));
    }

    [Test]
    public void ImplicitDeployTableFromASubTableHeaderGetsOneExplicitHeader()
    {
        var source = "app = \"x\"\n\n[deploy.release_command_vm]\n  size = \"shared-cpu-2x\"\n";
        var result = Set(source, "deploy.release_command", "migrate");
        Assert.That(result, Is.EqualTo("app = \"x\"\n\n[deploy.release_command_vm]\n  size = \"shared-cpu-2x\"\n\n[deploy]\n  release_command = \"migrate\"\n"));
        Assert.That(TomlParser.Parse(result).Root.GetEntry("deploy"), Is.Not.Null);
    }

    [Test]
    public void InlineDeployTableGetsAMember()
    {
        var result = Set("deploy = { strategy = \"rolling\" } # c\n", "deploy.release_command", "migrate");
        Assert.That(result, Is.EqualTo("deploy = { strategy = \"rolling\", release_command = \"migrate\" } # c\n"));
        var editor = TomlEditor.Parse(result);
        Assert.That(editor.Remove(ReleaseCommand), Is.True);
        Assert.That(editor.Text, Is.EqualTo("deploy = { strategy = \"rolling\" } # c\n"));
    }

    [Test]
    public void CrlfAndByteOrderMarkArePreserved()
    {
        var source = "\uFEFFapp = \"x\"\r\n\r\n[http_service]\r\n  internal_port = 8080\r\n";
        var bytes = Encoding.UTF8.GetBytes(source);
        Assert.That(bytes[0], Is.EqualTo(0xEF));
        var editor = TomlEditor.FromBytes(bytes);
        editor.SetString(ReleaseCommand, "migrate");
        var result = editor.ToBytes();
        Assert.That(result[0], Is.EqualTo(0xEF));
        Assert.That(Encoding.UTF8.GetString(result, 3, result.Length - 3), Is.EqualTo("app = \"x\"\r\n\r\n[deploy]\r\n  release_command = \"migrate\"\r\n\r\n[http_service]\r\n  internal_port = 8080\r\n"));
        editor.Remove(ReleaseCommand);
        Assert.That(editor.ToBytes(), Is.EqualTo(bytes));
    }

    [Test]
    public void RemovingTheOnlyKeyOfAnAddedTableRestoresTheOriginal()
    {
        var source = "app = \"x\"\n\n[build]\n  image = \"y\"\n";
        var editor = TomlEditor.Parse(source);
        editor.SetString(ReleaseCommand, "m");
        Assert.That(editor.Text, Is.Not.EqualTo(source));
        Assert.That(editor.Remove(ReleaseCommand), Is.True);
        Assert.That(editor.Text, Is.EqualTo(source));
        Assert.That(editor.Remove(ReleaseCommand), Is.False);
    }

    [Test]
    public void RemovingAKeyKeepsATableThatHasOtherContent()
    {
        var editor = TomlEditor.Parse("[deploy]\n  # note\n  release_command = \"m\"\n");
        editor.Remove(ReleaseCommand);
        Assert.That(editor.Text, Is.EqualTo("[deploy]\n  # note\n"));
    }

    [Test]
    public void RemovingTheLastLineWithoutNewline()
    {
        var editor = TomlEditor.Parse("a = 1\nb = 2");
        editor.Remove(TomlPath.Parse("b"));
        Assert.That(editor.Text, Is.EqualTo("a = 1"));
    }

    [Test]
    public void IntegerBooleanAndRawValues()
    {
        var editor = TomlEditor.Parse("[http_service]\n  internal_port = 3000 # port\n");
        editor.SetInteger(TomlPath.Parse("http_service.internal_port"), 8080);
        editor.SetBoolean(TomlPath.Parse("http_service.force_https"), true);
        editor.SetRaw(TomlPath.Parse("http_service.concurrency.hard_limit"), "25");
        Assert.That(editor.Text, Is.EqualTo("[http_service]\n  internal_port = 8080 # port\n  force_https = true\n  concurrency.hard_limit = 25\n"));
    }

    [Test]
    public void TablesAndArrayOfTablesEntries()
    {
        var source = "app = \"x\"\n\n[[services]]\n  internal_port = 8080\n  [[services.ports]]\n    port = 80\n\n# vm sizes\n[[vm]]\n  size = \"shared-cpu-1x\"\n";
        var editor = TomlEditor.Parse(source);
        var index = editor.AddArrayTableEntry(TomlPath.Parse("services"));
        Assert.That(index, Is.EqualTo(1));
        editor.SetInteger(new TomlPath("services", 1, "internal_port"), 9090);
        editor.SetInteger(new TomlPath("services", 0, "ports", 0, "port"), 81);
        Assert.That(editor.Text, Is.EqualTo("app = \"x\"\n\n[[services]]\n  internal_port = 8080\n  [[services.ports]]\n    port = 81\n\n[[services]]\n  internal_port = 9090\n\n# vm sizes\n[[vm]]\n  size = \"shared-cpu-1x\"\n"));
        var services = (TomlArray)editor.Document.Root.GetEntry("services")!.Value;
        Assert.That(services.Count, Is.EqualTo(2));

        Assert.That(editor.Remove(new TomlPath("services", 0)), Is.True);
        Assert.That(editor.Text, Is.EqualTo("app = \"x\"\n\n[[services]]\n  internal_port = 9090\n\n# vm sizes\n[[vm]]\n  size = \"shared-cpu-1x\"\n"));
        Assert.That(editor.AddTable(TomlPath.Parse("env")), Is.True);
        Assert.That(editor.AddTable(TomlPath.Parse("env")), Is.False);
        Assert.That(editor.Remove(TomlPath.Parse("vm")), Is.False, "vm is an array of tables: remove its elements by index");
        Assert.That(editor.Remove(new TomlPath("vm", 0)), Is.True);
        Assert.That(editor.Text, Is.EqualTo("app = \"x\"\n\n[env]\n\n[[services]]\n  internal_port = 9090\n\n# vm sizes\n"));
        Assert.Throws<InvalidOperationException>(() => editor.SetInteger(new TomlPath("services", 5, "internal_port"), 1));
    }

    [Test]
    public void AnEditThatWouldBreakTheDocumentThrows()
    {
        var editor = TomlEditor.Parse("deploy = \"not a table\"\n");
        Assert.Throws<InvalidOperationException>(() => editor.SetString(ReleaseCommand, "m"));
        Assert.That(editor.Text, Is.EqualTo("deploy = \"not a table\"\n"));
    }

    [Test]
    public void SaveIsAtomicAndSkipsUnchangedFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), "flytoml-edit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "fly.toml");
            File.WriteAllText(path, "app = \"x\"\n");
            var editor = TomlEditor.Load(path);
            editor.SetString(ReleaseCommand, "migrate");
            Assert.That(editor.SaveIfChanged(path), Is.True);
            var written = File.ReadAllBytes(path);
            var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(path, stamp);

            var again = TomlEditor.Load(path);
            Assert.That(again.SetString(ReleaseCommand, "migrate"), Is.False);
            Assert.That(again.SaveIfChanged(path), Is.False);
            Assert.That(File.GetLastWriteTimeUtc(path), Is.EqualTo(stamp));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(written));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file left behind");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Test]
    public void PathParsing()
    {
        Assert.That(TomlPath.Parse("services[0].\"a.b\"").Segments, Is.EqualTo(new object[] { "services", 0, "a.b" }));
        Assert.That(TomlPath.Parse("services[0].\"a.b\"").ToString(), Is.EqualTo("services[0].\"a.b\""));
        Assert.Throws<FormatException>(() => TomlPath.Parse("a..b"));
        Assert.Throws<FormatException>(() => TomlPath.Parse("a."));
    }
}
