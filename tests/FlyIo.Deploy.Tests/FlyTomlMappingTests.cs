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

    /// <summary>Codes that speak for a whole section when they stand on its header.</summary>
    private static readonly HashSet<string> WholeSectionCodes = new(StringComparer.Ordinal)
    {
        FlyCodes.AppliesToNoGroup.Code, FlyCodes.BuilderNotUsed.Code,
        FlyCodes.NoEffectOnMachines.Code, FlyCodes.UnknownKey.Code,
    };

    [Test]
    public void Every_key_of_full_reference_is_deployed_or_explained()
    {
        var path = RepoPaths.RequireShared("data", "fly-toml", "flyctl", "full-reference.toml");
        var text = File.ReadAllText(path);
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
