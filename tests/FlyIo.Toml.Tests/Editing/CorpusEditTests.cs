using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.Toml.Editing;
using NUnit.Framework;

namespace FlyIo.Toml.Tests.Editing;

/// <summary>Sets, then removes, deploy.release_command in every shared fly.toml; only the intended lines may change.</summary>
public class CorpusEditTests
{
    private const string Command = "dotnet-ef \"quoted\" \\ migrate";
    private static readonly TomlPath ReleaseCommand = TomlPath.Parse("deploy.release_command");

    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.FlyTomlFiles))]
    public void SetAndRemoveReleaseCommand(string relative)
    {
        var result = Edit(SharedCorpus.FlyTomlPath(relative));
        Assert.That(result.Problems, Is.Empty, string.Join("\n", result.Problems));
    }

    [Test]
    public void Summary()
    {
        var root = RepoPaths_RequireFlyToml();
        var rows = new List<EditResult>();
        foreach (var relative in SharedCorpus.FlyTomlFiles())
        {
            rows.Add(Edit(Path.Combine(root, relative)));
        }

        long original = rows.Sum(r => (long)r.OriginalBytes), kept = rows.Sum(r => (long)r.KeptBytes);
        var histogram = rows.GroupBy(r => r.LinesAdded + "+/" + r.LinesRemoved + "-").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key + ": " + g.Count());
        TestContext.Out.WriteLine($"files {rows.Count}; clean {rows.Count(r => r.Problems.Count == 0)}; unchanged original bytes {kept}/{original} = {100.0 * kept / original:F3}%");
        TestContext.Out.WriteLine("lines added/removed per file: " + string.Join(", ", histogram));
        TestContext.Out.WriteLine("remove restored original bytes: " + rows.Count(r => r.Restored) + "/" + rows.Count(r => !r.HadKey) + " files where the key was added");
        foreach (var r in rows.Where(r => !r.Restored && !r.HadKey))
        {
            TestContext.Out.WriteLine("  not restored: " + r.Name);
        }

        Assert.That(rows.Where(r => r.Problems.Count > 0).Select(r => r.Name), Is.Empty);
    }

    private static string RepoPaths_RequireFlyToml() => FlyIo.Testing.RepoPaths.RequireShared("data", "fly-toml");

    private static EditResult Edit(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var before = TomlParser.Parse(bytes);
        var hadKey = before.Root.GetEntry("deploy")?.Value is TomlTable d && d.GetEntry("release_command") is not null;
        var hadDeploy = before.Root.GetEntry("deploy") is not null;
        var result = new EditResult(Path.GetFileName(path), bytes.Length, hadKey);

        var editor = TomlEditor.FromBytes(bytes);
        editor.SetString(ReleaseCommand, Command);
        var edited = editor.ToBytes();
        var after = TomlParser.Parse(edited);

        // The value is there, everything else is the same value tree.
        var deploy = after.Root.GetEntry("deploy")?.Value as TomlTable;
        if (deploy?.GetEntry("release_command")?.Value.ToString() != Command)
        {
            result.Problems.Add("release_command not read back");
        }

        var expected = Dump(before.Root, dropEmptyDeploy: false);
        var actual = Dump(after.Root, dropEmptyDeploy: !hadDeploy);
        if (expected != actual)
        {
            result.Problems.Add("value tree changed:\n" + expected + "\n---\n" + actual);
        }

        // Line diff: only the release_command line, a [deploy] header and blank lines may appear; only an old release_command line may go.
        var (removed, added, keptBytes) = LineDiff(Lines(bytes), Lines(edited));
        result.LinesAdded = added.Count;
        result.LinesRemoved = removed.Count;
        result.KeptBytes = keptBytes;
        foreach (var line in added)
        {
            var t = line.Trim();
            if (!(t.Length == 0 || t == "[deploy]" || t.StartsWith("release_command = ", StringComparison.Ordinal) || t.StartsWith("deploy.release_command = ", StringComparison.Ordinal)))
            {
                result.Problems.Add("unexpected added line: " + line);
            }
        }

        foreach (var line in removed)
        {
            if (!line.Trim().StartsWith("release_command", StringComparison.Ordinal))
            {
                result.Problems.Add("unexpected removed line: " + line);
            }
        }

        if (added.Count(l => l.Contains("release_command")) != 1)
        {
            result.Problems.Add("expected exactly one release_command line in the diff");
        }

        // Idempotent: a second set changes nothing.
        var again = TomlEditor.FromBytes(edited);
        if (again.SetString(ReleaseCommand, Command) || !again.ToBytes().SequenceEqual(edited))
        {
            result.Problems.Add("second set changed the bytes");
        }

        // Removing what was added restores the original bytes.
        if (!again.Remove(ReleaseCommand))
        {
            result.Problems.Add("remove found nothing");
        }

        result.Restored = again.ToBytes().SequenceEqual(bytes);
        if (!hadKey && !result.Restored)
        {
            result.Problems.Add("remove did not restore the original bytes:\n" + Encoding.UTF8.GetString(again.ToBytes()));
        }

        return result;
    }

    private static List<string> Lines(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text.Substring(start, i + 1 - start));
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text.Substring(start));
        }

        return lines;
    }

    /// <summary>Longest-common-subsequence line diff: the removed lines, the added lines, and the UTF-8 bytes of the kept original lines.</summary>
    private static (List<string> Removed, List<string> Added, int KeptBytes) LineDiff(List<string> a, List<string> b)
    {
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var removed = new List<string>();
        var added = new List<string>();
        var kept = 0;
        int x = 0, y = 0;
        while (x < a.Count && y < b.Count)
        {
            if (a[x] == b[y])
            {
                kept += Encoding.UTF8.GetByteCount(a[x]);
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                removed.Add(a[x++]);
            }
            else
            {
                added.Add(b[y++]);
            }
        }

        removed.AddRange(a.Skip(x));
        added.AddRange(b.Skip(y));
        return (removed, added, kept);
    }

    /// <summary>A canonical dump of the value tree without deploy.release_command (keys sorted).</summary>
    private static string Dump(TomlTable root, bool dropEmptyDeploy)
    {
        var sb = new StringBuilder();
        DumpTable(sb, root, "", dropEmptyDeploy);
        return sb.ToString();
    }

    private static void DumpTable(StringBuilder sb, TomlTable table, string path, bool dropEmptyDeploy)
    {
        foreach (var entry in table.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var p = path.Length == 0 ? entry.Key : path + "." + entry.Key;
            if (p == "deploy.release_command")
            {
                continue;
            }

            if (p == "deploy" && dropEmptyDeploy && entry.Value is TomlTable t && t.Count == 1)
            {
                continue;
            }

            DumpValue(sb, entry.Value, p, dropEmptyDeploy);
        }
    }

    private static void DumpValue(StringBuilder sb, TomlValue value, string path, bool dropEmptyDeploy)
    {
        switch (value)
        {
            case TomlTable t:
                sb.Append(path).Append(" = {table}\n");
                DumpTable(sb, t, path, dropEmptyDeploy);
                break;
            case TomlArray a:
                sb.Append(path).Append(" = [").Append(a.Count).Append("]\n");
                for (var i = 0; i < a.Count; i++)
                {
                    DumpValue(sb, a[i], path + "[" + i + "]", dropEmptyDeploy);
                }

                break;
            default:
                sb.Append(path).Append(" = ").Append(value.Kind).Append(':').Append(value).Append('\n');
                break;
        }
    }

    private sealed class EditResult
    {
        public EditResult(string name, int originalBytes, bool hadKey)
        {
            Name = name;
            OriginalBytes = originalBytes;
            HadKey = hadKey;
        }

        public string Name { get; }
        public int OriginalBytes { get; }
        public bool HadKey { get; }
        public int KeptBytes { get; set; }
        public int LinesAdded { get; set; }
        public int LinesRemoved { get; set; }
        public bool Restored { get; set; }
        public List<string> Problems { get; } = new();
    }
}
