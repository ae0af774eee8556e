using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.FlyToml;
using FlyIo.Testing;
using FlyIo.Toml;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>
/// "fly.toml means what it says", checked key by key over flyctl's full-reference.toml (every key flyctl knows,
/// read in place from ../shared): removing a key must change some process group's machine config, or FlyValidate
/// must say on that key's line (or on the header of a section reported whole) what happens to it instead, or the key
/// is deployed by another part of the deploy, named below with the test that shows it.
/// </summary>
[TestFixture]
public sealed class FlyTomlMappingTests
{
    /// <summary>Keys whose effect the deployment fingerprint below cannot see: key path (array indexes left out) → the proof.</summary>
    private static readonly Dictionary<string, string> DeployedElsewhere = new(StringComparer.Ordinal);

    /// <summary>
    /// Keys whose value in full-reference.toml is what other keys give anyway (a default, or a size the inline fields
    /// override), so removing them alone changes nothing: each is proven by removing the keys that shadow it (same
    /// table) and writing another value, which must change what the deploy sends.
    /// </summary>
    private static readonly Dictionary<string, (string[] Shadows, string OtherValue)> Shadowed = new(StringComparer.Ordinal)
    {
        ["vm.size"] = (new[] { "cpu_kind", "cpus", "memory", "memory_mb" }, "\"performance-2x\""),
        ["vm.memory"] = (new[] { "memory_mb" }, "\"4gb\""),
        ["vm.memory_mb"] = (new[] { "memory" }, "4096"),
        ["services.protocol"] = (Array.Empty<string>(), "\"udp\""),
    };

    /// <summary>Codes that speak for a whole section when they stand on its header.</summary>
    private static readonly HashSet<string> WholeSectionCodes = new(StringComparer.Ordinal)
    {
        FlyCodes.AppliesToNoGroup.Code, FlyCodes.BuilderNotUsed.Code,
        FlyCodes.NoEffectOnMachines.Code, FlyCodes.UnknownKey.Code,
    };

