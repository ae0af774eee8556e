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
    /// <summary>Keys the deploy sends other than as machine config: key path (array indexes left out) → the proof.</summary>
    private static readonly Dictionary<string, string> DeployedElsewhere = new(StringComparer.Ordinal)
    {
        ["app"] = "the app the engine deploys to: DeployTests.First_deploy_creates_app_ips_and_machines_with_release_metadata_and_secrets",
        ["build.image"] = "image build: ImageTargetTests (FlyIo.Sdk.Tests)",
        ["build.dockerfile"] = "image build: WriterAndCheckTests.A_users_own_dockerfile_is_never_overwritten_silently (FlyIo.Images.Tests)",
        ["build.ignorefile"] = "image build: no test on this branch yet (owned by the image build)",
        ["build.build-target"] = "image build: no test on this branch yet (owned by the image build)",
        ["build.args.param1"] = "image build: no test on this branch yet (owned by the image build)",
        ["build.args.param2"] = "image build: no test on this branch yet (owned by the image build)",
        ["deploy.release_command"] = "release machine: DeployTests.Release_command_success_runs_before_machines_and_failure_changes_no_machine",
        ["deploy.release_command_timeout"] = "release machine: DeployTests.Release_command_timeout_is_enforced_and_its_machine_destroyed",
        ["deploy.release_command_vm.size"] = "release machine guest: FlyAppConfigBuildTests.Release_command_vm_is_sized_like_a_vm",
        ["deploy.release_command_vm.memory"] = "release machine guest: FlyAppConfigBuildTests.Release_command_vm_is_sized_like_a_vm",
        ["deploy.strategy"] = "deploy strategy: DeployTests.Canary_and_bluegreen_end_on_the_new_version",
        ["deploy.max_unavailable"] = "rolling batch size: DeployTests.Rolling_deploy_of_four_machines_ends_all_on_the_new_version_and_release",
        ["mounts.source"] = "volumes (engine)",
        ["mounts.destination"] = "volumes (engine)",
        ["mounts.initial_size"] = "volumes (engine): no test on this branch yet",
        ["mounts.snapshot_retention"] = "volumes (engine): no test on this branch yet",
        ["mounts.scheduled_snapshots"] = "volumes (engine): no test on this branch yet",
    };

    /// <summary>Codes that speak for a whole section when they stand on its header.</summary>
    private static readonly HashSet<string> WholeSectionCodes = new(StringComparer.Ordinal)
    {
        FlyCodes.AppliesToNoGroup.Code, FlyCodes.MachineChecksNotRun.Code, FlyCodes.BuilderNotUsed.Code,
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
                explained.Add($"{leaf.Path} (line {leaf.Line}): machine config");
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

    /// <summary>Every group's machine config (or the error building it), as one comparable string.</summary>
    private static string MachineConfigs(string text, string path)
    {
        var config = FlyAppConfig.From(FlyConfig.Parse(text, path));
        return string.Join("\n", config.Groups.Select(group =>
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
