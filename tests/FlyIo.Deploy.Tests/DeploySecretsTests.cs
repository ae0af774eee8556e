using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Deploy.Secrets;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>The secrets a deploy sets: FlySecret items over a real dotenv file on disk.</summary>
[TestFixture]
public sealed class DeploySecretsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "secrets-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string DotEnv(string text)
    {
        var path = Path.Combine(_dir, ".env.fly");
        File.WriteAllText(path, text);
        return path;
    }

    private static SecretRequest Item(string name, string value = "", string fromEnvironment = "", bool unset = false) =>
        new(name, value, fromEnvironment, unset, "/src/App/App.csproj");

    [Test]
    public void The_dotenv_file_reads_quotes_comments_exports_and_multi_line_values()
    {
        var file = DotEnv("# comment\n\nexport PLAIN=abc # trailing\nSINGLE='a #b'\nDOUBLE=\"x\\ny\\\"z\"\nPEM=\"-----BEGIN-----\nline\n-----END-----\"\r\n");
        var diagnostics = new List<FlyDiagnostic>();
        var secrets = DeploySecrets.Resolve(Array.Empty<SecretRequest>(), file, diagnostics);
        Assert.That(diagnostics, Is.Empty);
        Assert.That(secrets["PLAIN"], Is.EqualTo("abc"));
        Assert.That(secrets["SINGLE"], Is.EqualTo("a #b"));
        Assert.That(secrets["DOUBLE"], Is.EqualTo("x\ny\"z"));
        Assert.That(secrets["PEM"], Is.EqualTo("-----BEGIN-----\nline\n-----END-----"));
    }

    [Test]
    public void A_bad_line_is_located_and_its_content_never_shown()
    {
        var file = DotEnv("GOOD=1\nnot a pair s3cr3t-value\nOPEN=\"never closed\n");
        var diagnostics = new List<FlyDiagnostic>();
        DeploySecrets.Resolve(Array.Empty<SecretRequest>(), file, diagnostics);
        Assert.That(diagnostics.Select(d => (d.Code, d.Line)), Is.EqualTo(new[] { (FlyCodes.SecretsFileInvalid.Code, 2), (FlyCodes.SecretsFileInvalid.Code, 3) }));
        Assert.That(diagnostics.Select(d => d.Message), Has.None.Contains("s3cr3t").And.None.Contains("never closed\""));
    }

    [Test]
    public void Items_win_over_the_file_and_unset_is_null()
    {
        var file = DotEnv("A=from-file\nB=from-file\nC=from-file\n");
        var variable = "FLYIO_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var diagnostics = new List<FlyDiagnostic>();
            var secrets = DeploySecrets.Resolve(new[] { Item("A", value: "from-item"), Item("B", fromEnvironment: variable), Item("C", unset: true) }, file, diagnostics);
            Assert.That(diagnostics, Is.Empty);
            Assert.That(secrets, Is.EquivalentTo(new Dictionary<string, string?> { ["A"] = "from-item", ["B"] = "from-env", ["C"] = null }));

            var names = DeploySecrets.Names(new[] { Item("B", fromEnvironment: "UNSET_" + variable), Item("C", unset: true) }, file);
            Assert.That(names.Set, Is.EquivalentTo(new[] { "A", "B" }), "names need no variable to be set");
            Assert.That(names.Unset, Is.EquivalentTo(new[] { "C" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestCase("1BAD", "v", "", false, "not a valid environment variable name")]
    [TestCase("BOTH", "v", "VAR", false, "needs exactly one of")]
    [TestCase("NONE", "", "", false, "needs exactly one of")]
    [TestCase("MISSING", "", "FLYIO_TEST_NEVER_SET_VARIABLE", false, "which is not set")]
    public void A_bad_item_is_reported_in_the_project_that_defines_it(string name, string value, string fromEnvironment, bool unset, string says)
    {
        var diagnostics = new List<FlyDiagnostic>();
        var secrets = DeploySecrets.Resolve(new[] { Item(name, value, fromEnvironment, unset) }, null, diagnostics);
        Assert.That(secrets, Is.Empty);
        var d = diagnostics.Single();
        Assert.That((d.Code, d.File), Is.EqualTo((FlyCodes.SecretWithoutValue.Code, "/src/App/App.csproj")));
        Assert.That(d.Message, Does.Contain(says));
    }

    [Test]
    public void A_missing_file_is_an_error()
    {
        var diagnostics = new List<FlyDiagnostic>();
        DeploySecrets.Resolve(Array.Empty<SecretRequest>(), Path.Combine(_dir, "absent.env"), diagnostics);
        Assert.That(diagnostics.Single().Code, Is.EqualTo(FlyCodes.SecretsFileInvalid.Code));
    }
}
