using System;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

public class RobustnessTests
{
    [Test]
    public void DeeplyNestedArraysFailWithNestingError()
    {
        var text = "a = " + new string('[', 100_000);
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(text))!;
        Assert.That(error.Code, Is.EqualTo("FLY0008"));
        Assert.That((error.Line, error.Column), Is.EqualTo((1, 5 + 512)));
    }

    [Test]
    public void DeeplyNestedInlineTablesFailWithNestingError()
    {
        var text = "a = " + string.Concat(Enumerable.Repeat("{a=", 100_000));
        var error = Assert.Throws<TomlParseException>(() => TomlParser.Parse(text))!;
        Assert.That(error.Code, Is.EqualTo("FLY0008"));
    }

    [Test]
    public void NestingUpToTheLimitParses()
    {
        var text = "a = " + new string('[', 512) + new string(']', 512);
        var value = TomlParser.Parse(text).Root.Entries[0].Value;
        Assert.That(value, Is.InstanceOf<TomlArray>());
    }

    [TestCase("keys")]
    [TestCase("strings")]
    [TestCase("arrays")]
    public void ParseWorkIsLinearInInputSize(string shape)
    {
        // Bytes allocated per input character, not seconds: a count that does not depend on what else the machine is
        // doing (timings live in build/bench.sh toml). Work that copies what came before, the usual way a reader
        // turns quadratic, shows as allocation that grows with the input.
        var small = Generate(shape, 50_000);
        var large = Generate(shape, 200_000);
        var smallPerChar = AllocatedBytesPerChar(small);
        var largePerChar = AllocatedBytesPerChar(large);

        TestContext.Out.WriteLine($"{shape}: {small.Length} chars {smallPerChar:F1} B/char, {large.Length} chars {largePerChar:F1} B/char");
        Assert.That(largePerChar, Is.LessThan(smallPerChar * 1.5));
    }

    internal static string Generate(string shape, int count)
    {
        var builder = new StringBuilder();
        switch (shape)
        {
            case "keys":
                for (var i = 0; i < count; i++)
                {
                    builder.Append("key_").Append(i).Append(" = ").Append(i).Append(" # comment\n");
                }

                break;
            case "strings":
                builder.Append("s = \"");
                for (var i = 0; i < count; i++)
                {
                    builder.Append("abc\\u00e9 ");
                }

                builder.Append("\"\nm = '''\n").Append('x', count * 4).Append("\n'''\n");
                break;
            default:
                builder.Append("a = [");
                for (var i = 0; i < count; i++)
                {
                    builder.Append(i).Append(", { x = 1.5, y = \"z\" }, ");
                }

                builder.Append("]\n");
                break;
        }

        return builder.ToString();
    }

    private static double AllocatedBytesPerChar(string text)
    {
        TomlParser.Parse(text); // first use: JIT and static data are not the parser's work per character
        var before = GC.GetAllocatedBytesForCurrentThread();
        TomlParser.Parse(text);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)text.Length;
    }
}
