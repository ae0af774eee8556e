using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime;
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
    public void ParseTimeIsLinearInInputSize(string shape)
    {
        var small = Generate(shape, 50_000);
        var large = Generate(shape, 200_000);

        // Background collection of a fast-growing retained heap adds noise unrelated to the parser's own work.
        var mode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        double smallPerByte, largePerByte;
        try
        {
            smallPerByte = BestSecondsPerByte(small);
            largePerByte = BestSecondsPerByte(large);
        }
        finally
        {
            GCSettings.LatencyMode = mode;
        }

        TestContext.Out.WriteLine($"{shape}: {small.Length} chars {smallPerByte * 1e9:F2} ns/char, {large.Length} chars {largePerByte * 1e9:F2} ns/char");
        Assert.That(largePerByte, Is.LessThan(smallPerByte * 3));
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

    private static double BestSecondsPerByte(string text)
    {
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            GC.Collect();
            var watch = Stopwatch.StartNew();
            TomlParser.Parse(text);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best / text.Length;
    }
}
