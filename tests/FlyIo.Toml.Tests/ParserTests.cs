using System;
using System.Linq;
using System.Text;
using FlyIo.Toml.Syntax;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

public class ParserTests
{
    private const string Sample = "# app\r\napp = \"demo\"  # name\n\n[build]\n  image = 'x'\n[[services]]\nports = [ 80,\n  443, ]\nenv = { A = 1, b.c = true }\n";

    [Test]
    public void PositionsPointAtTheSourceText()
    {
        var root = TomlParser.Parse(Sample).Root;
        var app = root.GetEntry("app")!;
        Assert.That((app.KeyPosition.Line, app.KeyPosition.Column), Is.EqualTo((2, 1)));
        Assert.That((app.Value.Position.Line, app.Value.Position.Column), Is.EqualTo((2, 7)));
        var build = (TomlTable)root.GetEntry("build")!.Value;
        Assert.That(build.Origin, Is.EqualTo(TomlTableOrigin.Header));
        Assert.That((build.Position.Line, build.Position.Column), Is.EqualTo((4, 1)));
        Assert.That(build.GetEntry("image")!.Value.Position.Column, Is.EqualTo(11));
        var services = (TomlArray)root.GetEntry("services")!.Value;
        Assert.That(services.IsArrayOfTables, Is.True);
        var service = (TomlTable)services[0];
        Assert.That(service.Origin, Is.EqualTo(TomlTableOrigin.ArrayOfTablesElement));
        var ports = (TomlArray)service.GetEntry("ports")!.Value;
        Assert.That(ports.Select(p => ((TomlInteger)p).Value), Is.EqualTo(new long[] { 80, 443 }));
        Assert.That((ports[1].Position.Line, ports[1].Position.Column), Is.EqualTo((8, 3)));
        var env = (TomlTable)service.GetEntry("env")!.Value;
        Assert.That(env.Origin, Is.EqualTo(TomlTableOrigin.Inline));
        Assert.That(((TomlTable)env.GetEntry("b")!.Value).Origin, Is.EqualTo(TomlTableOrigin.DottedKey));
    }

    [Test]
    public void TreeKeepsEveryTokenAndGivesValueSpans()
    {
        var document = TomlParser.Parse(Sample);
        Assert.That(document.ToTomlString(), Is.EqualTo(Sample));
        var statements = document.Syntax.Statements;
        Assert.That(statements[0], Is.InstanceOf<TriviaSyntax>());
        var app = (KeyValueSyntax)statements[1];
        Assert.That(app.Key.Names, Is.EqualTo(new[] { "app" }));
        Assert.That(Sample.Substring(app.Value.Start, app.Value.Length), Is.EqualTo("\"demo\""));

        // An editor replaces one value's span and keeps everything else byte for byte.
        var edited = Sample.Substring(0, app.Value.Start) + "\"other\"" + Sample.Substring(app.Value.End);
        Assert.That(TomlParser.Parse(edited).Root.GetEntry("app")!.Value.ToString(), Is.EqualTo("other"));
        var header = (TableHeaderSyntax)statements.First(s => s is TableHeaderSyntax { IsArrayOfTables: true });
        Assert.That(header.Key.Names, Is.EqualTo(new[] { "services" }));
        RoundTripTests.AssertSpans(document);
    }