    /// <param name="withAppGroup">
    /// full-reference.toml defines the groups web and task, so its sections for "app" ([[services]], a [[vm]]) go
    /// nowhere (FLY1105). With an app group added, those same keys must reach app's machine config.
    /// </param>
    [TestCase(false)]
    [TestCase(true)]
    public void Every_key_of_full_reference_is_deployed_or_explained(bool withAppGroup)
    {
        var path = RepoPaths.RequireShared("data", "fly-toml", "flyctl", "full-reference.toml");
        var text = File.ReadAllText(path);
        if (withAppGroup)
        {
            Assert.That(text, Does.Contain("[processes]\n"));
            text = text.Replace("[processes]\n", "[processes]\n  app = \"run app\"\n");
        }

        var diagnostics = FlyTomlValidator.Validate(FlyConfig.Parse(text, path), new FlyTomlValidationOptions()).Diagnostics;
        // A missing [[files]] local_path is a FLY1104 error and makes Build throw for its group, which would hide what
        // every other key does to that group; the comparison is made on the file without those lines.
        var lines = text.Split('\n');
        var stopping = diagnostics.Where(d => d.Code == FlyCodes.FileLocalPathNotFound.Code).Select(d => d.Line).ToHashSet();
        var comparable = string.Join("\n", lines.Where((_, i) => !stopping.Contains(i + 1)));
        var baseline = MachineConfigs(comparable, path);
        var fallThrough = new List<string>();
        var explained = new List<string>();
        foreach (var leaf in Leaves(FlyConfig.Parse(text, path).Root, "", new List<int>()))
        {
            var without = string.Join("\n", lines.Where((_, i) => i != leaf.Line - 1 && !stopping.Contains(i + 1)));
            if (!stopping.Contains(leaf.Line) && MachineConfigs(without, path) != baseline)
            {
                explained.Add($"{leaf.Path} (line {leaf.Line}): deployed");
            }
            else if (diagnostics.FirstOrDefault(d => d.Line == leaf.Line || (leaf.Headers.Contains(d.Line) && WholeSectionCodes.Contains(d.Code))) is { } d)
            {
                explained.Add($"{leaf.Path} (line {leaf.Line}): {d.Code}");
            }
            else if (Shadowed.TryGetValue(leaf.Path, out var shadowed) && ChangesOnceUnshadowed(lines, leaf, shadowed.Shadows, shadowed.OtherValue, stopping, path))
            {
                explained.Add($"{leaf.Path} (line {leaf.Line}): deployed once {(shadowed.Shadows.Length == 0 ? "its value differs from the default" : "unshadowed by " + string.Join(", ", shadowed.Shadows))}");
            }
            else if (DeployedElsewhere.TryGetValue(leaf.Path, out var proof))
            {
                explained.Add($"{leaf.Path} (line {leaf.Line}): elsewhere, {proof}");
            }
            else
            {
                fallThrough.Add($"{leaf.Path} (line {leaf.Line})");
            }
        }

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, explained));
        Assert.That(explained, Is.Not.Empty);
        Assert.That(fallThrough, Is.Empty, "keys neither deployed nor explained:" + Environment.NewLine + string.Join(Environment.NewLine, fallThrough));
        if (withAppGroup)
        {
            Assert.That(explained.Where(e => e.EndsWith(FlyCodes.AppliesToNoGroup.Code, StringComparison.Ordinal)), Is.Empty,
                "with an app group, the sections for app are deployed");
            Assert.That(explained.Where(e => e.StartsWith("services.", StringComparison.Ordinal) || e.StartsWith("vm.", StringComparison.Ordinal)),
                Has.All.Contain("deployed").Or.Contain(FlyCodes.ValueNotAllowed.Code).Or.Contain(FlyCodes.ServiceCheckDuration.Code));
        }
    }

    /// <summary>
    /// Everything a deploy of <paramref name="text"/> sends, as one comparable string: the app, every group's machine
    /// config (or the error building it), the volume each group's machines get, the machine checks run against them,
    /// the deploy settings the engine follows, and the image build's [build] settings.
    /// </summary>
    private static string MachineConfigs(string text, string path)
    {
        var model = FlyConfig.Parse(text, path);
        var config = FlyAppConfig.From(model);
        var parts = new List<string> { "app=" + config.App };
        parts.AddRange(config.Groups.Select(group =>
        {
            try
            {
                return group + "=" + config.Build(group, "registry.fly.io/foo:1").ToJsonString();
            }
            catch (Exception e)
            {
                return group + "!" + e.Message;
            }
        }));
        parts.AddRange(config.Groups.Select(group => config.MountFor(group) is { } m
            ? $"volume {group}: {m.Source} {m.SizeGb} {m.SnapshotRetention} {m.ScheduledSnapshots} {m.ExtendThresholdPercent} {m.ExtendIncrementGb} {m.ExtendLimitGb}"
            : $"volume {group}: none"));
        parts.AddRange(config.Groups.SelectMany(group => config.MachineChecks.Where(c => c.AppliesTo(group))
            .Select(c => $"machine check {group}: {string.Join(" ", c.Command)} | {c.Image} | {string.Join(" ", c.Entrypoint ?? Array.Empty<string>())} | {c.KillSignal} | {c.KillTimeout}")));
        parts.Add($"deploy: {config.Strategy} {config.MaxUnavailable} {config.WaitTimeout} {config.ReleaseCommand} {config.ReleaseCommandTimeout} {config.ReleaseCommandVm}");
        var build = FlyBuildSettings.Of(model);
        parts.Add($"build: {build.Dockerfile?.Value} {build.Ignorefile?.Value} {build.Target?.Value} {build.Image?.Value} " + string.Join(",", build.Args.Select(a => a.Name + "=" + a.Value)));
        return string.Join("\n", parts);
    }

    /// <summary>Without the keys of the same table that shadow it, another value of the key changes what the deploy sends.</summary>
    private static bool ChangesOnceUnshadowed(string[] lines, Leaf leaf, string[] shadows, string otherValue, HashSet<int> stopping, string path)
    {
        var table = leaf.Headers.Count == 0 ? 0 : leaf.Headers.Max();
        var end = Enumerable.Range(table, lines.Length - table).FirstOrDefault(i => i >= leaf.Line && lines[i].TrimStart().StartsWith('['), lines.Length);
        bool IsShadow(int i) => i >= table && i < end && shadows.Any(k => System.Text.RegularExpressions.Regex.IsMatch(lines[i], $@"^\s*{System.Text.RegularExpressions.Regex.Escape(k)}\s*="));
        var kept = lines.Select((l, i) => (Line: l, Index: i)).Where(x => !IsShadow(x.Index) && !stopping.Contains(x.Index + 1)).ToList();
        var before = string.Join("\n", kept.Select(x => x.Line));
        var key = lines[leaf.Line - 1].Substring(0, lines[leaf.Line - 1].IndexOf('=') + 1);
        var after = string.Join("\n", kept.Select(x => x.Index == leaf.Line - 1 ? key + " " + otherValue : x.Line));
        return MachineConfigs(before, path) != MachineConfigs(after, path);
    }

    private sealed record Leaf(string Path, int Line, IReadOnlyList<int> Headers);

    /// <summary>Scalar and array-of-scalar keys with their line, and the header lines of the tables around them.</summary>
    private static IEnumerable<Leaf> Leaves(TomlTable table, string prefix, List<int> headers)
    {
        foreach (var entry in table)
        {
            var path = prefix.Length == 0 ? entry.Key : prefix + "." + entry.Key;
            switch (entry.Value)
            {
                case TomlTable sub:
                    foreach (var leaf in Leaves(sub, path, headers.Append(sub.Position.Line).Append(entry.KeyPosition.Line).ToList()))
                    {
                        yield return leaf;
                    }

                    break;
                case TomlArray array when array.Count > 0 && array.All(v => v is TomlTable):
                    foreach (var sub in array.OfType<TomlTable>())
                    {
                        foreach (var leaf in Leaves(sub, path, headers.Append(sub.Position.Line).ToList()))
                        {
                            yield return leaf;
                        }
                    }

                    break;
                default:
                    yield return new Leaf(path, entry.KeyPosition.Line, headers);
                    break;
            }
        }
    }
}
