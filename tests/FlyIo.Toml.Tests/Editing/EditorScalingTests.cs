using System;
using System.Linq;
using System.Text;
using FlyIo.Toml.Editing;
using NUnit.Framework;

namespace FlyIo.Toml.Tests.Editing;

/// <summary>
/// The editor's work grows linearly with the number of key segments. Counted in bytes allocated per segment, a figure
/// that does not depend on the machine's load (timings live in build/bench.sh): a path that copied itself per segment
/// allocated in proportion to the square of the key's length, and a 100,000-segment key stalled an edit for minutes.
/// </summary>
[TestFixture]
public sealed class EditorScalingTests
{
    private static byte[] DottedKey(int segments) =>
        Encoding.UTF8.GetBytes("app = \"a\"\n" + string.Join(".", Enumerable.Range(0, segments).Select(i => "k" + i)) + " = 1\n");

    private static double AllocatedPerSegment(int segments)
    {
        var bytes = DottedKey(segments);
        Edit(bytes); // JIT and statics are not per-segment work
        var before = GC.GetAllocatedBytesForCurrentThread();
        Edit(bytes);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)segments;
    }

    private static void Edit(byte[] bytes)
    {
        var editor = TomlEditor.FromBytes(bytes);
        editor.SetString(TomlPath.Parse("deploy.release_command"), "migrate");
        Assert.That(editor.ToBytes().Length, Is.GreaterThan(bytes.Length));
    }

    [Test]
    public void An_edit_beside_a_key_of_many_segments_costs_the_same_per_segment_at_any_length()
    {
        var small = AllocatedPerSegment(5_000);
        var large = AllocatedPerSegment(20_000);

        TestContext.Out.WriteLine($"5,000 segments: {small:F0} B/segment; 20,000 segments: {large:F0} B/segment");
        Assert.That(large, Is.LessThan(small * 1.5));
    }
}