    [Test]
    public void ByteOrderMarkIsRememberedAndRestored()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("a = 1\r\n")).ToArray();
        var document = TomlParser.Parse(bytes);
        Assert.That(document.HasByteOrderMark, Is.True);
        Assert.That(document.ToTomlString(), Is.EqualTo("a = 1\r\n"));
        Assert.That(document.ToUtf8Bytes(), Is.EqualTo(bytes));
    }

    [Test]
    public void DateTimeFieldsAreFilled()
    {
        var root = TomlParser.Parse("a = 1979-05-27 07:32:00.999999999-07:00\nb = 07:32:01\nc = 2024-02-29").Root;
        var a = (TomlDateTime)root.GetEntry("a")!.Value;
        Assert.That(a.Kind, Is.EqualTo(TomlValueKind.OffsetDateTime));
        Assert.That((a.Year, a.Month, a.Day, a.Hour, a.Minute, a.Second), Is.EqualTo((1979, 5, 27, 7, 32, 0)));
        Assert.That(a.Fraction, Is.EqualTo("999999999"));
        Assert.That(a.Offset, Is.EqualTo(TimeSpan.FromHours(-7)));
        Assert.That(a.Text, Is.EqualTo("1979-05-27 07:32:00.999999999-07:00"));
        var b = (TomlDateTime)root.GetEntry("b")!.Value;
        Assert.That((b.Kind, b.Year, b.Second, b.Offset), Is.EqualTo((TomlValueKind.LocalTime, 0, 1, (TimeSpan?)null)));
        Assert.That(root.GetEntry("c")!.Value.Kind, Is.EqualTo(TomlValueKind.LocalDate));
    }

    [Test]
    public void ImplicitTableDefinedLaterTakesTheHeaderPosition()
    {
        var root = TomlParser.Parse("[a.b]\nx = 1\n[a]\ny = 2\n").Root;
        var a = (TomlTable)root.GetEntry("a")!.Value;
        Assert.That(a.Origin, Is.EqualTo(TomlTableOrigin.Header));
        Assert.That(a.Position.Line, Is.EqualTo(3));
        Assert.That(a.Entries.Select(e => e.Key), Is.EqualTo(new[] { "b", "y" }));
    }

    [TestCase("a = \"\\x41\"", "FLY0003", 1, 6)]
    [TestCase("a = \"\\uD800\"", "FLY0003", 1, 6)]
    [TestCase("a = 0x8000000000000000", "FLY0004", 1, 5)]
    [TestCase("a = 9223372036854775808", "FLY0004", 1, 5)]
    [TestCase("a = 01", "FLY0004", 1, 5)]
    [TestCase("a = 2023-02-29", "FLY0005", 1, 5)]
    [TestCase("a = 07:32", "FLY0005", 1, 5)]
    [TestCase("a = 1\na = 2", "FLY0006", 2, 1)]
    [TestCase("[a]\n[a]", "FLY0007", 2, 2)]
    [TestCase("a = {}\n[a.b]", "FLY0007", 2, 2)]
    [TestCase("a = []\n[[a]]", "FLY0007", 2, 3)]
    [TestCase("[a]\nb.c = 1\n[a.b]", "FLY0007", 3, 4)]
    [TestCase("a = 1 b = 2", "FLY0002", 1, 7)]
    [TestCase("a 1", "FLY0002", 1, 3)]
    [TestCase("a = [1, 2", "FLY0002", 1, 10)]
    [TestCase("a = \"open", "FLY0002", 1, 10)]
    [TestCase("a = 1\rb = 2", "FLY0001", 1, 6)]
    [TestCase("# bell \u0007", "FLY0001", 1, 8)]
    public void ErrorsAreLocatedAndCoded(string text, string code, int line, int column)
    {
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(text))!;
        Assert.That((error.Code, error.Line, error.Column), Is.EqualTo((code, line, column)), error.Message);
        Assert.That(error.Message, Does.Contain(error.Reason));
    }

    /// <summary>Tomlyn, the syntax layer, reads TOML 1.1; flyctl reads fly.toml as TOML 1.0 and refuses these.</summary>
    [TestCase("a = \"\\e\"", "FLY0003", 1, 6)]
    [TestCase("a = \"\"\"x\\ey\"\"\"", "FLY0003", 1, 9)]
    [TestCase("a = \"\\ \"", "FLY0003", 1, 6)]
    [TestCase("a = { b = 1,\n c = 2 }", "FLY0002", 1, 13)]
    [TestCase("a = { b = 1, }", "FLY0002", 1, 14)]
    [TestCase("a = { # c\n b = 1 }", "FLY0002", 1, 7)]
    [TestCase("a = 1979-05-27T07:32Z", "FLY0005", 1, 5)]
    [TestCase("a = 1979-05-27 07:32", "FLY0005", 1, 5)]
    [TestCase("a = 0b1000000000000000000000000000000000000000000000000000000000000000", "FLY0004", 1, 5)]
    [TestCase("\u00e9 = 1", "FLY0002", 1, 1)]
    [TestCase("a = { b = [1, 2]\n }", "FLY0002", 1, 17)]
    [TestCase("a = { b = { c = 1\n } }", "FLY0002", 1, 18)]
    [TestCase("a = { b = [ { c = 1\n } ] }", "FLY0002", 1, 20)]
    [TestCase("a = {\n b = 1 }", "FLY0002", 1, 6)]
    [TestCase("a = { b =\n 1 }", "FLY0002", 1, 10)]
    public void Toml11OnlyFormsAreRefused(string text, string code, int line, int column)
    {
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(text))!;
        Assert.That((error.Code, error.Line, error.Column), Is.EqualTo((code, line, column)), error.Message);
    }

    /// <summary>TOML 1.0 keeps inline tables on one line, except inside a value that may span lines: an array.</summary>
    [TestCase("a = { b = [1,\n 2] }")]
    [TestCase("a = { b = [ # one\n 1 ] }")]
    [TestCase("a = { b = [ { c = 1 },\n { d = 2 } ] }")]
    [TestCase("a = { b = \"\"\"x\ny\"\"\" }")]
    public void ArraysInsideInlineTablesMaySpanLines(string text)
    {
        Assert.That(TomlParser.Parse(text).Root.GetEntry("a")!.Value, Is.InstanceOf<TomlTable>());
    }

    /// <summary>The causes docs/diagnostics/FLY0001-FLY0005 name keep their codes.</summary>
    [TestCase("a = 1 # ring\u0007", "FLY0001")]
    [TestCase("a = \"x\u007Fy\"", "FLY0001")]
    [TestCase("a = 'x\u0001'", "FLY0001")]
    [TestCase("app = \"demo\" primary_region = \"ams\"", "FLY0002")]
    [TestCase("ports = [80, 443\n", "FLY0002")]
    [TestCase("[http_service\n", "FLY0002")]
    [TestCase("a = \"C:\\qemu\"", "FLY0003")]
    [TestCase("a = \"\\u12\"", "FLY0003")]
    [TestCase("a = \"\\U00110000\"", "FLY0003")]
    [TestCase("a = 08080", "FLY0004")]
    [TestCase("a = 1__000", "FLY0004")]
    [TestCase("a = 1_", "FLY0004")]
    [TestCase("a = +0x10", "FLY0004")]
    [TestCase("a = 0X10", "FLY0004")]
    [TestCase("a = 1.", "FLY0004")]
    [TestCase("a = 2023-02-29T10:00:00Z", "FLY0005")]
    [TestCase("a = 1979-05-27T24:00:00", "FLY0005")]
    [TestCase("a = 1979-05-27T07:32:00+24:00", "FLY0005")]
    public void DocumentedCausesKeepTheirCodes(string text, string code)
    {
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(text))!;
        Assert.That(error.Code, Is.EqualTo(code), error.Message);
    }

    [Test]
    public void ArraysInsideInlineTablesMaySpanLines()
    {
        var root = TomlParser.Parse("a = { b = [\n  1, # one\n  2,\n] }\n").Root;
        var a = (TomlTable)root.GetEntry("a")!.Value;
        Assert.That(((TomlArray)a.GetEntry("b")!.Value).Count, Is.EqualTo(2));
    }

    [Test]
    public void ASecondByteOrderMarkIsRefused()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, (byte)'a', (byte)'=', (byte)'1' };
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(bytes))!;
        Assert.That((error.Code, error.Line, error.Column), Is.EqualTo(("FLY0002", 1, 1)));
    }

    [Test]
    public void InvalidUtf8IsLocated()
    {
        var bytes = Encoding.UTF8.GetBytes("a = 1\nb = \"é").Concat(new byte[] { 0xC0, 0xAF, (byte)'"' }).ToArray();
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(bytes))!;
        Assert.That((error.Code, error.Line, error.Column), Is.EqualTo(("FLY0001", 2, 7)));
    }

    [Test]
    public void LoneSurrogateInStringInputIsAnEncodingError()
    {
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse("a = \"\uD800\""))!;
        Assert.That(error.Code, Is.EqualTo("FLY0001"));
    }

    [Test]
    public void MultilineStringsKeepQuotesAndTrimLineEndingBackslash()
    {
        var root = TomlParser.Parse("a = \"\"\"\nx \\\n   y\"\"\"\"\"\nb = '''''z'''''").Root;
        Assert.That(root.GetEntry("a")!.Value.ToString(), Is.EqualTo("x y\"\""));
        Assert.That(root.GetEntry("b")!.Value.ToString(), Is.EqualTo("''z''"));
    }
}
