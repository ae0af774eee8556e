using System;
using System.IO;
using System.Linq;
using FlyIo.AppModel.CSharp;
using NUnit.Framework;

namespace FlyIo.AppModel.Tests;

/// <summary>The app's C# sources, read and lexed once for every consumer.</summary>
[TestFixture]
public sealed class CSharpSourcesTests
{
    [Test]
    public void Read_keeps_the_given_order_and_leaves_out_missing_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), "flyio-sources-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var b = Path.Combine(folder, "B.cs");
            var a = Path.Combine(folder, "A.cs");
            File.WriteAllText(b, "class B {}\n");
            File.WriteAllText(a, "// a\nclass A { string s = \"x\"; }\n");

            var sources = CSharpSources.Read(new[] { b, Path.Combine(folder, "Missing.cs"), a });

            Assert.That(sources.Files.Select(f => f.Path), Is.EqualTo(new[] { b, a }));
            Assert.That(sources.Files[1].Text, Is.EqualTo(File.ReadAllText(a)));
            Assert.That(sources.Files[1].Tokens.Select(t => (t.Kind, t.Offset, t.Value)),
                Is.EqualTo(CSharpLexer.Tokenize(File.ReadAllText(a)).Select(t => (t.Kind, t.Offset, t.Value))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Locate_gives_one_based_lines_and_columns()
    {
        var file = new CSharpSourceFile("Program.cs", "var a = 1;\r\n  var b = 2;\n");
        var b = file.Tokens.Single(t => t.IsIdentifier("b"));
        Assert.That(file.Locate(0), Is.EqualTo((1, 1)));
        Assert.That(file.Locate(b.Offset), Is.EqualTo((2, 7)));
    }
}
